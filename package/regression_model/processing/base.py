"""What the package's transformers share: feature-engine's checks in fit and transform.

The transformers of :mod:`regression_model.processing.features` do what
feature-engine has no transformer for, but they check their input with
feature-engine's own functions, as its transformers do:

- ``check_X``: the input is a DataFrame (a NumPy array becomes one, with columns
  ``x0``, ``x1``, ...), with unique column names and at least one row; it is copied,
  so the caller's frame is never changed;
- ``check_all_variables``: every variable is a column of the input;
- ``_check_X_matches_training_df``: ``transform`` sees as many columns as ``fit``,
  which are then found by name, so their order may differ;
- ``GetFeatureNamesOutMixin``: ``get_feature_names_out``, which makes
  ``set_output(transform="pandas")`` work.

As in feature-engine, ``variables`` may be a list of column names or a single name;
unlike feature-engine, ``None`` means no variables (the step then changes nothing),
so every transformer is default-constructible and changes nothing by default.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from feature_engine._base_transformers.mixins import GetFeatureNamesOutMixin
from feature_engine._check_init_parameters.check_variables import (
    _check_variables_input_value,
)
from feature_engine.dataframe_checks import _check_X_matches_training_df, check_X
from feature_engine.variable_handling import check_all_variables
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

Variables = list[str | int]


class DataFrameTransformer(TransformerMixin, BaseEstimator, GetFeatureNamesOutMixin):
    """The checks of ``fit`` and ``transform`` every transformer here shares.

    Subclasses call :meth:`_check_fit_input` first in ``fit`` and
    :meth:`_check_transform_input` first in ``transform``. The output has the
    columns seen in ``fit``, in that order, which is what
    :meth:`get_feature_names_out` returns.

    Attributes
    ----------
    feature_names_in_ : list of str
        The columns seen in ``fit``.
    n_features_in_ : int
        Their number.
    """

    def _check_fit_input(self, X: Any) -> pd.DataFrame:
        """Check ``X`` in ``fit`` with ``check_X`` and remember its columns.

        Returns
        -------
        pandas.DataFrame
            A copy of ``X``.

        Raises
        ------
        TypeError
            If ``X`` is neither a DataFrame nor a NumPy array.
        ValueError
            If ``X`` has no row, or repeats a column name.
        """
        X = check_X(X)
        self.feature_names_in_ = X.columns.tolist()
        self.n_features_in_ = X.shape[1]
        return X

    def _check_transform_input(self, X: Any) -> pd.DataFrame:
        """Check that the step is fitted and ``X`` has the columns seen in ``fit``.

        Returns
        -------
        pandas.DataFrame
            A copy of ``X`` with its columns in the order seen in ``fit``.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If ``fit`` was not called.
        ValueError
            If ``X`` has more or fewer columns than the frame seen in ``fit``.
        KeyError
            If it has as many, but some under other names.
        """
        check_is_fitted(self)
        X = check_X(X)
        _check_X_matches_training_df(X, self.n_features_in_)
        return X[self.feature_names_in_]


def check_variables(X: pd.DataFrame, variables: Any) -> Variables:
    """Check the ``variables`` parameter and that each one is a column of ``X``.

    Parameters
    ----------
    X : pandas.DataFrame
        The input of ``fit``, already checked.
    variables : list of str, str or None
        The parameter: a list of column names, a single name, or ``None`` for none.

    Returns
    -------
    list of str
        The variables as a new list (``None`` gives an empty one).

    Raises
    ------
    ValueError
        If ``variables`` is an empty list, repeats a name, or is not a name or a
        list of names (feature-engine's check of its own ``variables``).
    KeyError
        If a variable is not a column of ``X``.
    """
    _check_variables_input_value(variables)
    if variables is None:
        return []
    return list(check_all_variables(X, variables))
