"""Column selection: keep the features the model uses, in the model's order."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from oop.transformers.base import (
    DataFrameTransformer,
    check_dataframe,
    check_variables_present,
)


class FeatureSelector(DataFrameTransformer):
    """Keep exactly ``features``, in that order, found by name.

    Columns may come in any order and extra columns are ignored, so the selector
    can also open a pipeline: it takes a whole ``test.csv`` and passes on only the
    columns the next steps need. Order matters downstream: Lasso's coordinate
    descent visits the features in column order.

    Parameters
    ----------
    features : list of str
        The columns to keep, in the output's order.

    Attributes
    ----------
    features_ : list of str
        A copy of ``features``.

    Examples
    --------
    >>> X = pd.DataFrame({"b": [1], "Id": [7], "a": [2]})
    >>> FeatureSelector(["a", "b"]).fit_transform(X).columns.tolist()
    ['a', 'b']
    """

    def __init__(self, features: list[str] | None = None) -> None:
        self.features = features

    def fit(self, X: pd.DataFrame, y: object = None) -> FeatureSelector:
        """Check that ``X`` has every feature; nothing is learned."""
        self.features_ = list(self.features or [])
        self._check_fit_input(X, self.features_)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the columns ``features`` of ``X``, in that order, as a new frame."""
        check_is_fitted(self)
        frame = check_dataframe(X)
        check_variables_present(frame, self.features_)
        return frame[self.features_].copy()

    def get_feature_names_out(
        self, input_features: Iterable[str] | None = None
    ) -> np.ndarray:
        """Return ``features``: the output's columns whatever the input's.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored: the output never depends on the input's columns.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self)
        return np.asarray(self.features_, dtype=object)
