"""Make the inputs every stage must handle the same way, from test.csv, with a seed.

Each variant keeps test.csv's ``Id`` so predictions can be matched row by row:

- ``shuffled``: the rows in another order;
- ``reordered``: the columns in another order;
- ``missing``: about 10 % of the cells of every feature blanked out, including in
  columns that were never missing in training (``GarageCars``, ``KitchenQual``, ...);
- ``unseen``: about 10 % of the cells of every categorical feature replaced by a label
  no training row has.

Run ``python tests/parity/robustness.py OUTPUT_DIR`` to write them as CSV files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261125
SHARE = 0.1
VARIANTS = ("shuffled", "reordered", "missing", "unseen")


def shuffled(test: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    return test.sample(frac=1.0, random_state=rng).reset_index(drop=True)


def reordered(test: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    return test[list(rng.permutation(test.columns))]


def missing(test: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    features = test.drop(columns="Id")
    return pd.concat(
        [test[["Id"]], features.mask(rng.random(features.shape) < SHARE)], axis=1
    )


def unseen(test: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    result = test.copy()
    categorical = [
        c for c in test.columns if not pd.api.types.is_numeric_dtype(test[c])
    ] + ["MSSubClass"]
    for column in categorical:
        rows = rng.random(len(test)) < SHARE
        label = "999" if column == "MSSubClass" else f"Unseen{column}"
        result[column] = result[column].astype("object")
        result.loc[rows, column] = label
    return result


def make_variants(test: pd.DataFrame, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Return every variant of ``test``, each made with its own seeded generator."""
    makers = {"shuffled": shuffled, "reordered": reordered}
    makers |= {"missing": missing, "unseen": unseen}
    return {
        name: makers[name](test, np.random.default_rng([seed, index]))
        for index, name in enumerate(VARIANTS)
    }


def write_variants(test_csv: Path, output_dir: Path) -> dict[str, Path]:
    """Write every variant of ``test_csv`` to ``output_dir/<variant>.csv``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in make_variants(pd.read_csv(test_csv)).items():
        paths[name] = output_dir / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path)
    root = Path(__file__).resolve().parents[2]
    parser.add_argument("--test-csv", type=Path, default=root / "data" / "test.csv")
    args = parser.parse_args()
    for name, path in write_variants(args.test_csv, args.output_dir).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
