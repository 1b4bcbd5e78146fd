"""``make parity``'s table (``tests/parity/report.py``) shows figures or reasons.

A stage that leaves prices blank, or prices no row, must not print ``nan``: the cell
says ``n/a`` and why, and the report fails instead of passing on a ``nan``.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.parity import report


def prices(*values: float) -> pd.Series:
    return pd.Series(values, index=pd.Index(range(1461, 1461 + len(values)), name="Id"))


def test_two_priced_stages_show_their_real_differences():
    # Given two stages 1 % apart on one row
    left, right = prices(100.0, 202.0), prices(100.0, 200.0)

    # When their cells are made
    cells, gap = report.pair_cells("oop", left, "package", right)

    # Then both figures are shown and the gate gets the relative difference
    assert cells.split() == ["2", "0.01"]
    assert gap == 0.01


def test_a_blank_price_shows_n_a_and_fails_the_gate():
    # Given a stage that left one price blank (read as NaN)
    left, right = prices(100.0, math.nan), prices(100.0, 200.0)

    # When their cells are made
    cells, gap = report.pair_cells("oop", left, "package", right)

    # Then the cell says why there is no figure, and the gap fails any tolerance
    assert cells.strip() == "n/a (1 unpriced)"
    assert gap == math.inf


def test_a_stage_with_no_rows_shows_n_a_and_fails_the_gate():
    # Given two stages that priced no row
    # When their cells are made
    cells, gap = report.pair_cells("oop", prices(), "package", prices())

    # Then the cell says so, and the gap fails any tolerance
    assert cells.strip() == "n/a (no rows)"
    assert gap == math.inf


def test_holdout_rmse_is_a_real_figure_or_n_a_with_its_reason(tmp_path):
    # Given a holdout with its true prices, e times each predicted price
    holdout = tmp_path / "holdout.csv"
    pd.DataFrame(
        {"Id": [1461, 1462], "SalePrice": [100 * math.e, 200 * math.e]}
    ).to_csv(holdout, index=False)

    # When the RMSE is shown for full and partly blank predictions
    full = report.holdout_rmse(prices(100.0, 200.0), holdout)
    blank = report.holdout_rmse(prices(100.0, math.nan), holdout)

    # Then the full one is 1 (one unit of log price off on every row), the blank one n/a
    assert float(full) == pytest.approx(1.0, rel=1e-12)
    assert blank == "n/a (1 unpriced)"
