"""Price houses: python -m procedural.score [--input CSV] [--output CSV]

Reads raw house records (default ``data/test.csv``), builds the features with the
hard-coded parameters of ``config``, loads the scaler and the model that
``train.py`` saved, and writes one price per record, in input order, in Kaggle
submission format ``Id,SalePrice`` (default ``procedural/outputs/predictions.csv``).

Columns are found by name, in any order, and extra columns are ignored. Missing
values and unseen labels are imputed, so every record gets a price. A missing
column, an unreadable file, text in a numerical column or an area <= 0 (which has no
logarithm) stops the run with one line naming the file, the column and the Ids.
"""

import argparse
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import Lasso
from sklearn.preprocessing import MinMaxScaler

from procedural import config
from procedural.features import make_features

REQUIRED_COLUMNS = [config.ID_VARIABLE, *config.FEATURES, config.REFERENCE_VARIABLE]


class ScoringError(Exception):
    """A problem with the inputs of the run, reported as one line."""


def load_records(path: Path) -> pd.DataFrame:
    """Read the records to price and check that every needed column is there.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ScoringError
        If the file cannot be read as CSV, has no rows, or lacks a needed column.
    """
    try:
        records = pd.read_csv(path)
    except (OSError, ValueError) as error:
        reason = " ".join(str(error).split())  # parser messages span lines
        raise ScoringError(f"{path}: cannot read it as CSV ({reason})") from error
    missing = [column for column in REQUIRED_COLUMNS if column not in records.columns]
    if missing:
        raise ScoringError(f"{path}: missing column(s) {', '.join(missing)}")
    if records.empty:
        raise ScoringError(f"{path}: no rows to price")
    return records


def load_fitted_objects(outputs_dir: Path) -> tuple[MinMaxScaler, Lasso]:
    """Load the scaler and the model that train.py saved, each from its own file.

    joblib (like pickle) runs code while loading: load only files you made.

    Raises
    ------
    ScoringError
        If either file is missing.
    """
    paths = [
        outputs_dir / config.OUTPUT_SCALER_PATH.name,
        outputs_dir / config.OUTPUT_MODEL_PATH.name,
    ]
    for path in paths:
        if not path.is_file():
            raise ScoringError(
                f"{path}: not found; run `python -m procedural.train` first"
            )
    scaler, model = (joblib.load(path) for path in paths)
    return scaler, model


def check_numbers(records: pd.DataFrame, path: Path) -> None:
    """Refuse values no step can use: text in a number, an area <= 0 to be logged.

    Missing values are fine (they are imputed); these are not, and guessing would
    price a house on a value nobody gave.

    Raises
    ------
    ScoringError
        Naming the first such column and the Ids of its rows.
    """
    for var in config.NUMERICAL_MEANS:
        numbers = pd.to_numeric(records[var], errors="coerce")
        problems = [(records[var].notna() & numbers.isna(), "is not a number")]
        if var in config.LOG_VARIABLES:
            problems.append((numbers <= 0, "is <= 0, which has no logarithm,"))
        for bad, what in problems:
            if bad.any():
                ids = ", ".join(map(str, records.loc[bad, config.ID_VARIABLE]))
                raise ScoringError(f"{path}: {var} {what} for Id {ids}")


def predict_prices(
    records: pd.DataFrame, scaler: MinMaxScaler, model: Lasso
) -> np.ndarray:
    """Price each record: features, scaling, Lasso, then back from log to dollars."""
    scaled = scaler.transform(make_features(records))
    return np.exp(model.predict(scaled))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input",
        type=Path,
        default=config.TESTING_DATA_PATH,
        help="records to price (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the prices (default: predictions.csv in --outputs-dir)",
    )
    parser.add_argument(
        "--outputs-dir",
        type=Path,
        default=config.OUTPUTS_DIR,
        help="where train.py saved the scaler and the model (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    output = args.output or args.outputs_dir / config.OUTPUT_PREDICTIONS_PATH.name
    start = time.perf_counter()
    try:
        records = load_records(args.input)
        scaler, model = load_fitted_objects(args.outputs_dir)
        check_numbers(records, args.input)
    except ScoringError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    prices = predict_prices(records, scaler, model)
    predictions = pd.DataFrame(
        {config.ID_VARIABLE: records[config.ID_VARIABLE], config.TARGET: prices}
    )
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        predictions.to_csv(output, index=False)
    except OSError as error:
        print(f"error: {output}: cannot write it ({error})", file=sys.stderr)
        return 1

    print(f"priced {len(predictions)} rows from {args.input}")
    print(f"saved {output}")
    print(f"done in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
