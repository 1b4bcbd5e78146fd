"""What every transformer of this stage shares: DataFrame in, DataFrame out.

Each transformer works on named columns (``variables``), so it needs a
:class:`pandas.DataFrame`; the checks here turn a wrong input into an error that
names what is wrong instead of a ``KeyError`` deep inside pandas.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


def check_dataframe(X: object) -> pd.DataFrame:
    """Return ``X`` if it is a DataFrame, else raise a ``TypeError``.

    Parameters
    ----------
    X : object
        The input a transformer received.

    Returns
    -------
    pandas.DataFrame
        ``X`` itself (not a copy).
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"expected a pandas DataFrame with named columns, got {type(X).__name__}"
        )
    return X


def check_variables_present(X: pd.DataFrame, variables: Iterable[str]) -> None:
    """Raise a ``ValueError`` naming every variable that ``X`` lacks."""
    missing = [variable for variable in variables if variable not in X.columns]
    if missing:
        raise ValueError(f"the input has no column(s) {missing}")


def check_no_missing_values(X: pd.DataFrame, variables: Iterable[str]) -> None:
    """Raise a ``ValueError`` naming each variable with missing values and its rows.

    The steps after imputation need complete columns; a missing value there means
    an imputation step is absent from the pipeline.
    """
    problems = [
        f"{variable} (rows {X.index[X[variable].isna()].tolist()[:5]})"
        for variable in variables
        if X[variable].isna().any()
    ]
    if problems:
        raise ValueError("missing values (impute them first) in " + ", ".join(problems))


def check_numeric(X: pd.DataFrame, variables: Iterable[str]) -> None:
    """Raise a ``TypeError`` naming each variable that is not numeric."""
    problems = [
        f"{variable} ({X[variable].dtype})"
        for variable in variables
        if not pd.api.types.is_numeric_dtype(X[variable])
    ]
    if problems:
        raise TypeError("expected numbers in " + ", ".join(problems))


class DataFrameTransformer(TransformerMixin, BaseEstimator):
    """Base class: a transformer that changes some columns of a DataFrame in place.

    The output has the input's columns, in the input's order, so
    :meth:`get_feature_names_out` returns the names seen in ``fit``. Subclasses
    call :meth:`_check_fit_input` first in ``fit`` and :meth:`_check_transform_input`
    first in ``transform``.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The columns seen in ``fit``.
    n_features_in_ : int
        Their number.
    """

    def _check_fit_input(self, X: object, variables: Iterable[str]) -> pd.DataFrame:
        """Check ``X`` in ``fit`` and remember its columns.

        ``X`` must be a DataFrame with at least one row and every one of
        ``variables``; otherwise a ``TypeError`` or ``ValueError`` says what is wrong.
        """
        frame = check_dataframe(X)
        if frame.empty:
            raise ValueError(f"no data to fit on: the input has shape {frame.shape}")
        check_variables_present(frame, variables)
        self.feature_names_in_ = frame.columns.to_numpy(dtype=object)
        self.n_features_in_ = frame.shape[1]
        return frame

    def _check_transform_input(self, X: object) -> pd.DataFrame:
        """Check ``X`` in ``transform``: fitted, same columns as in ``fit``; copy it.

        Returns
        -------
        pandas.DataFrame
            A copy of ``X``, so the caller's frame is never changed.
        """
        check_is_fitted(self)
        frame = check_dataframe(X)
        expected = list(self.feature_names_in_)
        if list(frame.columns) != expected:
            missing = [column for column in expected if column not in frame.columns]
            extra = [column for column in frame.columns if column not in expected]
            raise ValueError(
                "the columns differ from those seen in fit: "
                f"missing {missing}, unexpected {extra}"
                + ("" if missing or extra else ", or are in another order")
            )
        return frame.copy()

    def get_feature_names_out(
        self, input_features: Iterable[str] | None = None
    ) -> np.ndarray:
        """Return the output column names: the input's, unchanged.

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
