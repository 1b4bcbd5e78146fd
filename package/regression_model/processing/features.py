"""The package's own transformers: the steps feature-engine does not have.

Each follows scikit-learn's estimator contract in feature-engine's layout, and
checks its input with feature-engine's own functions
(:class:`regression_model.processing.base.DataFrameTransformer`):

- ``__init__`` only stores its arguments, each with a default, so every transformer
  is default-constructible; ``variables=None`` means no variables.
- ``fit`` checks the arguments and the input and learns; every learned attribute
  ends in ``_``, and even a step that learns nothing records the columns it saw
  (``feature_names_in_``), so ``transform`` before ``fit`` raises scikit-learn's
  ``NotFittedError``.
- ``transform`` checks the columns against those seen in ``fit`` and returns a new
  DataFrame in that order; it never changes the caller's.

The pipeline's selections are elsewhere: feature-engine's ``MatchVariables`` opens
it (the scoring contract's first rule) and
:class:`regression_model.processing.selection.FeatureSelector` closes it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from feature_engine.dataframe_checks import _check_contains_na
from feature_engine.variable_handling import (
    check_all_variables,
    check_numerical_variables,
)

from regression_model.processing.base import (
    DataFrameTransformer,
    Variables,
    check_variables,
)
from regression_model.processing.schema import category_label


class NumericCodedCategoricalTransformer(DataFrameTransformer):
    """Turn numeric-coded categories into string labels, keeping missing values.

    ``MSSubClass`` is stored as a number but is a category: 20, 20.0 and "20" all
    become the label "20". A missing value stays missing (``astype(str)`` would make
    it the label "nan").

    Parameters
    ----------
    variables : list of str, default=None
        The numeric-coded categorical columns; ``None`` for none.

    Attributes
    ----------
    variables_ : list of str
        The transformed columns (the step learns nothing else).

    Examples
    --------
    >>> X = pd.DataFrame({"MSSubClass": [20, 60.0, "20"]})
    >>> transformer = NumericCodedCategoricalTransformer(variables=["MSSubClass"])
    >>> transformer.fit_transform(X)["MSSubClass"].tolist()
    ['20', '60', '20']
    """

    def __init__(self, variables: list[str] | None = None):
        self.variables = variables

    def fit(
        self, X: pd.DataFrame, y: pd.Series | None = None
    ) -> NumericCodedCategoricalTransformer:
        """Check ``X`` and remember its columns; nothing is learned.

        Parameters
        ----------
        X : pandas.DataFrame
            The training inputs, with at least the columns in ``variables``.
        y : pandas.Series, optional
            Not used; accepted for the pipeline.

        Returns
        -------
        self
        """
        X = self._check_fit_input(X)
        self.variables_ = check_variables(X, self.variables)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with ``variables`` as string labels."""
        X = self._check_transform_input(X)
        for variable in self.variables_:
            X[variable] = X[variable].map(category_label, na_action="ignore")
        return X


