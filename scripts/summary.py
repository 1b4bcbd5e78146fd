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
    reference: dict[str, float] | None = None
    problems = 0
    print(
        f"{'stage':<12}{'rows':>6}{'priced':>8}{'mean price':>14}{'max rel diff':>16}"
    )
    for stage in found:
        path = prediction_path(stage)
        prices = read_predictions(path)
        priced = sum(math.isfinite(p) and p > 0 for p in prices.values())
        mean = sum(prices.values()) / len(prices)
        complete = list(prices) == expected_ids and priced == len(expected_ids)
        if reference is None:
            reference, diff = prices, "(reference)"
        elif complete:
            worst = max(abs(prices[i] - reference[i]) / reference[i] for i in prices)
            diff = f"{worst:.3g}"
        else:
            diff = "-"
        print(f"{stage:<12}{len(prices):>6}{priced:>8}{mean:>14,.2f}{diff:>16}")
        if not complete:
            print(f"  {path}: expected every test.csv Id priced, in order")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
