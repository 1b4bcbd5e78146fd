"""The drift window, on a small hand-made reference: which rows it keeps, when it
computes, and that its figures are the package's PSI."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from app.services.drift import DriftWindow
from prometheus_client import CollectorRegistry, Gauge
from regression_model.monitoring.drift import psi

# Two features: a number with two bins (<= 100, > 100), a category with two labels.
REFERENCE: dict[str, dict[str, Any]] = {
    "LotArea": {
        "kind": "numeric",
        "edges": [100.0],
        "shares": [0.5, 0.5],
        "percentiles": [0.0, 100.0, 200.0],
        "missing": 0.0,
    },
    "1stFlrSF": {
        "kind": "categorical",
        "shares": {"small": 0.5, "large": 0.5},
        "missing": 0.0,
    },
}


def gauge() -> Gauge:
    return Gauge("psi", "PSI", ["feature"], registry=CollectorRegistry())


def figures(found: Gauge) -> dict[str, float]:
    """The gauge's value per feature."""
    return {
        sample.labels["feature"]: sample.value
        for metric in found.collect()
        for sample in metric.samples
    }


def test_psi_is_zero_for_rows_shaped_like_the_reference() -> None:
    # Given a window and rows split as the reference is
    window = DriftWindow(REFERENCE, gauge(), window_rows=4, refresh_seconds=0)
    rows = [
        {"LotArea": 50, "1stFlrSF": "small"},
        {"LotArea": 150, "1stFlrSF": "large"},
    ]

    # When they are priced
    window.add(rows, [1.0, 2.0])

    # Then each feature's PSI is 0
    assert figures(window.gauge) == {"LotArea": 0.0, "1stFlrSF": 0.0}


def test_only_the_last_rows_priced_count() -> None:
    # Given a window of 2 rows, and three rows of which the middle one got no price
    window = DriftWindow(REFERENCE, gauge(), window_rows=2, refresh_seconds=0)
    rows = [{"LotArea": 50}, {"LotArea": 500}, {"LotArea": 150}]

    # When they are priced, then two more large ones
    window.add(rows, [1.0, None, 2.0])
    first = figures(window.gauge)["LotArea"]
    window.add([{"LotArea": 300}, {"LotArea": 400}], [3.0, 4.0])

    # Then the first figure saw rows 1 and 3 only, the second only the last two
    assert first == 0.0
    all_large = psi(REFERENCE["LotArea"], pd.Series([300, 400]))
    assert figures(window.gauge)["LotArea"] == all_large
    assert all_large > 0.25


def test_a_row_naming_a_column_by_its_alias_is_read_by_its_kaggle_name() -> None:
    # Given a row that names 1stFlrSF by its Python alias
    window = DriftWindow(REFERENCE, gauge(), window_rows=4, refresh_seconds=0)

    # When it is priced
    window.add([{"LotArea": 50, "FirstFlrSF": "small"}], [1.0])

    # Then the window holds it under the Kaggle name
    assert list(window.rows) == [{"LotArea": 50, "1stFlrSF": "small"}]


def test_figures_are_computed_at_most_once_per_refresh_period() -> None:
    # Given a window that computes at most once an hour, after its first figures
    window = DriftWindow(REFERENCE, gauge(), window_rows=4, refresh_seconds=3600)
    window.add([{"LotArea": 50, "1stFlrSF": "small"}], [1.0])
    before = figures(window.gauge)

    # When rows of another shape are priced within the hour
    window.add([{"LotArea": 500, "1stFlrSF": "large"}] * 3, [1.0] * 3)

    # Then the figures wait for the next period, and the rows are kept for it
    assert figures(window.gauge) == before
    assert window.fresh_rows == 3
    window.refresh()
    assert figures(window.gauge) != before


def test_a_missing_feature_counts_as_missing_values() -> None:
    # Given rows without 1stFlrSF (the model would impute it)
    window = DriftWindow(REFERENCE, gauge(), window_rows=4, refresh_seconds=0)

    # When they are priced
    window.add([{"LotArea": 50}, {"LotArea": 150}], [1.0, 2.0])

    # Then 1stFlrSF's PSI is that of an all-missing column: large, and finite
    found = figures(window.gauge)["1stFlrSF"]
    assert found == pytest.approx(psi(REFERENCE["1stFlrSF"], pd.Series([None, None])))
    assert math.isfinite(found) and found > 0.25
