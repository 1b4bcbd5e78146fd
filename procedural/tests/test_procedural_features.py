"""The whole feature recipe on real records, and the scoring contract it keeps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from procedural import config
from procedural.features import make_features


@pytest.fixture(scope="module")
def test_records(real_data_dir) -> pd.DataFrame:
    return pd.read_csv(real_data_dir / "test.csv")


def test_features_are_the_model_columns_all_numbers_none_missing(test_records):
    # Given the Kaggle test records, with their missing values and unseen labels
    # When the features are made
    features = make_features(test_records)
    # Then there is one row per record and exactly the model's columns, all filled
    assert features.columns.tolist() == config.FEATURES
    assert features.index.equals(test_records.index)
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in features.dtypes)
    assert np.isfinite(features.to_numpy(dtype=float)).all()


def test_column_order_and_extra_columns_do_not_matter(test_records):
    # Given the same records with columns reversed and an extra column
    shuffled = test_records[test_records.columns[::-1]].assign(Comment="nice view")
    # When the features are made from both
    # Then they are identical
    pd.testing.assert_frame_equal(make_features(shuffled), make_features(test_records))


def test_number_coded_category_gives_the_same_features_however_written(test_records):
    # Given one record with MSSubClass written as 20, 20.0 and "20"
    record = test_records.iloc[[0]]
    variants = [
        record.assign(MSSubClass=pd.Series([value], index=record.index, dtype=object))
        for value in (20, 20.0, "20")
    ]
    # When the features are made
    features = [make_features(variant) for variant in variants]
    # Then they are identical
    pd.testing.assert_frame_equal(features[0], features[1])
    pd.testing.assert_frame_equal(features[0], features[2])


def test_unseen_label_gives_the_features_of_a_missing_value(test_records):
    # Given one record with unseen labels and the same record with missing values
    record = test_records.iloc[[0]]
    unseen = record.assign(
        Neighborhood="Atlantis", KitchenQual="Superb", MSSubClass=999
    )
    missing = record.assign(Neighborhood=np.nan, KitchenQual=np.nan, MSSubClass=np.nan)
    # When the features are made
    # Then they are identical
    pd.testing.assert_frame_equal(make_features(unseen), make_features(missing))


def test_every_used_value_missing_gives_the_imputed_features(test_records):
    # Given one record with every used value missing, in columns never missing in
    # training too (GarageCars, KitchenQual), and one with the imputation values
    record = test_records.iloc[[0]]
    used = [*config.FEATURES, config.REFERENCE_VARIABLE]
    empty = record.assign(**dict.fromkeys(used, np.nan))
    imputed = record.assign(
        **dict.fromkeys(config.CATEGORICAL_VARS_WITH_NA_MISSING, "Missing"),
        **config.CATEGORICAL_FREQUENT_LABELS,
        **config.NUMERICAL_MEANS,
    )
    # When the features are made
    features = make_features(empty)
    # Then they are those of the imputation values, all finite
    pd.testing.assert_frame_equal(features, make_features(imputed))
    assert np.isfinite(features.to_numpy(dtype=float)).all()
