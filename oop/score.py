"""Price houses: python -m oop.score [--input CSV] [--output CSV]

Reads raw house records (default ``data/test.csv``), loads the model that
``train.py`` saved, and writes one price per record, in input order, in Kaggle
submission format ``Id,SalePrice`` (default ``oop/outputs/predictions.csv``).

Columns are found by name, in any order, and extra columns are ignored. Missing
values and unseen labels are imputed, so every record gets a price. A missing
column, an unreadable file or a value the model cannot use (text in a numerical
column, an area of 0 for the log) stops the run with one line naming it.
"""

import argparse
import sys
import time
from pathlib import Path

import joblib
import pandas as pd
from sklearn.compose import TransformedTargetRegressor

from oop import settings


class ScoringError(Exception):
    """A problem with the inputs of the run, reported as one line."""


def load_records(path: Path) -> pd.DataFrame:
    """Read the records to price.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ScoringError
        If the file cannot be read as CSV, has no rows or has no ``Id`` column (the
        model itself checks the columns it needs).
    """
    try:
        records = pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise ScoringError(f"{path}: cannot read it as CSV ({error})") from error
    if settings.ID_VARIABLE not in records.columns:
        raise ScoringError(f"{path}: missing column {settings.ID_VARIABLE}")
    if records.empty:
        raise ScoringError(f"{path}: no rows to price")
    return records


def load_model(path: Path) -> TransformedTargetRegressor:
    """Load the model that train.py saved.

    joblib (like pickle) runs code while loading: load only files you made.

    Raises
    ------
    ScoringError
        If the file is missing.
    """
    if not path.is_file():
        raise ScoringError(f"{path}: not found; run `python -m oop.train` first")
    model: TransformedTargetRegressor = joblib.load(path)
    return model


def predict_prices(
    records: pd.DataFrame, model: TransformedTargetRegressor, source: Path
) -> pd.DataFrame:
    """Price each record; return ``Id`` and ``SalePrice`` in the records' order.

    Raises
    ------
    ScoringError
        If a transformer rejects the records (it names the column and rows).
    """
    try:
        prices = model.predict(records)
    except (TypeError, ValueError) as error:
        raise ScoringError(f"{source}: {error}") from error
    return pd.DataFrame(
        {settings.ID_VARIABLE: records[settings.ID_VARIABLE], settings.TARGET: prices}
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input",
        type=Path,
        default=settings.TEST_CSV,
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
        default=settings.OUTPUT_DIR,
        help="where train.py saved the model (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    output = args.output or args.outputs_dir / settings.PREDICTIONS_CSV.name
    start = time.perf_counter()
    try:
        records = load_records(args.input)
        model = load_model(args.outputs_dir / settings.MODEL_FILE.name)
        predictions = predict_prices(records, model, args.input)
    except ScoringError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    output.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(output, index=False)

    print(f"priced {len(predictions)} rows from {args.input}")
    print(f"saved {output}")
    print(f"done in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
