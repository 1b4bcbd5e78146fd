"""The pipeline's last selection: the model's features, in the order Lasso sees them.

The pipeline opens with feature-engine's ``MatchVariables``, which learns its columns
from the training frame. Its last selection is written out instead: a
:class:`FeatureSelector` keeps the ``features`` of ``config.yml``, in their order,
whatever the steps before it pass on. feature-engine has no step that keeps a given
list of columns (its ``DropFeatures`` drops one), so this one is the package's.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from feature_engine.dataframe_checks import check_X
from feature_engine.variable_handling import check_all_variables
from sklearn.utils.validation import check_is_fitted

from regression_model.processing.base import DataFrameTransformer, check_variables


class FeatureSelector(DataFrameTransformer):
    """Keep exactly the given columns, in the given order, found by name.

    Columns may come in any order and extra columns are ignored. The order matters
    downstream: Lasso's coordinate descent visits the features in column order, so
    a different order gives (slightly) different coefficients.

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
        X = self._check_fit_input(X)
        self.variables_ = check_variables(X, self.variables)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the ``variables`` columns of ``X``, in order, as a new frame."""
        check_is_fitted(self)
        X = check_X(X)
        return X[check_all_variables(X, self.variables_)]

    def get_feature_names_out(self, input_features: Any = None) -> list[str | int]:
        """The output columns: ``variables``, in order, whatever the input's.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored: the output never depends on the input's columns.

        Returns
        -------
        list of str
        """
        check_is_fitted(self)
        return list(self.variables_)
