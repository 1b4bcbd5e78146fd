"""Numerical variables: years elapsed, logarithms and presence flags."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oop.transformers.base import (
    DataFrameTransformer,
    check_no_missing_values,
    check_numeric,
    check_variables_present,
)


def check_positive(X: pd.DataFrame, variables: list[str]) -> None:
    """Raise a ``ValueError`` naming each variable with a value <= 0 and its rows."""
    problems = [
        f"{variable} (rows {X.index[X[variable] <= 0].tolist()[:5]})"
        for variable in variables
        if (X[variable] <= 0).any()
    ]
    if problems:
        raise ValueError("the log needs values > 0; not so in " + ", ".join(problems))


class TemporalVariableTransformer(DataFrameTransformer):
    """Replace year variables with the years elapsed until a reference year.

    A house built in 1990 and sold in 2008 becomes 18 years old: the age, not the
    calendar year, is what the price depends on.

    Parameters
    ----------
    variables : list of str
        Year columns to transform.
    reference_variable : str, default="YrSold"
        The column holding the reference year.

    Attributes
    ----------
    variables_ : list of str
        The columns transformed (the step learns nothing else).

    Examples
    --------
    >>> X = pd.DataFrame({"YearBuilt": [1990, 2000], "YrSold": [2008, 2010]})
    >>> TemporalVariableTransformer(["YearBuilt"]).fit_transform(X)[
    ...     "YearBuilt"
    ... ].tolist()
    [18, 10]
    """

    def __init__(
        self, variables: list[str] | None = None, reference_variable: str = "YrSold"
    ) -> None:
        self.variables = variables
        self.reference_variable = reference_variable

    def fit(self, X: pd.DataFrame, y: object = None) -> TemporalVariableTransformer:
        """Check ``X`` and remember its columns; nothing is learned."""
        self.variables_ = list(self.variables or [])
        X = self._check_fit_input(X, self.variables_)
        check_variables_present(X, [self.reference_variable])
        check_numeric(X, [*self.variables_, self.reference_variable])
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with ``variables`` as years elapsed."""
        X = self._check_transform_input(X)
        check_numeric(X, [*self.variables_, self.reference_variable])
        for variable in self.variables_:
            X[variable] = X[self.reference_variable] - X[variable]
        return X


class LogTransformer(DataFrameTransformer):
    """Replace positive, skewed variables with their natural logarithm.

    Parameters
    ----------
    variables : list of str
        Numerical columns with values > 0, already imputed.

    Attributes
    ----------
    variables_ : list of str
        The columns transformed (the step learns nothing else).

    Examples
    --------
    >>> X = pd.DataFrame({"LotArea": [1.0, np.e]})
    >>> LogTransformer(["LotArea"]).fit_transform(X)["LotArea"].tolist()
    [0.0, 1.0]
    """

    def __init__(self, variables: list[str] | None = None) -> None:
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: object = None) -> LogTransformer:
        """Check that ``variables`` are numbers > 0; nothing is learned."""
        self.variables_ = list(self.variables or [])
        X = self._check_fit_input(X, self.variables_)
        self._check_values(X)
        return self

    def _check_values(self, X: pd.DataFrame) -> None:
        check_numeric(X, self.variables_)
        check_no_missing_values(X, self.variables_)
        check_positive(X, self.variables_)

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with the log of ``variables``."""
        X = self._check_transform_input(X)
        self._check_values(X)
        for variable in self.variables_:
            X[variable] = np.log(X[variable])
        return X


class Binarizer(DataFrameTransformer):
    """Replace variables with 1 where the value is above ``threshold``, else 0.

    For areas that most houses lack (a screen porch, say), whether the house has
    one says more than its size.

    Parameters
    ----------
    variables : list of str
        Numerical columns, already imputed.
    threshold : float, default=0
        Values strictly above it become 1.

    Attributes
    ----------
    variables_ : list of str
        The columns transformed (the step learns nothing else).

    Examples
    --------
    >>> X = pd.DataFrame({"ScreenPorch": [0, 120]})
    >>> Binarizer(["ScreenPorch"]).fit_transform(X)["ScreenPorch"].tolist()
    [0, 1]
    """

    def __init__(
        self, variables: list[str] | None = None, threshold: float = 0
    ) -> None:
        self.variables = variables
        self.threshold = threshold

    def fit(self, X: pd.DataFrame, y: object = None) -> Binarizer:
        """Check that ``variables`` are numbers; nothing is learned."""
        self.variables_ = list(self.variables or [])
        X = self._check_fit_input(X, self.variables_)
        check_numeric(X, self.variables_)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with ``variables`` as 0/1 integers."""
        X = self._check_transform_input(X)
        check_numeric(X, self.variables_)
        check_no_missing_values(X, self.variables_)
        for variable in self.variables_:
            X[variable] = (X[variable] > self.threshold).astype("int64")
        return X
