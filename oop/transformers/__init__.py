"""The model's steps as scikit-learn transformers: DataFrame in, DataFrame out."""

from oop.transformers.encoding import (
    CategoricalCaster,
    Mapper,
    OrderedOrdinalEncoder,
    RareLabelEncoder,
)
from oop.transformers.imputation import (
    CategoricalImputer,
    MeanImputer,
    UnseenLabelsToMissing,
)
from oop.transformers.selection import FeatureSelector
from oop.transformers.transformation import (
    Binarizer,
    LogTransformer,
    TemporalVariableTransformer,
)

__all__ = [
    "Binarizer",
    "CategoricalCaster",
    "CategoricalImputer",
    "FeatureSelector",
    "LogTransformer",
    "Mapper",
    "MeanImputer",
    "OrderedOrdinalEncoder",
    "RareLabelEncoder",
    "TemporalVariableTransformer",
    "UnseenLabelsToMissing",
]
