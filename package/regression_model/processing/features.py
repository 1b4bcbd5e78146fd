"""The package's own transformers: the steps feature-engine does not have.

Each follows scikit-learn's estimator contract in feature-engine's layout:

- ``__init__`` only stores its arguments, each with a default, so every transformer
  is default-constructible; ``variables=None`` means no variables (the step then
  changes nothing), as in the OOP stage.
- ``fit`` checks the arguments and the input and learns; every learned attribute
  ends in ``_``, and even a step that learns nothing records the columns it saw
  (``feature_names_in_``), so ``transform`` before ``fit`` raises scikit-learn's
  ``NotFittedError``.
- ``transform`` checks the columns against those seen in ``fit``, naming any that
  are missing or unexpected; columns are found by name, so their order may differ
  (as in feature-engine). It returns a new DataFrame in the order seen in ``fit``
  and never changes the caller's.

Only the pipeline's first step, a :class:`FeatureSelector`, ignores extra columns:
that is where the scoring contract's "extra columns are ignored" is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


def check_dataframe(X: Any) -> pd.DataFrame:
    """Return ``X`` if it is a DataFrame, else raise a ``TypeError``.

    Parameters
    ----------
    X : object
        The transformer's input.

    Returns
    -------
    pandas.DataFrame
        ``X`` itself (not a copy).

    Raises
    ------
    TypeError
        If ``X`` is not a DataFrame: the transformers find columns by name.
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    return X


def check_variables_present(X: pd.DataFrame, variables: Iterable[Any]) -> None:
    """Raise a ``ValueError`` naming every one of ``variables`` that ``X`` lacks."""
    missing = [variable for variable in variables if variable not in X.columns]
    if missing:
        raise ValueError(f"X has no column(s) {missing}")


def check_variable_list(variables: Any, parameter: str = "variables") -> list[str]:
    """Return ``variables`` as a new list; ``None`` gives an empty list.

    Raises
    ------
    TypeError
        If ``variables`` is a single string (which would be read as its letters) or
        not a list of column names.
    """
    if variables is None:
        return []
    if isinstance(variables, str) or not isinstance(variables, Iterable):
        raise TypeError(
            f"{parameter} must be a list of column names, got {variables!r}"
        )
    return list(variables)


def check_numeric(X: pd.DataFrame, variables: Iterable[str]) -> None:
    """Raise a ``TypeError`` naming each of ``variables`` that is not numeric."""
    problems = [
        f"{variable} ({X[variable].dtype})"
        for variable in variables
        if not pd.api.types.is_numeric_dtype(X[variable])
    ]
    if problems:
        raise TypeError("expected numbers in " + ", ".join(problems))


def check_no_missing_values(X: pd.DataFrame, variables: Iterable[str]) -> None:
    """Raise a ``ValueError`` naming each variable with missing values and its rows."""
    problems = [
        f"{variable} (rows {X.index[X[variable].isna()].tolist()[:5]})"
        for variable in variables
        if X[variable].isna().any()
    ]
    if problems:
        raise ValueError("missing values (impute them first) in " + ", ".join(problems))


class _DataFrameTransformer(TransformerMixin, BaseEstimator):
    """What every transformer here shares: the checks of ``fit`` and ``transform``.

    The output has the columns seen in ``fit``, in that order, so
    :meth:`get_feature_names_out` returns them. Subclasses call
    :meth:`_check_fit_input` first in ``fit`` and :meth:`_check_transform_input`
    first in ``transform``.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The columns seen in ``fit``.
    n_features_in_ : int
        Their number.
    """

    def _check_fit_input(self, X: Any, variables: Iterable[Any]) -> pd.DataFrame:
        """Check ``X`` in ``fit`` and remember its columns.

        ``X`` must be a DataFrame with at least one row and every one of
        ``variables``; otherwise a ``TypeError`` or ``ValueError`` says what is wrong.
        """
        frame = check_dataframe(X)
        if frame.empty:
            raise ValueError(f"no data to fit on: X has shape {frame.shape}")
        check_variables_present(frame, variables)
        self.feature_names_in_ = frame.columns.to_numpy(dtype=object)
        self.n_features_in_ = frame.shape[1]
        return frame

    def _check_transform_input(self, X: Any) -> pd.DataFrame:
        """Check that the step is fitted and ``X`` has the columns seen in ``fit``.

        Returns
        -------
        pandas.DataFrame
            A copy of ``X`` with its columns in the order seen in ``fit``, so the
            caller's frame is never changed.

        Raises
        ------
        ValueError
            Naming the columns seen in ``fit`` that ``X`` lacks, and those it has
            that ``fit`` did not see.
        """
        check_is_fitted(self)
        frame = check_dataframe(X)
        expected = list(self.feature_names_in_)
        if list(frame.columns) == expected:
            return frame.copy()
        missing = [column for column in expected if column not in frame.columns]
        unexpected = [column for column in frame.columns if column not in expected]
        if missing or unexpected:
            raise ValueError(
                "X's columns differ from those seen in fit: "
                f"missing {missing}, unexpected {unexpected}"
            )
        return frame[expected].copy()

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output columns: the input columns seen in ``fit``, unchanged.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            If given, must equal the columns seen in ``fit``.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self)
        names: np.ndarray = self.feature_names_in_.copy()
        if input_features is not None and list(input_features) != list(names):
            raise ValueError("input_features differ from the columns seen in fit")
        return names


