"""Categorical variables: labels as strings, then mapped or encoded to integers."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.utils import Tags

from oop.transformers.base import DataFrameTransformer, check_no_missing_values


def as_label(value: object) -> object:
    """Return a numeric-coded category as its string label; keep a missing value.

    ``20``, ``20.0`` and ``"20"`` all become ``"20"``; a value that is not a
    whole number stays as written (``"20.5"``, ``"abc"``), so that a later step
    treats it as an unseen label.
    """
    if pd.isna(value):
        return np.nan
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


def check_known_labels(
    X: pd.DataFrame, labels: Mapping[str, Mapping[str, int]]
) -> None:
    """Raise a ``ValueError`` naming every label that has no integer code."""
    problems = {
        variable: sorted(set(X[variable]) - set(codes), key=str)
        for variable, codes in labels.items()
    }
    problems = {variable: unknown for variable, unknown in problems.items() if unknown}
    if problems:
        raise ValueError(f"labels without a code: {problems}")


class CategoricalCaster(DataFrameTransformer):
    """Turn numeric-coded categorical variables into string labels.

    ``MSSubClass`` (the type of dwelling) is written as a number, but its values
    are codes, not quantities. Whether it arrives as ``20``, ``20.0`` or ``"20"``,
    it becomes the label ``"20"``; a missing value stays missing.

    Parameters
    ----------
    variables : list of str
        Numeric-coded categorical columns.

    Attributes
    ----------
    variables_ : list of str
        The columns cast (the step learns nothing else).

    Examples
    --------
    >>> X = pd.DataFrame({"MSSubClass": [20, 60.0, "20", None]})
    >>> CategoricalCaster(["MSSubClass"]).fit_transform(X)["MSSubClass"].tolist()
    ['20', '60', '20', nan]
    """

    def __init__(self, variables: list[str] | None = None) -> None:
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: object = None) -> CategoricalCaster:
        """Check ``X`` and remember its columns; nothing is learned."""
        self.variables_ = list(self.variables or [])
        self._check_fit_input(X, self.variables_)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with ``variables`` as string labels."""
        X = self._check_transform_input(X)
        for variable in self.variables_:
            X[variable] = X[variable].map(as_label).astype("str")
        return X


class Mapper(DataFrameTransformer):
    """Replace ordered labels with the integers of a fixed mapping.

    The mapping comes from the data description (``Po`` < ``Fa`` < ``TA`` < ...),
    so nothing is learned: ``fit`` checks that every training label has a code.

    Parameters
    ----------
    variables : list of str
        Categorical columns sharing the mapping, already imputed.
    mappings : dict of str to int
        The integer of each label.

    Attributes
    ----------
    mappings_ : dict of str to int
        A copy of ``mappings``.

    Examples
    --------
    >>> X = pd.DataFrame({"ExterQual": ["TA", "Gd"]})
    >>> quality = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}
    >>> Mapper(["ExterQual"], quality).fit_transform(X)["ExterQual"].tolist()
    [3, 4]
    """

    def __init__(
        self,
        variables: list[str] | None = None,
        mappings: Mapping[str, int] | None = None,
    ) -> None:
        self.variables = variables
        self.mappings = mappings

    def fit(self, X: pd.DataFrame, y: object = None) -> Mapper:
        """Check that every label of ``variables`` in ``X`` has a code.

        Parameters
        ----------
        X : pandas.DataFrame
            Training data with at least the columns in ``variables``, imputed.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self.variables_ = list(self.variables or [])
        X = self._check_fit_input(X, self.variables_)
        self.mappings_ = dict(self.mappings or {})
        check_no_missing_values(X, self.variables_)
        check_known_labels(X, dict.fromkeys(self.variables_, self.mappings_))
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with the labels of ``variables`` mapped."""
        X = self._check_transform_input(X)
        check_no_missing_values(X, self.variables_)
        check_known_labels(X, dict.fromkeys(self.variables_, self.mappings_))
        for variable in self.variables_:
            X[variable] = X[variable].map(self.mappings_).astype("int64")
        return X


