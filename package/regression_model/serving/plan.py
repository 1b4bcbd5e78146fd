"""Score houses with a scoring plan: the fitted pipeline's learned parameters as JSON.

:func:`regression_model.serving.compile.compile_plan` writes the plan at training;
:class:`ScoringPlan` scores with it, with the same float operations in the same order
as the pipeline, so the prices are the same bits. JSON holds data, never code, so
loading a plan cannot run anything.

This module imports neither skops, scikit-learn nor feature-engine: serving needs
none of them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from regression_model.processing.data_manager import (
    ModelIntegrityError,
    pipeline_path,
    plan_path,
    read_vouched,
)

PLAN_FORMAT = "regression_model.scoring_plan"
PLAN_VERSION = 1


class PlanFormatError(ValueError):
    """A plan file is not a scoring plan this version of the package can run."""


# ---------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------


def category_label(value: Any) -> str:
    """Write a numeric-coded category as its label: 20, 20.0 and "20" all give "20".

    The same rule as :func:`regression_model.processing.features.category_label`
    (the parity tests prove it), repeated so that scoring imports no pandas.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


_CATEGORICAL_OPS = {"unseen_to_missing", "impute_categorical", "map", "rare_labels"}
_CATEGORICAL_OPS |= {"ordinal"}
_NUMERIC_OPS = {"impute_mean", "elapsed_years", "log", "binarize"}
_KNOWN_OPS = _CATEGORICAL_OPS | _NUMERIC_OPS | {"select", "drop", "scale", "linear"}
_KNOWN_OPS |= {"numeric_coded_labels"}


def _categorical_step(op: dict[str, Any], variable: str, value: Any) -> Any:
    """One categorical step on one value (``None`` is missing)."""
    kind = op["op"]
    if kind == "unseen_to_missing":
        return value if value in op["seen_labels"][variable] else None
    if kind == "impute_categorical":
        return op["values"][variable] if value is None else value
    if kind == "map":
        return op["mapping"][value]
    if kind == "rare_labels":
        frequent = op["frequent_labels"][variable]
        return value if value in frequent else op["replace_with"]
    # ordinal: unseen="ignore" gives NaN (never reached: every label is seen)
    return op["codes"][variable].get(value, math.nan)


def _run_chain(chain: list[dict[str, Any]], variable: str, value: Any) -> float:
    """A variable's categorical steps, in order, on one value: its code."""
    for op in chain:
        value = _categorical_step(op, variable, value)
    return float(value)


def _touches(op: dict[str, Any]) -> list[str]:
    """The variables a categorical step changes."""
    for key in ("seen_labels", "values", "frequent_labels", "codes"):
        if key in op:
            return list(op[key])
    return list(op["variables"])