def category_label(value: Any) -> str:
    """Write a numeric-coded category as its label: 20, 20.0 and "20" all give "20".

    Parameters
    ----------
    value : object
        A present (not missing) cell.

    Returns
    -------
    str
        The integer's digits when ``value`` is a whole number, else ``str(value)``.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


class NumericCodedCategoricalTransformer(_DataFrameTransformer):
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
        variables = check_variable_list(self.variables)
        self._check_fit_input(X, variables)
        self.variables_ = variables
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with ``variables`` as string labels."""
        X = self._check_transform_input(X)
        for variable in self.variables_:
            X[variable] = X[variable].map(category_label, na_action="ignore")
        return X


class UnseenLabelsToMissing(_DataFrameTransformer):
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
        variables = check_variable_list(self.variables)
        X = self._check_fit_input(X, variables)
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


class TemporalVariableTransformer(_DataFrameTransformer):
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
        variables = check_variable_list(self.variables)
        if not isinstance(self.reference_variable, str):
            raise TypeError(
                "reference_variable must be a column name, got "
                f"{self.reference_variable!r}"
            )
        if self.reference_variable in variables:
            raise ValueError(
                f"reference_variable {self.reference_variable!r} is also in variables"
            )
        X = self._check_fit_input(X, [*variables, self.reference_variable])
        check_numeric(X, [*variables, self.reference_variable])
        self.variables_ = variables
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with each year replaced by the years elapsed."""
        X = self._check_transform_input(X)
        for variable in self.variables_:
            X[variable] = X[self.reference_variable] - X[variable]
        return X


class Mapper(_DataFrameTransformer):
    """Replace the labels of some variables with the integers of a mapping.

    The mapping comes from the data description (``Po`` < ``Fa`` < ``TA`` < ...),
    so nothing is learned: ``fit`` checks that every training label has a code. In
    the pipeline the step comes after imputation, where an unseen label has already
    become missing and then a training label (rules 3 and 4 of the scoring
    contract). So a label without a code, or a missing value, is an error that
    names it, never a silent ``NaN``.

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
        variables = check_variable_list(self.variables)
        if self.mappings is not None and not isinstance(self.mappings, Mapping):
            raise TypeError(
                f"mappings must be a dict of label to integer, got {self.mappings!r}"
            )
        X = self._check_fit_input(X, variables)
        mappings = dict(self.mappings or {})
        self._check_labels(X, variables, mappings)
        self.variables_ = variables
        self.mappings_ = mappings
        return self

    @staticmethod
    def _check_labels(
        X: pd.DataFrame, variables: list[str], mappings: dict[str, int]
    ) -> None:
        """Raise a ``ValueError`` naming missing values and labels without a code."""
        check_no_missing_values(X, variables)
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


class FeatureSelector(_DataFrameTransformer):
    """Keep exactly the given columns, in the given order, found by name.

    Columns may come in any order and extra columns are ignored, so the selector
    opens the pipeline: it takes a whole ``test.csv`` and passes on only the columns
    the next steps need. The order matters downstream: Lasso's coordinate descent
    visits the features in column order, so a different order gives (slightly)
    different coefficients.

    Parameters
    ----------
    variables : list of str, default=None
        The columns to keep, in order; ``None`` keeps none.

    Attributes
    ----------
    variables_ : list of str
        The kept columns.

    Examples
    --------
    >>> X = pd.DataFrame({"b": [1], "Id": [7], "a": [2]})
    >>> FeatureSelector(variables=["a", "b"]).fit_transform(X).columns.tolist()
    ['a', 'b']
    """

    def __init__(self, variables: list[str] | None = None):
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None) -> FeatureSelector:
        """Check that ``X`` has every one of ``variables``; nothing is learned.

        Parameters
        ----------
        X : pandas.DataFrame
            The training inputs.
        y : pandas.Series, optional
            Not used; accepted for the pipeline.

        Returns
        -------
        self
        """
        variables = check_variable_list(self.variables)
        self._check_fit_input(X, variables)
        self.variables_ = variables
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the ``variables`` columns of ``X``, in order, as a new frame."""
        check_is_fitted(self)
        X = check_dataframe(X)
        check_variables_present(X, self.variables_)
        return X[self.variables_].copy()

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output columns: ``variables``, in order, whatever the input's.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored: the output never depends on the input's columns.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self)
        return np.asarray(self.variables_, dtype=object)
