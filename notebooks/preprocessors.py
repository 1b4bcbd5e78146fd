"""The steps of notebook 02 that feature-engine has no transformer for.

Notebooks 06 and 07 import them (the notebooks run with ``notebooks/`` as working
directory). Each follows scikit-learn's estimator contract, so it fits in a
``Pipeline`` next to feature-engine's transformers.
"""

import numpy as np
import pandas as pd
from feature_engine.dataframe_checks import check_X
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


class _DataFrameTransformer(TransformerMixin, BaseEstimator):
    """Record the input columns on fit; give the output column names."""

    def _fit_columns(self, X):
        self.feature_names_in_ = X.columns.to_numpy()
        self.n_features_in_ = X.shape[1]

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return self.feature_names_in_.copy()


class CategoryCodeTransformer(_DataFrameTransformer):
    """Turn numeric category codes into strings: 20, 20.0 and "20" all become "20".

    Missing values stay missing (``astype(str)`` alone would make them ``"nan"``).

    Parameters
    ----------
    variables : list of str
        Numeric-coded categorical columns, such as ``MSSubClass``.
    """

    def __init__(self, variables):
        self.variables = variables

    def fit(self, X, y=None):
        X = check_X(X)
        self.variables_ = list(self.variables)
        self._fit_columns(X)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = check_X(X)  # a copy: the caller's frame is left alone
        for var in self.variables_:
            X[var] = X[var].map(_as_category_code).astype("str")
        return X


def _as_category_code(value):
    return value if pd.isna(value) else str(int(float(value)))


class UnseenLabelsToMissing(_DataFrameTransformer):
    """Replace labels not seen during fit with missing values.

    Parameters
    ----------
    variables : list of str
        Categorical columns to check.

    Attributes
    ----------
    seen_labels_ : dict
        The sorted labels of each variable in the data seen by ``fit``.
    """

    def __init__(self, variables):
        self.variables = variables

    def fit(self, X, y=None):
        X = check_X(X)
        self.seen_labels_ = {
            var: sorted(X[var].dropna().unique()) for var in self.variables
        }
        self._fit_columns(X)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = check_X(X)  # a copy: the caller's frame is left alone
        for var, labels in self.seen_labels_.items():
            X[var] = X[var].where(X[var].isin(labels))
        return X


class TemporalVariableTransformer(_DataFrameTransformer):
    """Replace year variables with years elapsed until a reference year.

    Parameters
    ----------
    variables : list of str
        Year columns to transform.
    reference_variable : str, default="YrSold"
    """

    def __init__(self, variables, reference_variable="YrSold"):
        self.variables = variables
        self.reference_variable = reference_variable

    def fit(self, X, y=None):
        X = check_X(X)
        self.variables_ = list(self.variables)
        self._fit_columns(X)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = check_X(X)  # a copy: the caller's frame is left alone
        reference = X[[self.reference_variable]].to_numpy()
        X[self.variables_] = reference - X[self.variables_]
        return X


class Mapper(_DataFrameTransformer):
    """Map the labels of categorical variables to integers.

    Parameters
    ----------
    mappings : dict
        ``{variable: {label: integer}}``; every label must have an integer.
    """

    def __init__(self, mappings):
        self.mappings = mappings

    def fit(self, X, y=None):
        X = check_X(X)
        self.mappings_ = dict(self.mappings)
        self._fit_columns(X)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = check_X(X)  # a copy: the caller's frame is left alone
        for var, mapping in self.mappings_.items():
            X[var] = X[var].map(mapping).astype(np.int64)
        return X
