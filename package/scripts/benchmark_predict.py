"""Time ``make_prediction`` on one row and on the whole Kaggle test set.

Run after training: ``python package/scripts/benchmark_predict.py [--repeats N]``.
The model is loaded once first (as a service does at start-up), so the times are
those of validation and the pipeline. Prints the median of the repeated runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def median_seconds(call: Callable[[], object], repeats: int) -> float:
    """The median wall-clock time of ``repeats`` calls (after one warm-up call)."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Print the median times of one-row and full-test-set predictions."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50, choices=range(1, 1001))
    args = parser.parse_args(argv)
    test = pd.read_csv(DATA_DIR / load_config().app.test_data_file)
    one_row = test.head(1).to_dict("records")
    model = load_model()
    single = median_seconds(lambda: make_prediction(one_row, model=model), args.repeats)
    full = median_seconds(
        lambda: make_prediction(test, model=model), max(1, args.repeats // 5)
    )
    print(f"make_prediction, 1 row (list of dict): {single * 1000:.1f} ms (median)")
    print(
        f"make_prediction, {len(test)} rows (DataFrame): {full * 1000:.1f} ms (median)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
