"""Show the promise kept: ``make parity`` (``python -m tests.parity.report``).

Trains every stage once (each in a temporary folder, the way its user runs it), prices
``data/test.csv`` and the training holdout with each, and prints

- a stage × stage table: rows compared, largest absolute and relative difference;
- each stage's holdout RMSE of the log price (the Kaggle metric);

then saves a figure of every stage's predictions against the package's under
``tests/parity/outputs/parity.png``.
"""

from __future__ import annotations

import itertools
import math
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen needed

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from tests.parity import stages

OUTPUTS = Path(__file__).resolve().parent / "outputs"
REFERENCE = "package"


def missing_reason(*prices: pd.Series) -> str | None:
    """Why no figure can be computed from ``prices``, or None when one can.

    A stage that leaves a price blank (read as NaN) or prices no row would turn the
    table's figures into ``nan``; the table prints ``n/a (reason)`` instead.
    """
    if any(len(series) == 0 for series in prices):
        return "no rows"
    unpriced = int(sum(series.isna().sum() for series in prices))
    return f"{unpriced} unpriced" if unpriced else None


def pair_cells(left: str, a: pd.Series, right: str, b: pd.Series) -> tuple[str, float]:
    """The table's two difference cells for ``left`` against ``right``, and the relative
    difference the gate checks (infinite when it cannot be computed, so it fails)."""
    reason = missing_reason(a, b)
    if reason is not None:
        return f"{f'n/a ({reason})':>30}", math.inf
    c = stages.compare(left, a, right, b)
    return f"{c.max_abs:>15.3g}{c.max_rel:>15.3g}", c.max_rel


def holdout_rmse(prices: pd.Series, holdout_csv: Path) -> str:
    """The holdout RMSE of the log price, as printed (or ``n/a`` and its reason)."""
    reason = missing_reason(prices)
    if reason is not None:
        return f"n/a ({reason})"
    truth = pd.read_csv(holdout_csv).set_index("Id")["SalePrice"].loc[prices.index]
    return f"{np.sqrt(np.mean((np.log(prices) - np.log(truth)) ** 2)):.17g}"


def plot(predictions: dict[str, pd.Series], path: Path) -> None:
    """Scatter every stage's test-set prices against the package's."""
    others = [name for name in predictions if name != REFERENCE]
    figure, axes = plt.subplots(1, len(others), figsize=(3.2 * len(others), 3.4))
    reference = predictions[REFERENCE]
    for axis, name in zip(np.atleast_1d(axes), others, strict=True):
        reason = missing_reason(predictions[name], reference)
        if reason is None:
            gap = stages.compare(name, predictions[name], REFERENCE, reference).max_rel
            reason = f"{gap:.1e}"
        axis.scatter(reference / 1e3, predictions[name] / 1e3, s=4, alpha=0.5)
        axis.axline((100, 100), slope=1, color="grey", linewidth=0.8)
        axis.set(
            title=f"{name}\nmax rel diff {reason}",
            xlabel="package (k$)",
            ylabel=f"{name} (k$)",
        )
    figure.suptitle("test.csv: every stage against the package", y=1.02)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")


def main() -> int:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = {"test": stages.TEST_CSV}
        inputs["holdout"] = stages.write_holdout(work / "holdout.csv")
        predictions: dict[str, dict[str, pd.Series]] = {name: {} for name in inputs}
        print("training every stage ...", flush=True)
        trained = stages.train_all(work)
        try:
            for name, stage in trained.items():
                print(f"scoring with {name} ...", flush=True)
                for input_name, path in inputs.items():
                    predictions[input_name][name] = stage.score(path, input_name)
        finally:
            for stage in trained.values():
                stage.close()

        print(f"\n{'input':<9}{'stage':<12}{'vs':<12}{'rows':>6}", end="")
        print(f"{'max abs diff':>15}{'max rel diff':>15}")
        worst = 0.0
        for input_name, by_stage in predictions.items():
            for left, right in itertools.combinations(stages.STAGES, 2):
                a, b = by_stage[left], by_stage[right]
                figures, gap = pair_cells(left, a, right, b)
                worst = max(worst, gap)
                print(f"{input_name:<9}{left:<12}{right:<12}{len(a):>6}{figures}")

        print(f"\n{'stage':<12}{'holdout RMSE of log price':>27}")
        for name, prices in predictions["holdout"].items():
            print(f"{name:<12}{holdout_rmse(prices, inputs['holdout']):>27}")

    plot(predictions["test"], OUTPUTS / "parity.png")
    print(f"\nsaved {OUTPUTS / 'parity.png'}")
    print(f"largest relative difference between any two stages: {worst:.3g}")
    print(f"done in {time.perf_counter() - start:.0f} s")
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
