"""Every stage gives the same predictions: the promise of this repository.

Each stage runs the way its user runs it (see ``stages.py``); the package stage is the
reference every other stage is compared with.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from tests.parity import stages
from tests.parity.conftest import COMPARISONS

RELATIVE_TOLERANCE = 1e-9
REFERENCE = "package"
SCRIPTED = ["procedural", "oop", "package", "api"]  # they price any CSV file
VARIANTS = ["shuffled", "reordered", "missing", "unseen"]


def assert_same(name: str, stage: str, reference: str, predictions) -> None:
    """Assert two stages agree on input ``name``; record the difference."""
    # When both stages price the same input
    comparison = stages.compare(
        stage, predictions(stage, name), reference, predictions(reference, name)
    )
    COMPARISONS.append((name, comparison))
    # Then they agree within the tolerance
    assert comparison.max_rel <= RELATIVE_TOLERANCE, comparison


def assert_every_row_priced(prices: pd.Series, input_csv) -> None:
    ids = pd.read_csv(input_csv, usecols=["Id"])["Id"]
    assert list(prices.index) == list(ids)
    assert np.isfinite(prices.to_numpy()).all() and (prices > 0).all()


@pytest.mark.parametrize("stage", [s for s in stages.STAGES if s != REFERENCE])
@pytest.mark.parametrize("name", ["test", "holdout"])
def test_stage_predicts_like_the_package(stage, name, predictions):
    # Given the Kaggle test set or the training holdout, priced by every stage
    assert_same(name, stage, REFERENCE, predictions)


@pytest.mark.parametrize("stage", SCRIPTED)
def test_every_test_row_is_priced_in_input_order(stage, predictions, parity_inputs):
    # Given the Kaggle test set, with its missing values and unseen labels
    # When the stage prices it
    prices = predictions(stage, "test")
    # Then all 1459 rows have a positive price, in the order of test.csv
    assert len(prices) == 1459
    assert_every_row_priced(prices, parity_inputs["test"])


@pytest.mark.parametrize("stage", [s for s in SCRIPTED if s != REFERENCE])
@pytest.mark.parametrize("name", VARIANTS)
def test_stages_agree_on_robustness_inputs(stage, name, predictions, parity_inputs):
    # Given test.csv shuffled, reordered, with missing cells or with unseen labels
    assert_same(name, stage, REFERENCE, predictions)
    assert_every_row_priced(predictions(stage, name), parity_inputs[name])


@pytest.mark.parametrize("stage", SCRIPTED)
@pytest.mark.parametrize("name", ["shuffled", "reordered"])
def test_row_and_column_order_do_not_change_prices(stage, name, predictions):
    # Given test.csv with its rows shuffled or its columns reordered
    # When the stage prices it
    prices = predictions(stage, name)
    # Then every house gets exactly the price it gets in test.csv
    original = predictions(stage, "test")
    pd.testing.assert_series_equal(prices.sort_index(), original.sort_index())


@pytest.mark.parametrize("name", ["missing", "unseen"])
def test_missing_and_unseen_values_change_some_prices(name, predictions):
    # Given cells blanked out or labels never seen in training
    # When the package prices them
    changed = predictions(REFERENCE, name) != predictions(REFERENCE, "test")
    # Then the imputation really happened: some prices moved, none went missing
    assert changed.sum() > 100


@pytest.mark.parametrize("stage", ["procedural", "oop", "package"])
def test_training_again_with_another_hash_seed_gives_the_same_predictions(
    stage, predictions, parity_inputs, tmp_path
):
    # Given the stage trained a second time, with another PYTHONHASHSEED
    assert os.environ.get("PYTHONHASHSEED") != "12345"
    retrained = stages.Stage(stage, tmp_path, env={"PYTHONHASHSEED": "12345"})
    # When it is trained and prices test.csv
    retrained.train()
    prices = retrained.score(parity_inputs["test"], "test")
    # Then the predictions are bit for bit those of the first training
    pd.testing.assert_series_equal(
        prices, predictions(stage, "test"), check_exact=True, rtol=0, atol=0
    )
