"""The feature recipe: every preprocessing step, in order, with config's parameters.

``train.py`` and ``score.py`` both call :func:`make_features`, so the two scripts
cannot apply different steps, or the same steps in a different order.
"""

from __future__ import annotations

import pandas as pd

from procedural import config
from procedural import preprocessing as pp


def make_features(data: pd.DataFrame) -> pd.DataFrame:
    """Turn raw house records into the model's features.

    Parameters
    ----------
    data : pandas.DataFrame
        Raw records, columns as in ``train.csv``, in any order; other columns are
        ignored. Every variable of ``config.FEATURES`` and ``config.REFERENCE_VARIABLE``
        must be present; their values may be missing.

    Returns
    -------
    pandas.DataFrame
        The columns of ``config.FEATURES``, in that order, all numbers, none missing.
    """
    data = pp.labels_from_numbers(data, config.NUMBER_CODED_CATEGORICAL_VARS)
    data = pp.replace_unseen_labels(data, config.SEEN_LABELS)
    data = pp.impute_with_missing_label(
        data, config.CATEGORICAL_VARS_WITH_NA_MISSING, config.CATEGORICAL_MISSING_LABEL
    )
    data = pp.impute_with_frequent_label(data, config.CATEGORICAL_FREQUENT_LABELS)
    data = pp.impute_numerical(data, config.NUMERICAL_MEANS)
    data = pp.elapsed_years(data, config.TEMPORAL_VARIABLES, config.REFERENCE_VARIABLE)
    data = pp.log_transform(data, config.LOG_VARIABLES)
    data = pp.binarize(data, config.BINARIZE_VARIABLES)
    data = pp.map_labels(data, config.MAPPINGS)
    data = pp.group_rare_labels(data, config.FREQUENT_LABELS, config.RARE_LABEL)
    data = pp.map_labels(data, config.ENCODING_MAPPINGS)
    return pp.select_features(data, config.FEATURES)
