"""Missing data: unseen labels become missing, then every missing value is imputed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oop.transformers.base import DataFrameTransformer, check_numeric


class UnseenLabelsToMissing(DataFrameTransformer):
    """Replace labels never seen in ``fit`` with missing values.

    A label the training data never contained has no learned encoding; turning it
    into a missing value lets the imputer that follows give it a training label.

    Parameters
    ----------
    variables : list of str
        Categorical columns to check.

    Attributes
    ----------
    seen_labels_ : dict of str to list of str
        Per variable, the sorted labels seen in ``fit`` (missing values excluded).

    Examples
    --------
    >>> X = pd.DataFrame({"Street": ["Pave", "Grvl"]})
    >>> UnseenLabelsToMissing(["Street"]).fit(X).transform(
    ...     pd.DataFrame({"Street": ["Pave", "Dirt"]})
    ... )["Street"].tolist()
    ['Pave', nan]
    """

    def __init__(self, variables: list[str] | None = None) -> None:
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: object = None) -> UnseenLabelsToMissing:
        """Learn the labels of each variable.

        Parameters
        ----------
        X : pandas.DataFrame
            Training data with at least the columns in ``variables``.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        variables = list(self.variables or [])
        X = self._check_fit_input(X, variables)
        self.seen_labels_ = {
            variable: sorted(X[variable].dropna().unique(), key=str)
            for variable in variables
        }
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with unseen labels replaced by missing values."""
        X = self._check_transform_input(X)
        for variable, labels in self.seen_labels_.items():
            X[variable] = X[variable].where(X[variable].isin(labels))
        return X


class CategoricalImputer(DataFrameTransformer):
    """Impute categorical variables: ``fill_value`` or the most frequent label.

    A variable with missing values in the training data gets ``fill_value``
    (``"Missing"``): that a value is absent may say something about the price. A
    variable without missing values in training gets its most frequent label.

    Parameters
    ----------
    variables : list of str
        Categorical columns to impute.
    fill_value : str, default="Missing"
        The label for variables that had missing values in ``fit``.

    Attributes
    ----------
    imputer_dict_ : dict of str to str
        Per variable, the label that replaces a missing value. ``mode`` breaks a tie
        between equally frequent labels by taking the smallest.

    Examples
    --------
    >>> X = pd.DataFrame({"Alley": ["Pave", None], "Street": ["Pave", "Pave"]})
    >>> CategoricalImputer(["Alley", "Street"]).fit(X).imputer_dict_
    {'Alley': 'Missing', 'Street': 'Pave'}
    """

    def __init__(
        self, variables: list[str] | None = None, fill_value: str = "Missing"
    ) -> None:
        self.variables = variables
        self.fill_value = fill_value

    def fit(self, X: pd.DataFrame, y: object = None) -> CategoricalImputer:
        """Learn each variable's replacement for a missing value.

        Parameters
        ----------
        X : pandas.DataFrame
            Training data with at least the columns in ``variables``.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        variables = list(self.variables or [])
        X = self._check_fit_input(X, variables)
        self.imputer_dict_ = {
            variable: self._replacement(X[variable]) for variable in variables
        }
        return self

    def _replacement(self, column: pd.Series) -> object:
        if column.isna().any():
            return self.fill_value
        return column.mode().iloc[0]

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with missing values of ``variables`` filled."""
        X = self._check_transform_input(X)
        for variable, label in self.imputer_dict_.items():
            X[variable] = X[variable].fillna(label)
        return X


class MeanImputer(DataFrameTransformer):
    """Replace missing values of numerical variables with their training mean.

    Parameters
    ----------
    variables : list of str
        Numerical columns to impute.

    Attributes
    ----------
    imputer_dict_ : dict of str to float
        Per variable, its mean in ``fit`` (``pandas.Series.mean``, missing values
        skipped).

    Examples
    --------
    >>> X = pd.DataFrame({"LotFrontage": [60.0, None, 80.0]})
    >>> MeanImputer(["LotFrontage"]).fit_transform(X)["LotFrontage"].tolist()
    [60.0, 70.0, 80.0]
    """

    def __init__(self, variables: list[str] | None = None) -> None:
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: object = None) -> MeanImputer:
        """Learn the mean of each variable.

        Parameters
        ----------
        X : pandas.DataFrame
            Training data with at least the columns in ``variables``, all numeric.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        variables = list(self.variables or [])
        X = self._check_fit_input(X, variables)
        check_numeric(X, variables)
        means = {variable: float(X[variable].mean()) for variable in variables}
        empty = [variable for variable, mean in means.items() if np.isnan(mean)]
        if empty:
            raise ValueError(f"no value to learn a mean from in {empty}")
        self.imputer_dict_ = means
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with missing values of ``variables`` filled."""
        X = self._check_transform_input(X)
        check_numeric(X, self.imputer_dict_)
        for variable, mean in self.imputer_dict_.items():
            X[variable] = X[variable].fillna(mean)
        return X
