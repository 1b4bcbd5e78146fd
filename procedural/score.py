"""Price houses: python -m procedural.score [--input CSV] [--output CSV]

Reads raw house records (default ``data/test.csv``), builds the features with the
hard-coded parameters of ``config``, loads the scaler and the model that
``train.py`` saved, and writes one price per record, in input order, in Kaggle
submission format ``Id,SalePrice`` (default ``procedural/outputs/predictions.csv``).

Columns are found by name, in any order, and extra columns are ignored. Missing
values and unseen labels are imputed, so every record gets a price. A problem stops
the run with one line on stderr naming the file and the reason, and writes nothing.

Exit codes (the same for ``oop.score`` and the package's command line):

- 0: every record priced;
- 1: some records had errors (text in a numerical column, an area <= 0, which has
  no logarithm): the line names the column and the Ids; or an ``Id`` missing or
  not a whole number >= 0, named by its row (0-based) as the package names it.
  The file could be read, a record is wrong: the same code as a bad value, but
  this stage stops instead of pricing the other rows (:func:`whole_ids`);
- 2: a file could not be used: the input (absent, unreadable, not UTF-8, malformed
  CSV, empty, a missing column), the saved scaler or model, or the output
  (unwritable, or the input itself).

The prices are written atomically (:func:`write_atomically`): a failed write leaves
the previous file whole. ``--output -`` writes them to standard output (the summary
then goes to stderr), and :func:`write_output` never replaces what is not a file:
a symlink is followed, a FIFO or a device (``/dev/null``) is written to directly, a
folder is refused. The Ids are written as integers and the prices as numbers, so no
cell can start with ``= + - @`` and be run as a formula by a spreadsheet. A value
echoed in an error is cut to 80 characters (:func:`shown`).
"""

import argparse
import os
import re
import stat
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
STDOUT = "-"


class ScoringError(Exception):
    """Records the model cannot price, reported as one line (exit code 1)."""

    exit_code = 1


class UnusableFileError(ScoringError):
    """A file the run cannot use, reported as one line (exit code 2)."""

    exit_code = 2


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
    UnusableFileError
        If the file cannot be read as CSV, has no rows, or lacks a needed column.
    """
    try:
        records = pd.read_csv(path, encoding="utf-8")
    except (OSError, ValueError) as error:  # ValueError: parser, empty, not UTF-8
        reason = " ".join(str(error).split())  # parser messages span lines
        raise UnusableFileError(f"{path}: cannot read it as CSV ({reason})") from error
    missing = [column for column in REQUIRED_COLUMNS if column not in records.columns]
    if missing:
        raise UnusableFileError(f"{path}: missing column(s) {', '.join(missing)}")
    if records.empty:
        raise UnusableFileError(f"{path}: no rows to price")
    return records


def load_fitted_objects(outputs_dir: Path) -> tuple[MinMaxScaler, Lasso]:
    """Load the scaler and the model that train.py saved, each from its own file.

    joblib (like pickle) runs code while loading: load only files you made.

    Raises
    ------
    UnusableFileError
        If either file is missing or cannot be loaded.
    """
    paths = [
        outputs_dir / config.OUTPUT_SCALER_PATH.name,
        outputs_dir / config.OUTPUT_MODEL_PATH.name,
    ]
    for path in paths:
        if not path.is_file():
            raise UnusableFileError(
                f"{path}: not found; run `python -m procedural.train` first"
            )
    loaded = []
    for path in paths:
        try:
            loaded.append(joblib.load(path))
        except Exception as error:  # a truncated or corrupt file fails in many ways
            raise UnusableFileError(
                f"{path}: cannot load it ({type(error).__name__}); "
                "run `python -m procedural.train` again"
            ) from error
    scaler, model = loaded
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
                raise ScoringError(f"{path}: {var} {what} for Id {shown(ids)}")


def whole_ids(records: pd.DataFrame, path: Path) -> list[int]:
    """Each record's Id as an ``int``: ``1461`` and ``1461.0`` (a column with a gap
    is read as floats) are 1461, so an output never holds ``1461.0``.

    Raises
    ------
    ScoringError
        At the first Id missing or not a whole number >= 0, naming its row (0-based)
        with the package's words.
    """
    ids = []
    for row, value in enumerate(records[config.ID_VARIABLE].tolist()):
        match = re.fullmatch(r"\+?(\d+)(\.0*)?", str(value).strip())
        if match is None:
            raise ScoringError(
                f"{path}: row {row}, column {config.ID_VARIABLE}: "
                f"the Id {shown(value)} is not a whole number >= 0"
            )
        ids.append(int(match.group(1)))
    return ids


def shown(value: object) -> str:
    """``value`` on one line, cut to 80 characters: an error echoes, never copies."""
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else f"{text[:77]}..."


def predict_prices(
    records: pd.DataFrame, scaler: MinMaxScaler, model: Lasso
) -> np.ndarray:
    """Price each record: features, scaling, Lasso, then back from log to dollars."""
    scaled = scaler.transform(make_features(records))
    return np.exp(model.predict(scaled))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once: whoever reads it sees old or new.

    The text goes to ``<name>.tmp`` beside ``path``, which is then renamed over it
    (``os.replace``, atomic on one file system). If the write fails (a full disk),
    the temporary file is removed and ``path`` is left as it was.
    """
    # Enough for one run at a time. The full-strength version (a unique temporary
    # name, fsync, the file's mode) is taught once, in the package:
    # regression_model.processing.data_manager.atomic_write_bytes.
    temporary = path.with_name(f"{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, never replacing what is not a plain file.

    ``-`` is standard output. A symlink is followed: its target is written
    (atomically, as a new or regular file is), and the link kept. A FIFO or a
    character device is written to directly; a folder or a socket raises OSError.
    """
    if str(path) == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(os.path.realpath(path))  # where a symlink points
    mode = target.stat().st_mode if target.exists() else stat.S_IFREG
    if stat.S_ISREG(mode):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        target.write_text(text, encoding="utf-8")
    else:
        raise OSError("is not a regular file: refusing to replace it")


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
        help="where to write the prices, '-' for stdout "
        "(default: predictions.csv in --outputs-dir)",
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
        if str(output) != STDOUT and output.resolve() == args.input.resolve():
            raise UnusableFileError(f"{output}: is the input; refusing to overwrite it")
        records = load_records(args.input)
        scaler, model = load_fitted_objects(args.outputs_dir)
        check_numbers(records, args.input)
        ids = whole_ids(records, args.input)
    except ScoringError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code

    prices = predict_prices(records, scaler, model)
    predictions = pd.DataFrame({config.ID_VARIABLE: ids, config.TARGET: prices})
    try:
        write_output(output, predictions.to_csv(index=False))
    except OSError as error:
        reason = " ".join(str(error).split())
        print(f"error: {output}: cannot write it ({reason})", file=sys.stderr)
        return 2

    summary = sys.stderr if str(output) == STDOUT else sys.stdout
    print(f"priced {len(predictions)} rows from {args.input}", file=summary)
    print(f"saved {output}", file=summary)
    print(f"done in {time.perf_counter() - start:.2f} s", file=summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
