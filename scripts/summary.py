"""Print what `make run` produced: one line per stage's predictions.csv.

Each stage writes ``<stage>/outputs/predictions.csv`` in Kaggle submission format.
This checks the format (``Id,SalePrice``, one row per test.csv row, every price
present and positive) and how far each stage is from the research stage.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["notebooks", "procedural", "oop", "package", "api"]


def read_predictions(path: Path) -> dict[str, float]:
    with path.open(newline="") as stream:
        reader = csv.DictReader(stream)
        if reader.fieldnames != ["Id", "SalePrice"]:
            raise ValueError(f"{path}: header is {reader.fieldnames}, not Id,SalePrice")
        return {row["Id"]: float(row["SalePrice"] or "nan") for row in reader}


def main() -> int:
    with (ROOT / "data" / "test.csv").open(newline="") as stream:
        expected_ids = [row["Id"] for row in csv.DictReader(stream)]
    reference: dict[str, float] | None = None
    problems = 0
    print(
        f"{'stage':<12}{'rows':>6}{'priced':>8}{'mean price':>14}{'max rel diff':>16}"
    )
    for stage in STAGES:
        path = ROOT / stage / "outputs" / "predictions.csv"
        if not path.is_file():
            continue
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
