"""Training's two checks: train.csv before fitting, the model's holdout after.

The command line's cases (each bad file, shuffled prices, ``--force``) are in
``tests/reliability/test_training.py``; these test the functions behind them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regression_model.config import load_config
from regression_model.processing.training_data import (
    MAX_PROBLEMS,
    TrainingDataError,
    load_training_data,
    training_problems,
)
from regression_model.train_pipeline import quality_gate


@pytest.fixture(scope="module")
def train_data(kaggle_dir: Path) -> pd.DataFrame:
    """Kaggle's train.csv (do not modify: copy first)."""
    return pd.read_csv(kaggle_dir / "train.csv")


def test_kaggle_train_csv_has_no_problem(train_data):
    # Given Kaggle's own train.csv
    # When it is checked
    problems = training_problems(train_data, load_config().model)
    # Then it may train the model
    assert problems == []


def test_prices_on_the_bounds_are_plausible_and_just_outside_are_not(train_data):
    # Given four prices: both bounds and just outside each
    config = load_config().model
    prices = [config.min_price, config.max_price, config.min_price - 1]
    data = train_data.head(4).copy()
    data["SalePrice"] = [*prices, config.max_price + 1]
    # When the frame is checked
    problems = training_problems(
        data, config.model_copy(update={"min_training_rows": 2})
    )
    # Then only the two prices outside the bounds are problems, by row and column
    assert [(p["row"], p["column"]) for p in problems] == [
        (2, "SalePrice"),
        (3, "SalePrice"),
    ]


def test_a_file_with_only_a_header_is_too_small(train_data):
    # Given train.csv's columns and no row
    config = load_config().model
    # When the empty frame is checked
    problems = training_problems(train_data.head(0), config)
    # Then its one problem is its size
    assert [p["message"].split(":")[0] for p in problems] == ["0 rows"]


def test_problems_are_listed_up_to_a_cap_then_counted(train_data, tmp_path):
    # Given a train.csv whose every price is in cents
    data = train_data.assign(SalePrice=train_data["SalePrice"] * 100)
    data.to_csv(tmp_path / "train.csv", index=False)
    too_dear = int((data["SalePrice"] > load_config().model.max_price).sum())
    # When it is loaded for training
    with pytest.raises(TrainingDataError) as raised:
        load_training_data("train.csv", tmp_path, load_config().model)
    # Then the first problems are listed, one line each, and the rest counted
    lines = raised.value.problems
    assert len(lines) == MAX_PROBLEMS + 1
    assert all("\n" not in line for line in lines)
    assert lines[-1].endswith(f"{too_dear - MAX_PROBLEMS} more problems not shown")


def holdout(n: int = 200) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(0)
    prices = pd.Series(np.exp(rng.normal(12, 0.4, size=2 * n)))
    return prices[:n], prices[n:]


def test_a_model_under_the_gate_and_the_baseline_passes():
    # Given a model whose holdout RMSE (log price) is 0.12, under the gate of 0.2
    y_train, y_holdout = holdout()
    metrics = {"rmse_log": 0.12, "r2_log": 0.9}
    # When the gate judges it
    gate = quality_gate(metrics, y_train, y_holdout, load_config())
    # Then it passes, with no reason given
    assert gate["passed"] is True
    assert "reason" not in gate


def test_a_model_over_the_gate_fails_with_a_reason():
    # Given a model whose holdout RMSE (log price) is 0.25, over the gate of 0.2
    y_train, y_holdout = holdout()
    metrics = {"rmse_log": 0.25, "r2_log": 0.6}
    # When the gate judges it
    gate = quality_gate(metrics, y_train, y_holdout, load_config())
    # Then it fails, and the reason names the setting
    assert gate["passed"] is False
    assert "max_holdout_rmse_log" in gate["reason"]


def test_a_model_no_better_than_the_mean_price_fails_even_under_a_loose_gate():
    # Given a gate loosened to 10 and a model exactly as good as the mean price
    config = load_config()
    loose = config.model_copy(
        update={"model": config.model.model_copy(update={"max_holdout_rmse_log": 10})}
    )
    y_train, y_holdout = holdout()
    baseline = float(
        np.sqrt(np.mean((np.log(y_holdout) - np.log(y_train).mean()) ** 2))
    )
    # When the gate judges it
    gate = quality_gate(
        {"rmse_log": baseline, "r2_log": 0.0}, y_train, y_holdout, loose
    )
    # Then it fails: the baseline is as good
    assert gate["baseline_rmse_log"] == pytest.approx(baseline, rel=1e-12)
    assert gate["passed"] is False
