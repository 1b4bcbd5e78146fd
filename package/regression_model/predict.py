"""Price houses with the trained pipeline.

In code: :func:`load_model` once, then :func:`make_prediction` with it. From the
shell, in any working directory::

    python -m regression_model.predict --input test.csv [--output predictions.csv]
                                       [--trained-dir DIR]

which writes Kaggle's ``Id,SalePrice`` to ``predictions.csv`` in the working directory
unless ``--output`` says otherwise. Nothing is written inside the installed package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.compose import TransformedTargetRegressor

from regression_model import __version__
from regression_model.config import DEFAULT_OUTPUT_FILE, load_config
from regression_model.processing.data_manager import load_pipeline
from regression_model.processing.validation import (
    absent_input_columns,
    validate_inputs,
)


def load_model(trained_dir: Path | None = None) -> TransformedTargetRegressor:
    """Load the trained pipeline from a folder, checking its SHA-256.

    There is no process-wide cache: each call reads the folder, so a model retrained
    into the same folder is the one the next call returns. Whoever serves many
    predictions (the API, a batch job) loads the model once and passes it to
    :func:`make_prediction`, owning it for as long as it needs it.

    Parameters
    ----------
    trained_dir : Path, optional
        The trained-models folder;
        :func:`regression_model.config.trained_models_dir` by default.
    """
    return load_pipeline(trained_dir)


def make_prediction(
    input_data: pd.DataFrame | list[dict[str, Any]],
    *,
    model: TransformedTargetRegressor | None = None,
    trained_dir: Path | None = None,
) -> dict[str, Any]:
    """Price every valid row of ``input_data``.

    Parameters
    ----------
    input_data : pandas.DataFrame or list of dict
        Rows with Kaggle column names, in any order; extra columns are ignored and
        absent ones are imputed as missing values.
    model : TransformedTargetRegressor, optional
        A model from :func:`load_model`. Without it, the model is loaded from
        ``trained_dir`` for this call only.
    trained_dir : Path, optional
        Where to load the model from when ``model`` is not given.

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
        if model is None:
            model = load_model(trained_dir)
        prices = model.predict(validated)
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
        required=True,
        help="CSV with Kaggle columns and an Id column (e.g. data/test.csv)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT_FILE,
        help="where to write Id,SalePrice (default: predictions.csv, here)",
    )
    parser.add_argument(
        "--trained-dir",
        type=Path,
        default=None,
        help="the trained-models folder (default: the package's trained_models/)",
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
    result = make_prediction(data, trained_dir=args.trained_dir)
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
