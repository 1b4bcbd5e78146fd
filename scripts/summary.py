"""Print what `make run` produced: one line per stage's predictions.csv.

Each stage writes ``<stage>/outputs/predictions.csv`` in Kaggle submission format.
This checks the format (``Id,SalePrice``, one row per test.csv row, every price
present and positive) and how far each stage is from the research stage.

Usage: ``python scripts/summary.py`` or ``python -m scripts.summary``, from any
working directory. Exit codes: 0 every stage found is complete, 1 some stage's file
is not, 2 nothing to summarise (no ``data/test.csv``, or no stage's predictions yet).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["notebooks", "procedural", "oop", "package", "api"]


def prediction_path(stage: str) -> Path:
    return ROOT / stage / "outputs" / "predictions.csv"


def read_predictions(path: Path) -> dict[str, float]:
    with path.open(newline="") as stream:
        reader = csv.DictReader(stream)
        if reader.fieldnames != ["Id", "SalePrice"]:
            raise ValueError(f"{path}: header is {reader.fieldnames}, not Id,SalePrice")
        return {row["Id"]: float(row["SalePrice"] or "nan") for row in reader}


def is_price(value: float) -> bool:
    """A usable price: a finite number above zero (a blank cell reads as NaN)."""
    return math.isfinite(value) and value > 0


def is_complete(prices: dict[str, float], expected_ids: list[str]) -> bool:
    """True when ``prices`` holds a usable price for every expected Id, in order."""
    return list(prices) == expected_ids and all(map(is_price, prices.values()))


def table(
    predictions: dict[str, dict[str, float]], expected_ids: list[str]
) -> list[str]:
    """Return the summary's lines, one per stage, for ``predictions`` by stage.

    A stage is complete when it prices every ``expected_ids`` row, in order. The first
    complete stage is the reference the others are compared with. A figure that cannot
    be computed is shown as ``n/a (reason)``, never as ``nan``.
    """
    complete = {
        stage: is_complete(prices, expected_ids)
        for stage, prices in predictions.items()
    }
    reference = next((stage for stage in predictions if complete[stage]), None)
    lines = [
        f"{'stage':<12}{'rows':>6}{'priced':>8}{'mean price':>18}{'max rel diff':>20}"
    ]
    for stage, prices in predictions.items():
        priced = [price for price in prices.values() if is_price(price)]
        mean = f"{sum(priced) / len(priced):,.2f}" if priced else "n/a (no prices)"
        if stage == reference:
            diff = "(reference)"
        elif not complete[stage]:
            diff = "n/a (incomplete)"
        else:
            # a complete stage after the first complete one: the reference exists
            assert reference is not None
            base = predictions[reference]
            worst = max(abs(prices[i] - base[i]) / base[i] for i in prices)
            diff = f"{worst:.3g}"
        lines.append(f"{stage:<12}{len(prices):>6}{len(priced):>8}{mean:>18}{diff:>20}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    test_csv = ROOT / "data" / "test.csv"
    found = [stage for stage in STAGES if prediction_path(stage).is_file()]
    if not test_csv.is_file():
        print(
            f"summary: error: {test_csv}: not found; run `make data`", file=sys.stderr
        )
        return 2
    if not found:
        print(
            "summary: error: no stage's predictions yet; run `make run`",
            file=sys.stderr,
        )
        return 2
    with test_csv.open(newline="") as stream:
        expected_ids = [row["Id"] for row in csv.DictReader(stream)]
    predictions = {stage: read_predictions(prediction_path(stage)) for stage in found}
    for line in table(predictions, expected_ids):
        print(line)
    incomplete = [
        stage
        for stage, prices in predictions.items()
        if not is_complete(prices, expected_ids)
    ]
    for stage in incomplete:
        print(
            f"  {prediction_path(stage)}: expected every test.csv Id priced, in order"
        )
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
