"""Price houses with the trained pipeline.

In code: :func:`make_prediction`. From the shell::

    python -m regression_model.predict [--input CSV] [--output CSV]

which reads ``test.csv`` and writes ``package/outputs/predictions.csv`` (Kaggle's
``Id,SalePrice``) by default.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.compose import TransformedTargetRegressor

from regression_model import __version__
from regression_model.config import (
    DEFAULT_OUTPUT_FILE,
    data_dir,
    load_config,
    trained_models_dir,
)
from regression_model.processing.data_manager import load_pipeline
from regression_model.processing.validation import (
    absent_input_columns,
    validate_inputs,
)


@functools.cache
def _load_cached(directory: Path) -> TransformedTargetRegressor:
    return load_pipeline(directory)


def load_model() -> TransformedTargetRegressor:
    """The trained pipeline, loaded (and its SHA-256 checked) once, then cached.

    Call it at start-up to pay the loading cost (and fail fast without a model)
    before the first request; :func:`make_prediction` calls it too. The folder is
    :func:`regression_model.config.trained_models_dir`, read at each call.
    """
    return _load_cached(trained_models_dir())


def make_prediction(
    input_data: pd.DataFrame | list[dict[str, Any]],
) -> dict[str, Any]:
    """Price every valid row of ``input_data``.

    Parameters
    ----------
    input_data : pandas.DataFrame or list of dict
        Rows with Kaggle column names, in any order; extra columns are ignored and
        absent ones are imputed as missing values.

    Returns
    -------
    dict
        ``predictions``: one price per input row, in order, ``None`` for a row with
        an error; ``version``: the package version; ``errors``: one
        ``{"row", "column", "message"}`` per bad cell (``row`` is the 0-based
        position); ``warnings``: messages about absent columns.
    """
    data = pd.DataFrame(input_data)
    validated, errors = validate_inputs(data)
    predictions: list[float | None] = [None] * len(data)
    if not validated.empty:
        prices = load_model().predict(validated)
        for row, price in zip(validated.index, prices, strict=True):
            predictions[row] = float(price)
    absent = absent_input_columns(data)
    return {
        "predictions": predictions,
        "version": __version__,
        "errors": errors,
        "warnings": [f"input has no column {absent}: imputed as missing values"]
        if absent
        else [],
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: price a CSV file and write ``Id,SalePrice``.

    Returns 0 when every row is priced, 1 when some had errors (listed on stderr;
    their ``SalePrice`` is left empty) and 2 when the input cannot be read.
    """
    id_variable = load_config().model.id_variable
    parser = argparse.ArgumentParser(description="Price houses from a Kaggle CSV.")
    parser.add_argument(
        "--input",
        type=Path,
        default=data_dir() / load_config().app.test_data_file,
        help="CSV with Kaggle columns and an Id column (default: data/test.csv)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT_FILE,
        help="where to write Id,SalePrice (default: package/outputs/predictions.csv)",
    )
    args = parser.parse_args(argv)
    try:
        data = pd.read_csv(args.input)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        print(f"cannot read {args.input}: {error}", file=sys.stderr)
        return 2
    if id_variable not in data.columns:
        print(f"{args.input} has no {id_variable} column", file=sys.stderr)
        return 2
    result = make_prediction(data)
    for problem in result["errors"]:
        print(
            f"{args.input}: row {problem['row']}, column {problem['column']}: "
            f"{problem['message']}",
            file=sys.stderr,
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    output = pd.DataFrame(
        {id_variable: data[id_variable], "SalePrice": result["predictions"]}
    )
    output.to_csv(args.output, index=False)
    priced = sum(price is not None for price in result["predictions"])
    print(f"priced {priced} of {len(data)} rows -> {args.output}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
