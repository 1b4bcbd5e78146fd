"""Price houses with the trained model: :func:`load_model`, :func:`make_prediction`.

Both price with the scoring plan by default (:mod:`regression_model.serving`: the
pipeline's learned parameters as JSON, proven to price exactly like it);
``engine="pipeline"`` uses the scikit-learn pipeline, the reference. Either way the
rows are validated once (:func:`regression_model.processing.validation.validate`),
the valid ones priced, and every price checked against the plausible prices of
``config.yml`` before it leaves the package. From the shell, in any working
directory::

    python -m regression_model.predict --input test.csv [--output predictions.csv]
                                       [--trained-dir DIR]

which writes Kaggle's ``Id,SalePrice`` to ``predictions.csv`` in the working directory
unless ``--output`` says otherwise. Nothing is written inside the installed package.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from regression_model import __version__
from regression_model.config import DEFAULT_OUTPUT_FILE, load_config
from regression_model.processing import files
from regression_model.processing.data_manager import ModelIntegrityError, load_pipeline
from regression_model.processing.schema import category_label, is_missing
from regression_model.processing.validation import ValidatedRows, validate
from regression_model.serving.explain import explanations, range_quantiles
from regression_model.serving.plan import ScoringPlan, load_plan

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.compose import TransformedTargetRegressor

Engine = Literal["plan", "pipeline"]
ENGINES = ("plan", "pipeline")


def load_model(
    trained_dir: Path | None = None,
    *,
    engine: Engine = "plan",
    expected_sha256: str | None = None,
) -> ScoringPlan | TransformedTargetRegressor:
    """Load the trained model from a trained folder, checking its SHA-256.

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
        The trained folder; :func:`regression_model.config.default_trained_dir` by
        default.
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
    explain: bool = False,
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
    explain : bool, default=False
        Also say why each price (the plan only: a ``ValueError`` otherwise).

    Returns
    -------
    dict
        ``predictions``: one price per input row, in order, ``None`` for a row with
        an error; ``version``: the package version; ``errors``: one
        ``{"row", "column", "message"}`` per bad cell (``row`` is the 0-based
        position), or per row whose price is not finite or outside the plausible
        prices (``column`` ``SalePrice``; config.yml's ``min_price``/``max_price``);
        ``warnings``: ignored or repeated columns, absent columns (imputed) and
        labels the training data never had (treated as missing values).
        With ``explain``, also ``explanations`` (one per row: ``None`` without a
        price, else as :func:`regression_model.serving.explain.explanations` gives
        it) and ``range_quantiles`` (the holdout quantiles of the price ranges, or
        ``None``).
    """
    engine = _engine(model, engine)
    if explain and engine != "plan":
        raise ValueError("explain=True needs the plan engine")
    rows = _rows(input_data)
    if engine == "plan":
        plan = model if isinstance(model, ScoringPlan) else load_plan(trained_dir)
        checked = validate(rows, plan.inputs)
        scaled = plan.scale(plan.feature_matrix(checked.columns, len(checked.rows)))
        with np.errstate(over="ignore"):  # an overflow is a row error, below
            prices = plan.price(scaled).tolist()
        seen, numeric_coded = plan.tables, plan.numeric_coded
    else:
        pipeline: Any = model if model is not None else load_pipeline(trained_dir)
        checked = validate(rows, load_config().model.input_variables)
        prices = _pipeline_prices(pipeline, checked)
        seen = next(
            step.seen_labels_
            for _, step in pipeline.regressor_.steps
            if hasattr(step, "seen_labels_")
        )
        numeric_coded = set(load_config().model.numeric_coded_categorical_variables)
    predictions: list[float | None] = [None] * checked.n_rows
    for row, price in zip(checked.rows, prices, strict=True):
        predictions[row] = float(price)
    bound_errors = _outside_price_bounds(predictions)
    result: dict[str, Any] = {
        "predictions": predictions,
        "version": __version__,
        "errors": sorted(checked.errors + bound_errors, key=lambda e: e["row"]),
        "warnings": checked.warnings
        + _unseen_labels(checked.columns, seen, numeric_coded),
    }
    if explain:
        found = explanations(
            plan, checked.columns, scaled, [predictions[row] for row in checked.rows]
        )
        result["explanations"] = [None] * checked.n_rows
        for row, explanation in zip(checked.rows, found, strict=True):
            result["explanations"][row] = explanation
        result["range_quantiles"] = range_quantiles(plan)
    return result


def _engine(
    model: ScoringPlan | TransformedTargetRegressor | None, engine: Engine | None
) -> Engine:
    """The engine to score with: the kind of ``model``, if given, must match."""
    if model is not None:
        kind: Engine = "plan" if isinstance(model, ScoringPlan) else "pipeline"
        if engine is not None and engine != kind:
            raise ValueError(f"engine={engine!r}, but the model given is a {kind}")
        return kind
    if engine is None:
        return "plan"
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    return engine


def _rows(input_data: Any) -> pd.DataFrame | list[dict[str, Any]]:
    """A list of dicts as it is; anything else (a DataFrame first) as a DataFrame."""
    if isinstance(input_data, list) and all(type(row) is dict for row in input_data):
        return input_data
    import pandas as pd  # only here: a service pricing dicts never loads pandas

    return (
        input_data if isinstance(input_data, pd.DataFrame) else pd.DataFrame(input_data)
    )


def _pipeline_prices(pipeline: Any, checked: ValidatedRows) -> list[float]:
    """The pipeline's prices of the valid rows, from a DataFrame of their inputs."""
    if not checked.rows:
        return []
    import pandas as pd

    with np.errstate(over="ignore"):  # an overflow is a row error, later
        return list(pipeline.predict(pd.DataFrame(checked.columns)))


def _outside_price_bounds(predictions: list[float | None]) -> list[dict[str, Any]]:
    """Unprice (in place) each price not finite or outside the plausible prices.

    The last line of defence behind the input's domain: config.yml's
    ``min_price``/``max_price``. Returns one ``SalePrice`` error per row unpriced.
    """
    errors = []
    for row, price in enumerate(predictions):
        message = None if price is None else price_problem(price)
        if message is not None:
            predictions[row] = None
            errors.append({"row": row, "column": "SalePrice", "message": message})
    return errors


def price_problem(price: float) -> str | None:
    """Why a price may not leave the package (not finite, outside the plausible
    prices of config.yml), or ``None`` for a plausible one."""
    config = load_config().model
    if not math.isfinite(price):
        problem = "the price is not a finite number"
    elif not config.min_price <= price <= config.max_price:
        problem = f"the price ${price:,.2f} is outside the price bounds"
    else:
        return None
    return (
        f"{problem} (${config.min_price:,.0f} to ${config.max_price:,.0f}): some "
        "values of this row are far from the training data"
    )


def _unseen_labels(
    columns: dict[str, np.ndarray], seen: dict[str, Any], numeric_coded: set[str]
) -> list[str]:
    """One warning per variable whose valid rows hold labels training never had."""
    warnings = []
    for variable in sorted(seen):
        known = set(seen[variable])
        found = set()
        for value in dict.fromkeys(columns.get(variable, [])):
            if is_missing(value):
                continue
            label = category_label(value) if variable in numeric_coded else value
            if label not in known:
                found.add(str(label))
        if found:
            warnings.append(
                f"labels the training data never had in {variable}, treated as "
                f"missing values: {sorted(found)}"
            )
    return warnings


def main(argv: list[str] | None = None) -> int:
    """Command line: price a CSV file and write ``Id,SalePrice``.

    Exit codes (the same for ``procedural.score`` and ``oop.score``):

    - 0: every row priced;
    - 1: some rows had errors (listed on stderr, one line each; their
      ``SalePrice`` is left empty): a bad cell, a price outside the bounds, or an
      ``Id`` missing or not a whole number (its ``Id`` is left empty too);
    - 2: a file could not be used: the input (absent, unreadable, not UTF-8,
      malformed CSV, no ``Id`` column), the model, or the output (unwritable, a
      folder, or the input itself). One line on stderr names the file and the
      reason, and nothing is written.

    ``--output -`` is stdout (the summary then goes to stderr); Ids are integers;
    see :func:`regression_model.processing.files.write_output` for the rest.
    """
    import pandas as pd

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
        help="where to write Id,SalePrice, '-' for stdout (default: predictions.csv)",
    )
    parser.add_argument(
        "--trained-dir",
        type=Path,
        default=None,
        help="the trained folder (default: the package's trained_models/)",
    )
    args = parser.parse_args(argv)
    to_stdout = str(args.output) == files.STDOUT
    if not to_stdout and args.output.resolve() == args.input.resolve():
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
    ids, id_errors = files.whole_ids(data[id_variable].tolist(), id_variable)
    bad = {e["row"] for e in id_errors}  # in the script stages' words, not pydantic's
    errors = id_errors + [
        e for e in result["errors"] if e["column"] != id_variable or e["row"] not in bad
    ]
    for row in bad:
        result["predictions"][row] = None
    for problem in sorted(errors, key=lambda e: e["row"]):
        print(
            f"{args.input}: row {problem['row']}, column {problem['column']}: "
            f"{problem['message']}",
            file=sys.stderr,
        )
    output = pd.DataFrame({id_variable: pd.array(ids, dtype="Int64")})
    output["SalePrice"] = result["predictions"]
    output = files.neutralise_cells(output)
    try:
        files.write_output(args.output, output.to_csv(index=False))
    except OSError as error:
        return _unusable(args.output, f"cannot write it ({error})")
    priced = sum(price is not None for price in result["predictions"])
    print(
        f"priced {priced} of {len(data)} rows -> {args.output}",
        file=sys.stderr if to_stdout else sys.stdout,
    )
    return 1 if errors else 0


def _one_line(reason: object) -> str:
    return " ".join(str(reason).split())  # parser messages span lines


def _unusable(path: Path, reason: str) -> int:
    """Report a file the command line cannot use, in one line: exit code 2."""
    print(f"error: {path}: {_one_line(reason)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
