"""``scripts/summary.py``: the table ``make run`` ends with shows figures or reasons.

A stage's ``predictions.csv`` with a blank price, or with no rows at all, must not
turn into ``nan`` in the table: the cell says ``n/a`` and why.
"""

from __future__ import annotations

import math

from scripts import summary

IDS = ["1461", "1462", "1463"]
PRICES = {"1461": 100_000.0, "1462": 200_000.0, "1463": 300_000.0}


def cells(lines: list[str]) -> dict[str, list[str]]:
    """The table's rows by stage, each cut into its cells (``n/a (...)`` kept whole)."""
    rows = {}
    for line in lines[1:]:
        stage, rest = line.split(maxsplit=1)
        rows[stage] = [cell.strip() for cell in rest.split("  ") if cell.strip()]
    return rows


def test_complete_stages_show_their_mean_and_difference_from_the_reference():
    # Given two complete stages, the second one 1 % higher on one row
    later = PRICES | {"1462": 202_000.0}

    # When the table is made
    rows = cells(summary.table({"notebooks": PRICES, "oop": later}, IDS))

    # Then the first is the reference and the second shows its real gap
    assert rows["notebooks"] == ["3", "3", "200,000.00", "(reference)"]
    assert rows["oop"] == ["3", "3", "200,666.67", "0.01"]


def test_a_blank_price_shows_n_a_with_its_reason_never_nan():
    # Given a stage whose file has one blank price (read as NaN) and one complete stage
    blank = PRICES | {"1462": math.nan}

    # When the table is made
    lines = summary.table({"notebooks": blank, "procedural": PRICES}, IDS)
    rows = cells(lines)

    # Then the incomplete stage shows the mean of its priced rows and why it has no
    # difference; the complete stage becomes the reference
    assert "nan" not in "\n".join(lines)
    assert rows["notebooks"] == ["3", "2", "200,000.00", "n/a (incomplete)"]
    assert rows["procedural"][-1] == "(reference)"


def test_a_stage_with_no_rows_shows_n_a_for_its_mean():
    # Given a stage whose file has only its header
    # When the table is made
    rows = cells(summary.table({"package": {}}, IDS))

    # Then its mean and its difference say why they are missing
    assert rows["package"] == ["0", "0", "n/a (no prices)", "n/a (incomplete)"]
