"""Price houses with the trained model: its scoring plan, or the pipeline itself.

In code: :func:`load_model` once, then :func:`make_prediction` with it. Both score
with the scoring plan by default (:mod:`regression_model.serving`: the pipeline's
learned parameters as JSON, proven to price exactly like it); ``engine="pipeline"``
uses the scikit-learn pipeline, the reference. From the
shell, in any working directory::

    python -m regression_model.predict --input test.csv [--output predictions.csv]
                                       [--trained-dir DIR]

which writes Kaggle's ``Id,SalePrice`` to ``predictions.csv`` in the working directory
unless ``--output`` says otherwise. Nothing is written inside the installed package.
"""

from __future__ import annotations

import argparse
import math
import sys
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from regression_model import __version__
from regression_model.config import DEFAULT_OUTPUT_FILE, load_config
from regression_model.processing.data_manager import (
    ModelIntegrityError,
    atomic_write_bytes,
    load_pipeline,
)
from regression_model.processing.validation import (
    ScoringRows,
    absent_input_columns,
    canonical_frame,
    canonical_records,
    validate_frame,
    validate_inputs,
    validate_records,
)
from regression_model.serving.plan import ScoringPlan, category_label, load_plan

if TYPE_CHECKING:
    from sklearn.compose import TransformedTargetRegressor

Engine = Literal["plan", "pipeline"]
ENGINES = ("plan", "pipeline")


def load_model(
    trained_dir: Path | None = None,
    *,
    engine: Engine = "plan",
    expected_sha256: str | None = None,
) -> ScoringPlan | TransformedTargetRegressor:
    """Load the trained model from a folder, checking its SHA-256.

    ``engine="plan"`` (the default) reads only the JSON scoring plan: no skops, and
    nothing in the file can run code. ``engine="pipeline"`` loads the scikit-learn
    pipeline with skops.

    There is no process-wide cache: each call reads the folder, so a model retrained
    into the same folder is the one the next call returns. Whoever serves many
    predictions (the API, a batch job) loads the model once and passes it to
    :func:`make_prediction`, owning it for as long as it needs it.

    Parameters
    ----------
    trained_dir : Path, optional
        The trained-models folder;
        :func:`regression_model.config.trained_models_dir` by default.
    engine : {"plan", "pipeline"}, default="plan"
        What to load.
    expected_sha256 : str, optional
        The SHA-256 pinned for the release (of the plan file, or of the ``.skops``
        file with ``engine="pipeline"``): a model with another hash is refused with
        :class:`~regression_model.processing.data_manager.ModelIntegrityError`,
        even if its metadata vouches for it. To have :func:`make_prediction` check
        it, give it the model this returns.
    """
    if engine == "plan":
        return load_plan(trained_dir, expected_sha256=expected_sha256)
    if engine == "pipeline":
        return load_pipeline(trained_dir, expected_sha256=expected_sha256)
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")


