"""The whole model on the Kaggle data: how it prices.

The model is the one ``python -m oop.train`` saved, trained once per test session
(root ``conftest.py``). That it learns exactly the parameters the procedural stage
hard-codes is a cross-stage question: ``tests/parity/test_parameters.py``.
"""

from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from oop import settings


@pytest.fixture(scope="module")
def training_split(real_data_dir):
    data = pd.read_csv(real_data_dir / "train.csv")
    X = data.drop(columns=[settings.ID_VARIABLE, settings.TARGET])
    return train_test_split(
        X,
        data[settings.TARGET],
        test_size=settings.TEST_SIZE,
        random_state=settings.RANDOM_STATE,
    )


@pytest.fixture(scope="module")
def model(trained_stage):
    """The model the training script saved (the stage trained once per session)."""
    return joblib.load(trained_stage("oop").workdir / settings.MODEL_FILE.name)


@pytest.fixture(scope="module")
def test_records(real_data_dir):
    return pd.read_csv(real_data_dir / "test.csv")


def test_feature_names_out_are_the_features_in_order(model):
    # Given the fitted model
    # When the names of what the Lasso sees are asked for
    names = model.regressor_[:-1].get_feature_names_out()
    # Then they are the selected features, in their order
    assert names.tolist() == settings.FEATURES


def test_holdout_error_beats_the_course_model(model, training_split):
    # Given the fitted model and the held-out rows
    _, X_holdout, _, y_holdout = training_split
    # When they are priced
    log_error = np.log(model.predict(X_holdout)) - np.log(y_holdout)
    # Then the RMSE of the log price is below the course's 0.1253 (that it equals
    # the other stages' to the last bit is what tests/parity proves)
    rmse = float(np.sqrt(np.mean(log_error**2)))
    assert rmse < 0.1253


def test_prices_every_record_with_missing_values_and_unseen_labels(model, test_records):
    # Given test records with every feature missing in one row and unseen labels
    records = test_records.head(3).astype({"MSSubClass": "object"})
    records.loc[0, settings.FEATURES] = np.nan
    records.loc[1, ["Neighborhood", "MSSubClass"]] = ["Atlantis", "999"]
    # When they are priced
    prices = model.predict(records)
    # Then every record has a positive price
    assert prices.shape == (3,)
    assert np.isfinite(prices).all() and (prices > 0).all()


def test_prices_do_not_depend_on_column_order_or_extra_columns(model, test_records):
    # Given the test records and the same with columns reversed and one more
    reordered = test_records[test_records.columns[::-1]].assign(Extra="x")
    # When both are priced
    # Then the prices are identical
    np.testing.assert_array_equal(model.predict(reordered), model.predict(test_records))


def test_higher_overall_quality_does_not_lower_the_price(model, test_records):
    # Given test records, and the same with OverallQual one point higher
    better = test_records.assign(OverallQual=test_records["OverallQual"] + 1)
    # When both are priced
    # Then no house got cheaper
    assert (model.predict(better) >= model.predict(test_records)).all()


def test_cloned_model_refits_to_the_same_prices(model, training_split, test_records):
    # Given an unfitted clone of the fitted model
    X_train, _, y_train, _ = training_split
    copy = clone(model)
    # When it is fitted on the same data
    copy.fit(X_train, y_train)
    # Then it prices exactly as the original
    np.testing.assert_array_equal(
        copy.predict(test_records), model.predict(test_records)
    )