class ScoringPlan:
    """Score houses with a compiled plan.

    Loading turns each categorical variable's chain of steps (unseen label ->
    missing -> imputed -> mapped or rare-grouped -> ordinal code) into one lookup
    table, by running the steps on every label the training data had, plus a missing
    value; an unseen label is looked up as missing, which is what the first step
    makes of it. Numeric steps run in plan order.

    Parameters
    ----------
    plan : dict
        A plan from :func:`compile_plan` (or read back from its JSON).

    Raises
    ------
    PlanFormatError
        If the plan has another format or version, or an operation this version
        does not know.
    """

    def __init__(self, plan: Mapping[str, Any]):
        if (
            plan.get("format") != PLAN_FORMAT
            or plan.get("plan_version") != PLAN_VERSION
        ):
            raise PlanFormatError(
                f"not a version-{PLAN_VERSION} scoring plan: format "
                f"{plan.get('format')!r}, version {plan.get('plan_version')!r}"
            )
        if plan.get("target_inverse") != "exp":
            raise PlanFormatError(
                f"unknown target_inverse {plan.get('target_inverse')}"
            )
        steps = list(plan["steps"])
        unknown = [step["op"] for step in steps if step["op"] not in _KNOWN_OPS]
        if unknown:
            raise PlanFormatError(f"unknown operations in the plan: {unknown}")
        self.plan = plan
        self.package_version: str = plan["package_version"]
        self.inputs: list[str] = list(plan["inputs"])
        by_op = {step["op"]: step for step in steps}
        self.numeric_coded = set(by_op["numeric_coded_labels"]["variables"])
        seen = by_op["unseen_to_missing"]["seen_labels"]
        self.categorical: list[str] = list(seen)
        self.numerical = [v for v in self.inputs if v not in seen]
        # each categorical variable: label -> code, and the code of a missing value
        self.tables: dict[str, dict[str, float]] = {}
        self.missing_codes: dict[str, float] = {}
        for variable in self.categorical:
            chain = [
                s
                for s in steps
                if s["op"] in _CATEGORICAL_OPS and variable in _touches(s)
            ]
            if chain[0]["op"] != "unseen_to_missing":
                raise PlanFormatError(f"{variable}: unseen labels must be made missing")

            self.tables[variable] = {
                label: _run_chain(chain, variable, label) for label in seen[variable]
            }
            self.missing_codes[variable] = _run_chain(chain, variable, None)
        self.numeric_steps = [s for s in steps if s["op"] in _NUMERIC_OPS]
        selects = [s for s in steps if s["op"] == "select"]
        self.features: list[str] = selects[-1]["variables"]
        scale = by_op["scale"]
        linear = by_op["linear"]
        self.scale_ = np.asarray(scale["scale"], dtype=np.float64)
        self.min_ = np.asarray(scale["min"], dtype=np.float64)
        self.coef_ = np.asarray(linear["coef"], dtype=np.float64)
        self.intercept_ = float(linear["intercept"])

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoringPlan:
        """Read a plan from its JSON text."""
        return cls(json.loads(text))

    def _code(self, variable: str, value: Any) -> float:
        if _is_missing(value):
            return self.missing_codes[variable]
        if variable in self.numeric_coded:
            value = category_label(value)
        return self.tables[variable].get(value, self.missing_codes[variable])

    def score_record(self, record: Mapping[str, Any]) -> float:
        """Price one house given as a dict of validated values (missing: absent/None).

        Plain Python up to the last three operations, which run in numpy exactly as
        the pipeline's scaler, Lasso and inverse target do.
        """
        values: dict[str, Any] = {}
        for variable in self.categorical:
            values[variable] = self._code(variable, record.get(variable))
        for variable in self.numerical:
            value: Any = record.get(variable)
            values[variable] = math.nan if _is_missing(value) else float(value)
        for step in self.numeric_steps:
            kind = step["op"]
            if kind == "impute_mean":
                for variable, mean in step["values"].items():
                    if values[variable] != values[variable]:
                        values[variable] = mean
            elif kind == "elapsed_years":
                reference = values[step["reference"]]
                for variable in step["variables"]:
                    values[variable] = reference - values[variable]
            elif kind == "log":
                for variable in step["variables"]:
                    values[variable] = float(np.log(values[variable]))
            else:  # binarize
                for variable in step["variables"]:
                    values[variable] = (
                        1.0 if values[variable] > step["threshold"] else 0.0
                    )
        row = np.array([[values[feature] for feature in self.features]])
        return float(self._finish(row)[0])

    def score_columns(self, columns: Mapping[str, Any], n_rows: int) -> np.ndarray:
        """Price many houses given as columns of validated values.

        Parameters
        ----------
        columns : mapping of str to array-like
            For each input variable it has, one value per house: numbers as float64
            (NaN for missing), labels as objects (``None`` or NaN for missing). An
            absent variable is missing for every house.
        n_rows : int
            The number of houses.

        Returns
        -------
        numpy.ndarray of float64
            One price per house.
        """
        values: dict[str, np.ndarray] = {}
        for variable in self.categorical:
            column = columns.get(variable)
            missing_code = self.missing_codes[variable]
            if column is None:
                values[variable] = np.full(n_rows, missing_code)
                continue
            table = self.tables[variable]
            if variable in self.numeric_coded:
                codes = [
                    missing_code
                    if _is_missing(v)
                    else table.get(category_label(v), missing_code)
                    for v in column
                ]
            else:
                codes = [table.get(v, missing_code) for v in column]
            values[variable] = np.array(codes, dtype=np.float64)
        for variable in self.numerical:
            column = columns.get(variable)
            values[variable] = (
                np.full(n_rows, np.nan)
                if column is None
                else np.asarray(column, dtype=np.float64)
            )
        for step in self.numeric_steps:
            kind = step["op"]
            if kind == "impute_mean":
                for variable, mean in step["values"].items():
                    column = values[variable]
                    values[variable] = np.where(np.isnan(column), mean, column)
            elif kind == "elapsed_years":
                reference = values[step["reference"]]
                for variable in step["variables"]:
                    values[variable] = reference - values[variable]
            elif kind == "log":
                for variable in step["variables"]:
                    values[variable] = np.log(values[variable])
            else:  # binarize
                for variable in step["variables"]:
                    values[variable] = np.where(
                        values[variable] > step["threshold"], 1.0, 0.0
                    )
        X = np.empty((n_rows, len(self.features)), dtype=np.float64, order="F")
        for index, feature in enumerate(self.features):
            X[:, index] = values[feature]
        return self._finish(X)

    def _finish(self, X: np.ndarray) -> np.ndarray:
        """MinMax scaling, Lasso, inverse target: the pipeline's own operations."""
        X *= self.scale_
        X += self.min_
        return np.exp(X @ self.coef_ + self.intercept_)


def load_plan(
    directory: Path | None = None, *, expected_sha256: str | None = None
) -> ScoringPlan:
    """Load this version's scoring plan, refusing a changed file.

    Reads JSON only: no skops, no pickle, nothing in the file can run.

    Parameters
    ----------
    directory : Path, optional
        The trained-models folder; :func:`regression_model.config.trained_models_dir`
        by default.
    expected_sha256 : str, optional
        The SHA-256 the plan file must have (the one pinned by a release).

    Raises
    ------
    FileNotFoundError
        If the metadata or the plan is absent (a model trained before plans existed
        has none: train again).
    ModelIntegrityError
        If the plan's SHA-256 differs from the one recorded at training or from
        ``expected_sha256``, or the metadata or the plan is corrupt.
    """
    model_path = pipeline_path(directory)
    path = plan_path(model_path)
    content = read_vouched(model_path, path, "plan", expected_sha256)
    try:
        return ScoringPlan.from_json(content)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelIntegrityError(
            f"{path} is not a valid scoring plan ({type(error).__name__}: {error}): "
            "refusing a malformed plan file"
        ) from error