def make_prediction(
    input_data: pd.DataFrame | list[dict[str, Any]],
    *,
    model: ScoringPlan | TransformedTargetRegressor | None = None,
    trained_dir: Path | None = None,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """Price every valid row of ``input_data``.

    Parameters
    ----------
    input_data : pandas.DataFrame or list of dict
        Rows with Kaggle column names, in any order; extra columns are ignored and
        absent ones are imputed as missing values.
    model : ScoringPlan or TransformedTargetRegressor, optional
        A model from :func:`load_model`: it scores with what it is. Without it, the
        model is loaded from ``trained_dir`` for this call only.
    trained_dir : Path, optional
        Where to load the model from when ``model`` is not given.
    engine : {"plan", "pipeline"}, optional
        Score with the plan or the pipeline: the kind of ``model`` when it is given,
        else the plan. Both give the same prices, errors and warnings.

    Returns
    -------
    dict
        ``predictions``: one price per input row, in order, ``None`` for a row with
        an error; ``version``: the package version; ``errors``: one
        ``{"row", "column", "message"}`` per bad cell (``row`` is the 0-based
        position), or per row whose price is not finite or outside the plausible
        range (``column`` ``SalePrice``; config.yml's ``min_price``/``max_price``);
        ``warnings``: ignored or repeated columns, absent columns (imputed) and
        labels the training data never had (treated as missing values).
    """
    if not isinstance(input_data, pd.DataFrame | list) or not all(
        type(row) is dict for row in input_data
    ):
        input_data = pd.DataFrame(input_data)
    if isinstance(input_data, pd.DataFrame):
        input_data, notes = canonical_frame(input_data)
    else:
        input_data, notes = canonical_records(input_data)
    result, seen = _score(input_data, model, trained_dir, engine)
    return _checked(result, notes, seen)


def _score(
    input_data: pd.DataFrame | list[dict[str, Any]],
    model: ScoringPlan | TransformedTargetRegressor | None,
    trained_dir: Path | None,
    engine: Engine | None,
) -> tuple[dict[str, Any], _Labels]:
    """:func:`make_prediction` on Kaggle-named columns, before the last checks."""
    if model is not None:
        kind: str = "plan" if isinstance(model, ScoringPlan) else "pipeline"
        if engine is not None and engine != kind:
            raise ValueError(f"engine={engine!r}, but the model given is a {kind}")
        engine = kind  # type: ignore[assignment]
    engine = engine or "plan"
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    if engine == "plan":
        plan = model if isinstance(model, ScoringPlan) else None
        return _predict_with_plan(input_data, plan, trained_dir)
    data = pd.DataFrame(input_data)
    validated, errors = validate_inputs(data)
    predictions: list[float | None] = [None] * len(data)
    seen = _Labels({}, set())
    if not validated.empty:
        pipeline = model if model is not None else load_pipeline(trained_dir)
        assert not isinstance(pipeline, ScoringPlan)
        with np.errstate(over="ignore"):  # an overflow is a row error, below
            prices = pipeline.predict(validated)
        for row, price in zip(validated.index, prices, strict=True):
            predictions[row] = float(price)
        seen = _pipeline_labels(pipeline, validated)
    absent = absent_input_columns(data)
    return _result(predictions, errors, absent), seen


class _Labels(typing.NamedTuple):
    """The labels of the valid rows that the training data never had."""

    values: dict[str, Any]  # categorical variable -> its values in the valid rows
    unseen: set[tuple[str, str]]  # (variable, label) found unseen


def _unseen(
    values: dict[str, Any], seen: dict[str, Any], numeric_coded: set[str]
) -> _Labels:
    found = set()
    for variable, labels in seen.items():
        known = set(labels)
        for value in dict.fromkeys(values.get(variable, [])):
            if value is None or (isinstance(value, float) and value != value):
                continue
            label = category_label(value) if variable in numeric_coded else value
            if label not in known:
                found.add((variable, str(label)))
    return _Labels(values, found)


def _pipeline_labels(pipeline: Any, validated: pd.DataFrame) -> _Labels:
    step = next(s for _, s in pipeline.regressor_.steps if hasattr(s, "seen_labels_"))
    numeric_coded = set(load_config().model.numeric_coded_categorical_variables)
    values = {v: validated[v].tolist() for v in step.seen_labels_}
    return _unseen(values, step.seen_labels_, numeric_coded)


def _checked(
    result: dict[str, Any], notes: list[str], labels: _Labels
) -> dict[str, Any]:
    """The last checks before a result leaves the package.

    Every price is finite and inside the plausible range of config.yml, or its row
    gets ``None`` and an error: a last line of defence behind the input's domain.
    The warnings say what was read differently from what was sent.
    """
    config = load_config().model
    predictions = list(result["predictions"])
    errors = list(result["errors"])
    for row, price in enumerate(predictions):
        if price is None:
            continue
        if not math.isfinite(price):
            message = "the price is not a finite number"
        elif not config.min_price <= price <= config.max_price:
            message = f"the price ${price:,.2f} is outside the plausible range"
        else:
            continue
        predictions[row] = None
        errors.append(
            {
                "row": row,
                "column": "SalePrice",
                "message": f"{message} (${config.min_price:,.0f} to "
                f"${config.max_price:,.0f}): some values of this row are far from "
                "the training data",
            }
        )
    errors.sort(key=lambda error: error["row"])
    by_variable: dict[str, list[str]] = {}
    for variable, label in sorted(labels.unseen):
        by_variable.setdefault(variable, []).append(label)
    unseen = [
        f"labels the training data never had in {variable}, treated as missing "
        f"values: {found}"
        for variable, found in by_variable.items()
    ]
    return {
        **result,
        "predictions": predictions,
        "errors": errors,
        "warnings": notes + result["warnings"] + unseen,
    }


def _result(
    predictions: list[float | None], errors: list[dict[str, Any]], absent: list[str]
) -> dict[str, Any]:
    return {
        "predictions": predictions,
        "version": __version__,
        "errors": errors,
        "warnings": [f"input has no column {absent}: imputed as missing values"]
        if absent
        else [],
    }


def _predict_with_plan(
    input_data: pd.DataFrame | list[dict[str, Any]],
    plan: ScoringPlan | None,
    trained_dir: Path | None,
) -> tuple[dict[str, Any], _Labels]:
    """:func:`make_prediction` with the scoring plan: no DataFrame round trips."""
    variables = load_config().model.input_variables
    checked: ScoringRows | None = None
    if isinstance(input_data, pd.DataFrame):
        checked = validate_frame(input_data, variables)
        absent = absent_input_columns(input_data)
        n_rows = len(input_data)
    else:
        if isinstance(input_data, list):
            checked = validate_records(input_data, variables)
        if checked is None:
            # an error (or an unusual input): validate as the pipeline does, so the
            # messages are the same
            frame = pd.DataFrame(input_data)
            validated, errors = validate_inputs(frame)
            checked = ScoringRows(
                rows=validated.index.tolist(),
                errors=errors,
                columns={
                    v: validated[v].to_numpy(dtype=object)
                    if validated[v].dtype == object
                    else validated[v].to_numpy()
                    for v in variables
                },
            )
            absent = absent_input_columns(frame)
            n_rows = len(frame)
        else:
            present: set[str] = set().union(*input_data)
            absent = [c for c in variables if c not in present]
            n_rows = len(input_data)
    predictions: list[float | None] = [None] * n_rows
    labels = _Labels({}, set())
    if checked.rows:
        if plan is None:
            plan = load_plan(trained_dir)
        columns = checked.columns
        with np.errstate(over="ignore"):  # an overflow is a row error, later
            if checked.records is not None and len(checked.records) == 1:
                prices = [plan.score_record(checked.records[0])]
            else:
                if checked.records is not None:
                    columns = _columns(checked.records, plan)
                assert columns is not None
                prices = plan.score_columns(columns, len(checked.rows)).tolist()
        for row, price in zip(checked.rows, prices, strict=True):
            predictions[row] = float(price)
        values = (
            {v: columns[v] for v in plan.categorical if v in columns}
            if columns is not None
            else {
                v: [record.get(v) for record in checked.records or []]
                for v in plan.categorical
            }
        )
        labels = _unseen(values, plan.tables, plan.numeric_coded)
    return _result(predictions, checked.errors, absent), labels


def _columns(records: list[dict[str, Any]], plan: ScoringPlan) -> dict[str, Any]:
    """Validated records as the plan's columns (numbers float64, NaN if missing)."""
    columns: dict[str, Any] = {}
    for variable in plan.categorical:
        columns[variable] = [record[variable] for record in records]
    for variable in plan.numerical:
        columns[variable] = np.array(
            [
                np.nan if record[variable] is None else float(record[variable])
                for record in records
            ],
            dtype=np.float64,
        )
    return columns


def main(argv: list[str] | None = None) -> int:
    """Command line: price a CSV file and write ``Id,SalePrice``.

    Exit codes (the same for ``procedural.score`` and ``oop.score``):

    - 0: every row priced;
    - 1: some rows had errors (listed on stderr, one line each; their
      ``SalePrice`` is left empty);
    - 2: a file could not be used: the input (absent, unreadable, not UTF-8,
      malformed CSV, no ``Id`` column), the model, or the output (unwritable, or
      the input itself). One line on stderr names the file and the reason, and
      nothing is written.

    The output is written atomically: a failed write leaves the old file whole.
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
    if args.output.resolve() == args.input.resolve():
        return _unusable(args.output, "is the input: refusing to overwrite it")
    try:
        data = pd.read_csv(args.input, encoding="utf-8")
    except (OSError, ValueError) as error:  # ValueError: parser, empty, not UTF-8
        return _unusable(args.input, f"cannot read it as CSV ({error})")
    if id_variable not in data.columns:
        return _unusable(args.input, f"has no {id_variable} column")
    try:
        model = load_model(args.trained_dir)
    except (OSError, ModelIntegrityError) as error:
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 2
    result = make_prediction(data, model=model)
    for problem in result["errors"]:
        print(
            f"{args.input}: row {problem['row']}, column {problem['column']}: "
            f"{problem['message']}",
            file=sys.stderr,
        )
    output = pd.DataFrame(
        {id_variable: data[id_variable], "SalePrice": result["predictions"]}
    )
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(args.output, output.to_csv(index=False).encode())
    except OSError as error:
        return _unusable(args.output, f"cannot write it ({error})")
    priced = sum(price is not None for price in result["predictions"])
    print(f"priced {priced} of {len(data)} rows -> {args.output}")
    return 1 if result["errors"] else 0


def _one_line(reason: object) -> str:
    return " ".join(str(reason).split())  # parser messages span lines


def _unusable(path: Path, reason: str) -> int:
    """Report a file the command line cannot use, in one line: exit code 2."""
    print(f"error: {path}: {_one_line(reason)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
