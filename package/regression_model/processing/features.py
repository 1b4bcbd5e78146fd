"""The package's own transformers: the steps feature-engine does not have.

Each follows scikit-learn's estimator contract in feature-engine's layout: ``__init__``
only stores its arguments, ``fit`` checks the input and learns (every learned
attribute ends in ``_``), ``transform`` returns a new DataFrame and never changes the
caller's.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


def check_dataframe(X: Any, variables: Sequence[Hashable] = ()) -> pd.DataFrame:
    """Check that ``X`` is a DataFrame holding ``variables``.

    Parameters
    ----------
    X : object
        The transformer's input.
    variables : sequence of str, default=()
        Columns ``X`` must contain.

    Returns
    -------
    pandas.DataFrame
        ``X`` itself.

    Raises
    ------
    TypeError
        If ``X`` is not a DataFrame.
    ValueError
        If a column of ``variables`` is absent, naming it.
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    missing = [variable for variable in variables if variable not in X.columns]
    if missing:
        raise ValueError(f"X has no column {missing}")
    return X


class _VariablesTransformer(TransformerMixin, BaseEstimator):
    """Shared ``fit`` bookkeeping for transformers of a list of variables."""

    def __init__(self, variables: Sequence[str]):
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None) -> Any:
        """Check ``X`` and remember its columns.

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
        X = check_dataframe(X, self.variables)
        self.variables_ = list(self.variables)
        self.feature_names_in_ = X.columns.to_numpy()
        self.n_features_in_ = X.shape[1]
        return self

    def _start_transform(self, X: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self)
        return check_dataframe(X, self.variables_).copy()

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output columns: the input columns, unchanged."""
        check_is_fitted(self)
        return np.asarray(self.feature_names_in_, dtype=object)


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


class NumericCodedCategoricalTransformer(_VariablesTransformer):
    """Turn numeric-coded categories into string labels, keeping missing values.

    ``MSSubClass`` is stored as a number but is a category: 20, 20.0 and "20" all
    become the label "20". A missing value stays missing (``astype(str)`` would make
    it the label "nan").

    Parameters
    ----------
    variables : list of str
        The numeric-coded categorical columns.

    Attributes
    ----------
    variables_ : list of str
        The transformed columns.
    """

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with ``variables`` as string labels."""
        X = self._start_transform(X)
        for variable in self.variables_:
            X[variable] = X[variable].map(category_label, na_action="ignore")
        return X


class UnseenLabelsToMissing(_VariablesTransformer):
    """Turn labels the training data never had into missing values.

    The imputers that follow then treat them as they treat any missing value.

    Parameters
    ----------
    variables : list of str
        The categorical columns.

    Attributes
    ----------
    seen_labels_ : dict of str to list of str
        Each variable's labels in the training data.
    """

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None) -> Any:
        """Learn each variable's labels in ``X``."""
        super().fit(X, y)
        self.seen_labels_ = {
            variable: sorted(X[variable].dropna().unique().tolist())
            for variable in self.variables_
        }
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` where unseen labels are missing."""
        X = self._start_transform(X)
        for variable, labels in self.seen_labels_.items():
            X[variable] = X[variable].where(X[variable].isin(labels))
        return X


class TemporalVariableTransformer(_VariablesTransformer):
    """Replace year variables with the years elapsed until a reference year.

    Parameters
    ----------
    variables : list of str
        The year columns.
    reference_variable : str, default="YrSold"
        The column the years are subtracted from.

    Attributes
    ----------
    variables_ : list of str
        The transformed columns.
    """

    def __init__(self, variables: Sequence[str], reference_variable: str = "YrSold"):
        super().__init__(variables)
        self.reference_variable = reference_variable

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None) -> Any:
        """Check that ``X`` holds the years and the reference year."""
        check_dataframe(X, [self.reference_variable])
        return super().fit(X, y)

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with each year replaced by the years elapsed."""
        X = self._start_transform(X)
        for variable in self.variables_:
            X[variable] = X[self.reference_variable] - X[variable]
        return X


class Mapper(_VariablesTransformer):
    """Replace the labels of some variables with the integers of a mapping.

    Parameters
    ----------
    variables : list of str
        The columns to map.
    mappings : dict of str to int
        Label -> integer, the same for every variable.

    Attributes
    ----------
    variables_ : list of str
        The mapped columns.
    """

    def __init__(self, variables: Sequence[str], mappings: dict[str, int]):
        super().__init__(variables)
        self.mappings = mappings

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with the labels of ``variables`` mapped."""
        X = self._start_transform(X)
        for variable in self.variables_:
            X[variable] = X[variable].map(self.mappings)
        return X


class FeatureSelector(_VariablesTransformer):
    """Keep exactly the given columns, in the given order.

    The order matters downstream: Lasso's coordinate descent visits the features in
    column order, so a different order gives (slightly) different coefficients.

    Parameters
    ----------
    variables : list of str
        The columns to keep, in order.

    Attributes
    ----------
    variables_ : list of str
        The kept columns.
    """

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the ``variables`` columns of ``X``, in order."""
        return self._start_transform(X)[self.variables_]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output columns: ``variables``, in order."""
        check_is_fitted(self)
        return np.asarray(self.variables_, dtype=object)