class RareLabelEncoder(DataFrameTransformer):
    """Group the labels rarer than ``tol`` of the training rows as ``replace_with``.

    Parameters
    ----------
    variables : list of str
        Categorical columns, already imputed.
    tol : float, default=0.01
        The smallest share of training rows a label needs to keep its name.
    replace_with : str, default="Rare"
        The label that replaces the rare ones (and any label unseen in ``fit``).

    Attributes
    ----------
    frequent_labels_ : dict of str to list of str
        Per variable, the sorted labels with a share of at least ``tol``.

    Examples
    --------
    >>> X = pd.DataFrame({"Heating": ["GasA"] * 3 + ["Wall"]})
    >>> RareLabelEncoder(["Heating"], tol=0.3).fit_transform(X)["Heating"].tolist()
    ['GasA', 'GasA', 'GasA', 'Rare']
    """

    def __init__(
        self,
        variables: list[str] | None = None,
        tol: float = 0.01,
        replace_with: str = "Rare",
    ) -> None:
        self.variables = variables
        self.tol = tol
        self.replace_with = replace_with

    def fit(self, X: pd.DataFrame, y: object = None) -> RareLabelEncoder:
        """Learn the frequent labels of each variable.

        Parameters
        ----------
        X : pandas.DataFrame
            Training data with at least the columns in ``variables``, imputed.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        if not 0 <= self.tol <= 1:
            raise ValueError(f"tol must be between 0 and 1, got {self.tol}")
        variables = list(self.variables or [])
        X = self._check_fit_input(X, variables)
        check_no_missing_values(X, variables)
        self.frequent_labels_ = {}
        for variable in variables:
            shares = X[variable].value_counts(normalize=True)
            self.frequent_labels_[variable] = sorted(shares[shares >= self.tol].index)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with the rare labels replaced."""
        X = self._check_transform_input(X)
        check_no_missing_values(X, self.frequent_labels_)
        for variable, labels in self.frequent_labels_.items():
            X[variable] = X[variable].where(X[variable].isin(labels), self.replace_with)
        return X


class OrderedOrdinalEncoder(DataFrameTransformer):
    """Encode labels as 0, 1, 2, ... in the order of their mean target.

    The label with the lowest mean target (here the mean log price) in ``fit``
    gets 0, so the code rises with the price: a linear model can use it.

    Parameters
    ----------
    variables : list of str
        Categorical columns, already imputed.

    Attributes
    ----------
    encoder_dict_ : dict of str to dict of str to int
        Per variable, the code of each training label.

    Examples
    --------
    >>> X = pd.DataFrame({"Street": ["Pave", "Grvl", "Pave"]})
    >>> encoder = OrderedOrdinalEncoder(["Street"]).fit(X, [12.0, 11.0, 12.2])
    >>> encoder.encoder_dict_
    {'Street': {'Grvl': 0, 'Pave': 1}}
    """

    def __init__(self, variables: list[str] | None = None) -> None:
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: object = None) -> OrderedOrdinalEncoder:
        """Learn the order of each variable's labels by their mean target.

        Parameters
        ----------
        X : pandas.DataFrame
            Training data with at least the columns in ``variables``, imputed.
        y : array-like of shape (n_samples,)
            The target, one value per row of ``X``.

        Returns
        -------
        self
        """
        variables = list(self.variables or [])
        X = self._check_fit_input(X, variables)
        if y is None:
            raise ValueError("OrderedOrdinalEncoder needs the target y to fit")
        values = np.asarray(y, dtype="float64")
        if values.shape != (len(X),):
            raise ValueError(f"y has shape {values.shape}; expected ({len(X)},)")
        target = pd.Series(values, index=X.index)
        check_no_missing_values(X, variables)
        self.encoder_dict_ = {}
        for variable in variables:
            means = target.groupby(X[variable]).mean().sort_values(kind="stable")
            self.encoder_dict_[variable] = {
                label: code for code, label in enumerate(means.index)
            }
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with the labels of ``variables`` encoded."""
        X = self._check_transform_input(X)
        check_no_missing_values(X, self.encoder_dict_)
        check_known_labels(X, self.encoder_dict_)
        for variable, codes in self.encoder_dict_.items():
            X[variable] = X[variable].map(codes).astype("int64")
        return X

    def __sklearn_tags__(self) -> Tags:
        """Declare that ``fit`` needs ``y``."""
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
