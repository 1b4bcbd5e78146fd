"""The whole model as one scikit-learn object: raw house data in, prices out."""

from __future__ import annotations

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Lasso
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from oop import settings
from oop.transformers import (
    Binarizer,
    CategoricalCaster,
    CategoricalImputer,
    FeatureSelector,
    LogTransformer,
    Mapper,
    MeanImputer,
    OrderedOrdinalEncoder,
    RareLabelEncoder,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
)


def build_pipeline(
    alpha: float = settings.ALPHA, random_state: int = settings.RANDOM_STATE
) -> TransformedTargetRegressor:
    """Return the unfitted model: the feature steps, the scaler and the Lasso.

    The target's log lives inside the model: ``fit`` takes prices and fits the
    pipeline on their log (so the ordinal encoder orders labels by mean log
    price), ``predict`` returns prices. One saved object is all scoring needs.

    Parameters
    ----------
    alpha : float, default=settings.ALPHA
        Lasso's regularisation strength.
    random_state : int, default=settings.RANDOM_STATE
        Lasso's seed (used only with ``selection="random"``; kept for parity).

    Returns
    -------
    sklearn.compose.TransformedTargetRegressor
        ``fit(X, prices)``, ``predict(X) -> prices``, where ``X`` holds at least
        the raw variables named in :mod:`oop.settings`, in any order.
    """
    raw_variables = [*settings.FEATURES, settings.REFERENCE_VARIABLE]
    steps = [
        ("raw_variables", FeatureSelector(raw_variables)),
        ("numeric_coded", CategoricalCaster(settings.NUMERIC_CODED_VARIABLES)),
        ("unseen_labels", UnseenLabelsToMissing(settings.CATEGORICAL_VARIABLES)),
        ("categorical_imputer", CategoricalImputer(settings.CATEGORICAL_VARIABLES)),
        ("mean_imputer", MeanImputer(settings.NUMERICAL_VARIABLES)),
        (
            "elapsed_years",
            TemporalVariableTransformer(
                settings.TEMPORAL_VARIABLES, settings.REFERENCE_VARIABLE
            ),
        ),
        ("log", LogTransformer(settings.LOG_VARIABLES)),
        ("binarizer", Binarizer(settings.BINARIZE_VARIABLES)),
        ("quality", Mapper(settings.QUALITY_VARIABLES, settings.QUALITY_MAPPINGS)),
        ("exposure", Mapper(settings.EXPOSURE_VARIABLES, settings.EXPOSURE_MAPPINGS)),
        ("finish", Mapper(settings.FINISH_VARIABLES, settings.FINISH_MAPPINGS)),
        ("garage", Mapper(settings.GARAGE_VARIABLES, settings.GARAGE_MAPPINGS)),
        (
            "rare_labels",
            RareLabelEncoder(settings.ENCODED_VARIABLES, tol=settings.RARE_LABEL_TOL),
        ),
        ("ordinal_encoder", OrderedOrdinalEncoder(settings.ENCODED_VARIABLES)),
        ("features", FeatureSelector(settings.FEATURES)),
        ("scaler", MinMaxScaler()),
        ("lasso", Lasso(alpha=alpha, random_state=random_state)),
    ]
    return TransformedTargetRegressor(
        regressor=Pipeline(steps), func=np.log, inverse_func=np.exp
    )
