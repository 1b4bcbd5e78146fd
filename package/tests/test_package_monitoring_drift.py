"""Drift: PSI near 0 for the training split's rows, large for a shifted copy."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from regression_model.config import load_config
from regression_model.monitoring.drift import (
    EPSILON,
    ks_by_feature,
    psi,
    psi_by_feature,
    verdict,
)
from regression_model.monitoring.reference import build_reference, load_reference
from regression_model.train_pipeline import split_data


@pytest.fixture(scope="module")
def reference(trained: tuple[Path, Any, dict[str, Any]]) -> dict[str, Any]:
    """The session model's training reference."""
    loaded = load_reference(trained[0])
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def training_split(kaggle_dir: Path) -> pd.DataFrame:
    """The raw inputs of the training split, as training drew it."""
    X_train, *_ = split_data(pd.read_csv(kaggle_dir / "train.csv"), load_config())
    return X_train


def test_the_training_split_itself_has_no_drift(
    reference: dict[str, Any], training_split: pd.DataFrame
) -> None:
    # When the training split is compared with its own reference
    psis = psi_by_feature(reference, training_split)
    tests = ks_by_feature(reference, training_split)

    # Then every PSI is 0, every KS gap within the percentiles' 1 %
    assert max(psis.values()) < 1e-12
    assert max(test["statistic"] for test in tests.values()) <= 0.01 + 1e-12


def test_rows_drawn_from_the_training_split_are_stable(
    reference: dict[str, Any], training_split: pd.DataFrame
) -> None:
    # Given 500 rows drawn from the training split
    sample = training_split.sample(500, random_state=1)

    # When their drift is computed
    psis = psi_by_feature(reference, sample)

    # Then no feature moves beyond sampling noise (stable: PSI below 0.1)
    assert max(psis.values()) < 0.1
    assert {verdict(value) for value in psis.values()} == {"stable"}


def test_living_area_half_as_large_again_is_flagged(
    reference: dict[str, Any], test_data: pd.DataFrame
) -> None:
    # Given test.csv, and a copy whose GrLivArea is 1.5 times larger
    shifted = test_data.copy()
    shifted["GrLivArea"] = shifted["GrLivArea"] * 1.5

    # When the drift of both is computed
    before = psi_by_feature(reference, test_data)
    after = psi_by_feature(reference, shifted)

    # Then test.csv is stable, and the copy's GrLivArea alone is large
    assert before["GrLivArea"] < 0.1
    assert after["GrLivArea"] > 0.25
    assert [f for f, value in after.items() if value > 0.25] == ["GrLivArea"]
    assert ks_by_feature(reference, shifted)["GrLivArea"]["statistic"] > 0.3


def test_an_empty_bin_counts_with_epsilon() -> None:
    # Given a reference where every row was 1, and new rows all 3
    spec = build_reference(pd.DataFrame({"x": [1.0] * 10}), ["x"])["x"]

    # When their PSI is computed
    value = psi(spec, pd.Series([3.0] * 10))

    # Then the empty bins count as EPSILON: two bins swap all their rows
    expected = 2 * (1 - EPSILON) * math.log(1 / EPSILON)
    assert value == pytest.approx(expected, rel=1e-12)


def test_unseen_labels_and_missing_cells_have_their_own_bins() -> None:
    # Given a category seen as "a" and "b" at training
    spec = build_reference(pd.DataFrame({"c": ["a", "b"] * 5}), ["c"])["c"]

    # When new rows bring an unseen label or missing cells, then both drift
    assert psi(spec, pd.Series(["a", "b"] * 5)) == pytest.approx(0.0, abs=1e-12)
    assert psi(spec, pd.Series(["a", "z"] * 5)) > 0.25
    assert psi(spec, pd.Series(["a", None] * 5)) > 0.25


def test_no_rows_have_no_psi() -> None:
    # Given a numeric reference
    spec = build_reference(pd.DataFrame({"x": [1.0, 2.0]}), ["x"])["x"]

    # When no rows are compared, then there is no PSI to tell
    assert math.isnan(psi(spec, pd.Series([], dtype=float)))
    assert verdict(math.nan) == "no rows"