class UnseenLabelsToMissing(DataFrameTransformer):
    """Turn labels the training data never had into missing values.

    Rule 3 of the scoring contract: an unseen label is treated as a missing value,
    so the imputers that follow give it a training label.

    Parameters
    ----------
    variables : list of str, default=None
        The categorical columns; ``None`` for none.

    Attributes
    ----------
    seen_labels_ : dict of str to list
        Each variable's labels in the training data (missing values excluded).

    Examples
    --------
    >>> X = pd.DataFrame({"Street": ["Pave", "Grvl"]})
    >>> transformer = UnseenLabelsToMissing(variables=["Street"]).fit(X)
    >>> transformer.transform(pd.DataFrame({"Street": ["Pave", "Dirt"]}))[
    ...     "Street"
    ... ].tolist()
    ['Pave', nan]
    """

    def __init__(self, variables: list[str] | None = None):
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None) -> UnseenLabelsToMissing:
        """Learn each variable's labels in ``X``.

        Parameters
        ----------
        X : pandas.DataFrame
            The training inputs, with at least the columns in ``variables``.
        y : pandas.Series, optional
            Not used; accepted for the pipeline.

        Returns
        -------
        self
        """
        X = self._check_fit_input(X)
        variables = check_variables(X, self.variables)
        self.seen_labels_ = {
            variable: sorted(X[variable].dropna().unique().tolist(), key=str)
            for variable in variables
        }
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` where unseen labels are missing."""
        X = self._check_transform_input(X)
        for variable, labels in self.seen_labels_.items():
            X[variable] = X[variable].where(X[variable].isin(labels))
        return X


class TemporalVariableTransformer(DataFrameTransformer):
    """Replace year variables with the years elapsed until a reference year.

    Parameters
    ----------
    variables : list of str, default=None
        The year columns; ``None`` for none.
    reference_variable : str, default="YrSold"
        The column the years are subtracted from.

    Attributes
    ----------
    variables_ : list of str
        The transformed columns (the step learns nothing else).

    Examples
    --------
    >>> X = pd.DataFrame({"YearRemodAdd": [1990, 2000], "YrSold": [2008, 2010]})
    >>> transformer = TemporalVariableTransformer(variables=["YearRemodAdd"])
    >>> transformer.fit_transform(X)["YearRemodAdd"].tolist()
    [18, 10]
    """

    def __init__(
        self, variables: list[str] | None = None, reference_variable: str = "YrSold"
    ):
        self.variables = variables
        self.reference_variable = reference_variable

    def fit(
        self, X: pd.DataFrame, y: pd.Series | None = None
    ) -> TemporalVariableTransformer:
        """Check that ``X`` holds the years and the reference year, as numbers.

        Parameters
        ----------
        X : pandas.DataFrame
            The training inputs, with ``variables`` and ``reference_variable``.
        y : pandas.Series, optional
            Not used; accepted for the pipeline.

        Returns
        -------
        self
        """
        X = self._check_fit_input(X)
        variables = check_variables(X, self.variables)
        # feature-engine has no check of a single column parameter: written here
        if not isinstance(self.reference_variable, str):
            raise TypeError(
                "reference_variable must be a column name, got "
                f"{self.reference_variable!r}"
            )
        if self.reference_variable in variables:
            raise ValueError(
                f"reference_variable {self.reference_variable!r} is also in variables"
            )
        check_all_variables(X, self.reference_variable)
        check_numerical_variables(X, [*variables, self.reference_variable])
        self.variables_ = variables
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with each year replaced by the years elapsed."""
        X = self._check_transform_input(X)
        for variable in self.variables_:
            X[variable] = X[self.reference_variable] - X[variable]
        return X


class Mapper(DataFrameTransformer):
    """Replace the labels of some variables with the integers of a mapping.

    The mapping comes from the data description (``Po`` < ``Fa`` < ``TA`` < ...),
    so nothing is learned: ``fit`` checks that every training label has a code. In
    the pipeline the step comes after imputation, where an unseen label has already
    become missing and then a training label (rules 3 and 4 of the scoring
    contract). So a label without a code is an error that names it, and a missing
    value is feature-engine's error, never a silent ``NaN``.

    Parameters
    ----------
    variables : list of str, default=None
        The columns to map, already imputed; ``None`` for none.
    mappings : dict of str to int, default=None
        Label -> integer, the same for every variable.

    Attributes
    ----------
    variables_ : list of str
        The mapped columns.
    mappings_ : dict of str to int
        A copy of ``mappings``.

    Examples
    --------
    >>> X = pd.DataFrame({"ExterQual": ["TA", "Gd"]})
    >>> quality = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}
    >>> Mapper(variables=["ExterQual"], mappings=quality).fit_transform(X)[
    ...     "ExterQual"
    ... ].tolist()
    [3, 4]
    """

    def __init__(
        self,
        variables: list[str] | None = None,
        mappings: Mapping[str, int] | None = None,
    ):
        self.variables = variables
        self.mappings = mappings

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None) -> Mapper:
        """Check that every label of ``variables`` in ``X`` has a code.

        Parameters
        ----------
        X : pandas.DataFrame
            The training inputs, with at least the columns in ``variables``, imputed.
        y : pandas.Series, optional
            Not used; accepted for the pipeline.

        Returns
        -------
        self
        """
        X = self._check_fit_input(X)
        variables = check_variables(X, self.variables)
        if self.mappings is not None and not isinstance(self.mappings, Mapping):
            raise TypeError(
                f"mappings must be a dict of label to integer, got {self.mappings!r}"
            )
        mappings = dict(self.mappings or {})
        self._check_labels(X, variables, mappings)
        self.variables_ = variables
        self.mappings_ = mappings
        return self

    @staticmethod
    def _check_labels(
        X: pd.DataFrame, variables: Variables, mappings: dict[str, int]
    ) -> None:
        """Raise a ``ValueError`` if a value is missing or a label has no code.

        feature-engine checks the missing values; it has no check of labels
        against a mapping given by hand, so that one is written here.
        """
        _check_contains_na(X, variables)
        unknown = {
            variable: sorted(set(X[variable]) - set(mappings), key=str)
            for variable in variables
        }
        unknown = {variable: labels for variable, labels in unknown.items() if labels}
        if unknown:
            raise ValueError(
                f"labels without a code in the mapping: {unknown}; an unseen label "
                "must be made missing and imputed before it is mapped"
            )

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with the labels of ``variables`` mapped."""
        X = self._check_transform_input(X)
        self._check_labels(X, self.variables_, self.mappings_)
        for variable in self.variables_:
            X[variable] = X[variable].map(self.mappings_).astype("int64")
        return X
