"""Time ``make_prediction`` with the scoring plan and with the pipeline, side by side.

Run after training: ``python package/scripts/benchmark_predict.py [--repeats N]
[--trained-dir DIR]``. Both engines are loaded once first (as a service does at
start-up), then timed *interleaved* in one run (plan, pipeline, plan, ...), so a busy
machine slows both alike: one house (a list of one dict, as the API sends it) and
the whole Kaggle test set (a DataFrame, as a batch job sends it), each also priced by
the plan with ``explain=True`` (the API's ``/explain``). Prints the median and 99th
percentile of each, and its time over the plan's. A measurement to read, not a test:
nothing is asserted.
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
ENGINES = ("plan", "pipeline")


def interleaved_times(
    calls: dict[str, Callable[[], object]], repeats: int
) -> dict[str, list[float]]:
    """Each call's wall-clock times, taking turns, after one warm-up call each."""
    for call in calls.values():
        call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return times


def percentile(times: list[float], q: int) -> float:
    """The ``q``-th percentile (``statistics.quantiles``, inclusive method)."""
    if len(times) == 1:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def main(argv: list[str] | None = None) -> int:
    """Print medians, p99 and ratios of one-house and test-set predictions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=200, choices=range(1, 5001), metavar="N"
    )
    parser.add_argument("--trained-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    test = pd.read_csv(DATA_DIR / load_config().app.test_data_file)
    one_house = test.head(1).to_dict("records")
    models = {engine: load_model(args.trained_dir, engine=engine) for engine in ENGINES}
    workloads = {
        "one house (list of 1 dict)": (one_house, args.repeats),
        f"test.csv, {len(test)} rows (DataFrame)": (test, max(1, args.repeats // 5)),
    }
    print(f"{'workload':<36}{'engine':<10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>9}")
    for label, (data, repeats) in workloads.items():
        calls: dict[str, Callable[[], object]] = {
            engine: lambda data=data, engine=engine: make_prediction(
                data, model=models[engine]
            )
            for engine in ENGINES
        }
        # the plan again, with explanations: what the API's /explain asks for
        calls["explain"] = lambda data=data: make_prediction(
            data, model=models["plan"], explain=True
        )
        times = interleaved_times(calls, repeats)
        plan_median = statistics.median(times["plan"])
        for engine, found in times.items():
            median = statistics.median(found)
            print(
                f"{label:<36}{engine:<10}{median * 1000:>9.3f}"
                f"{percentile(found, 99) * 1000:>9.3f}"
                f"{median / plan_median:>8.1f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
