"""The model as one scikit-learn estimator, built from the configuration.

feature-engine provides every step it has (matching the input columns, imputers,
log, binariser wrapper, rare labels, ordered encoding, dropping a column);
``processing.features`` and ``processing.selection`` provide the rest. The log of
the target lives inside the model, in a ``TransformedTargetRegressor``, so the
saved model predicts prices, not logs.
"""

from __future__ import annotations

import numpy as np
from feature_engine.encoding import OrdinalEncoder, RareLabelEncoder
from feature_engine.imputation import CategoricalImputer, MeanMedianImputer
from feature_engine.preprocessing import MatchVariables
from feature_engine.selection import DropFeatures
from feature_engine.transformation import LogTransformer
from feature_engine.wrappers import SklearnTransformerWrapper
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Lasso
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Binarizer, MinMaxScaler

from regression_model.config import ModelConfig
from regression_model.processing.features import (
    Mapper,
    NumericCodedCategoricalTransformer,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
)
from regression_model.processing.selection import FeatureSelector


def _variables(names: list[str]) -> list[str | int]:
    """Column names as feature-engine types them (``list[str | int]``)."""
    return [*names]


def build_pipeline(config: ModelConfig) -> TransformedTargetRegressor:
    """Build the untrained model described by ``config``.

    Fit it on the model's input columns, ``config.input_variables``: its first
    step, feature-engine's ``MatchVariables``, learns them from the training frame.
    Then, as the scoring contract's first rule says, it drops the extra columns of
    a frame to price and adds the absent ones as missing values, silently
    (``verbose=False``: the package's validation warns about absent columns once).

    Parameters
    ----------
    config : ModelConfig
        The ``model`` section of the configuration.

    Returns
    -------
    sklearn.compose.TransformedTargetRegressor
        A pipeline of the feature steps, MinMax scaling and Lasso, fitted on
        ``log(SalePrice)`` and predicting ``exp`` of its output.
    """
    mapping_steps = [
        (
            f"{mapping.name}_mapping",
            Mapper(variables=mapping.variables, mappings=dict(mapping.mapping)),
        )
        for mapping in config.mappings
    ]
    steps = Pipeline(
        [
            # feature-engine's MatchVariables, in place of a hand-written selector:
            # the same columns in the same order (prices and plan unchanged to the
            # bit), dtypes kept as they come (match_dtypes=False: casting a float
            # column back to the training integers would refuse missing values)
            (
                "select_inputs",
                MatchVariables(missing_values="ignore", verbose=False),
            ),
            (
                "numeric_coded_categories",
                NumericCodedCategoricalTransformer(
                    config.numeric_coded_categorical_variables
                ),
            ),
            (
                "unseen_labels_to_missing",
                UnseenLabelsToMissing(config.categorical_variables),
            ),
            (
                "missing_imputation",
                CategoricalImputer(
                    imputation_method="missing",
                    fill_value="Missing",
                    variables=_variables(config.categorical_vars_with_na_missing),
                ),
            ),
            (
                "frequent_imputation",
                CategoricalImputer(
                    imputation_method="frequent",
                    variables=_variables(config.categorical_vars_with_na_frequent),
                ),
            ),
            (
                "mean_imputation",
                MeanMedianImputer(
                    imputation_method="mean",
                    variables=_variables(config.numerical_variables),
                ),
            ),
            (
                "elapsed_time",
                TemporalVariableTransformer(
                    config.temporal_variables,
                    reference_variable=config.reference_variable,
                ),
            ),
            ("drop_reference", DropFeatures(_variables([config.reference_variable]))),
            ("log", LogTransformer(variables=_variables(config.log_variables))),
            (
                "binarizer",
                SklearnTransformerWrapper(
                    Binarizer(threshold=config.binarize_threshold),
                    variables=_variables(config.binarize_variables),
                ),
            ),
            *mapping_steps,
            (
                "rare_labels",
                RareLabelEncoder(
                    tol=config.rare_label_tol,
                    n_categories=config.rare_label_n_categories,
                    variables=_variables(config.categorical_vars_to_encode),
                ),
            ),
            (
                "ordinal_encoding",
                OrdinalEncoder(
                    encoding_method="ordered",
                    variables=_variables(config.categorical_vars_to_encode),
                ),
            ),
            ("select_features", FeatureSelector(config.features)),
            ("scaler", MinMaxScaler()),
            ("lasso", Lasso(alpha=config.alpha, random_state=config.random_state)),
        ]
    )
    return TransformedTargetRegressor(regressor=steps, func=np.log, inverse_func=np.exp)
