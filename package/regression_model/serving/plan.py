"""Score houses with a scoring plan: the fitted pipeline's learned parameters as JSON.

:func:`regression_model.serving.compile.compile_plan` writes the plan at training;
:class:`ScoringPlan` scores with it, with the same float operations in the same order
as the pipeline, so the prices are the same bits. JSON holds data, never code, so
loading a plan cannot run anything; and loading checks it first
(:func:`regression_model.serving.plan_format.check_plan`), so a plan that loads
prices every house.

One interpreter runs the plan, on columns: one house is a batch of one. Its run has
two parts, so that :mod:`regression_model.serving.explain` can stop between them:
:meth:`ScoringPlan.feature_matrix` (every step up to the features Lasso reads), then
:meth:`ScoringPlan.scale` and :meth:`ScoringPlan.price` (the scaler, Lasso and the
inverse target). The first part is itself two: each label's code (a lookup per
cell, :meth:`ScoringPlan.label_codes`), then the numeric steps on the codes and
numbers (:meth:`ScoringPlan.features_from_codes`). A caller holding a column of
few distinct labels (the batch job) looks up each distinct label once instead, and
starts at the second.

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
from regression_model.processing.schema import category_label, is_missing
from regression_model.serving.plan_format import (
    CATEGORICAL_OPS,
    NUMERIC_OPS,
    PLAN_FORMAT,
    PLAN_VERSION,
    PlanFormatError,
    check_plan,
    short,
    touches,
)

__all__ = ["PLAN_FORMAT", "PLAN_VERSION", "PlanFormatError", "ScoringPlan", "load_plan"]


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
        If the plan fails :func:`regression_model.serving.plan_format.check_plan`
        (another format or version, an unknown operation, a number that is not
        finite, an unknown variable, lengths that disagree), or a label's steps
        end without a finite code.
    """

    def __init__(self, plan: Mapping[str, Any]):
        steps = check_plan(plan)
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
                if s["op"] in CATEGORICAL_OPS and variable in touches(s)
            ]
            if chain[0]["op"] != "unseen_to_missing":
                raise PlanFormatError(f"{variable}: unseen labels must be made missing")
            try:
                self.tables[variable] = {
                    label: _run_chain(chain, variable, label)
                    for label in seen[variable]
                }
                self.missing_codes[variable] = _run_chain(chain, variable, None)
            except (LookupError, TypeError, ValueError) as error:
                raise PlanFormatError(
                    f"{variable}: its steps fail on a label ({type(error).__name__}: "
                    f"{short(str(error))})"
                ) from error
            codes = [*self.tables[variable].values(), self.missing_codes[variable]]
            if not all(math.isfinite(code) for code in codes):
                raise PlanFormatError(f"{variable}: a label ends without a code")
        self.numeric_steps = [s for s in steps if s["op"] in NUMERIC_OPS]
        self.features: list[str] = steps[-3]["variables"]
        scale = by_op["scale"]
        linear = by_op["linear"]
        self.scale_ = np.asarray(scale["scale"], dtype=np.float64)
        self.min_ = np.asarray(scale["min"], dtype=np.float64)
        self.coef_ = np.asarray(linear["coef"], dtype=np.float64)
        self.intercept_ = float(linear["intercept"])

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoringPlan:
        """Read a plan from its JSON text (refusing one nested too deep to parse)."""
        try:
            plan = json.loads(text)
        except RecursionError as error:
            raise PlanFormatError("nested too deep to read") from error
        return cls(plan)

    def score_columns(self, columns: Mapping[str, Any], n_rows: int) -> np.ndarray:
        """Price houses given as columns of validated values (one house: n_rows=1).

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
        return self.price(self.scale(self.feature_matrix(columns, n_rows)))

    def feature_matrix(self, columns: Mapping[str, Any], n_rows: int) -> np.ndarray:
        """The features Lasso reads, before the scaler: every step up to it.

        Takes what :meth:`score_columns` takes; returns a float64 array of shape
        ``(n_rows, len(self.features))``, in the order of :attr:`features`.
        """
        # every label's code first, into one array: one row per variable
        codes = np.array(
            [self.label_codes(v, columns.get(v), n_rows) for v in self.categorical],
            dtype=np.float64,
        ).reshape(len(self.categorical), n_rows)
        values: dict[str, np.ndarray] = dict(zip(self.categorical, codes, strict=True))
        for variable in self.numerical:
            column = columns.get(variable)
            values[variable] = (
                np.full(n_rows, np.nan)
                if column is None
                else np.asarray(column, dtype=np.float64)
            )
        return self.features_from_codes(values, n_rows)

    def features_from_codes(
        self, values: dict[str, np.ndarray], n_rows: int
    ) -> np.ndarray:
        """The numeric steps, in plan order, on coded columns: the features.

        ``values`` holds, for every input variable, one float64 per house: a
        label's ordinal code (:meth:`label_codes`), a number
        (NaN for missing); it is read, never changed. Each variable is copied once,
        a feature straight into its place in the matrix, and every step works
        there, in place.
        """
        # one row per feature, so that X (its transpose) is column-major, as the
        # pipeline's matrix is
        rows = np.array([values[f] for f in self.features], dtype=np.float64)
        rows = rows.reshape(len(self.features), n_rows)
        work = dict(zip(self.features, rows, strict=True))
        for variable in values.keys() - work.keys():  # read by a step, not by Lasso
            work[variable] = np.array(values[variable], dtype=np.float64)
        for step in self.numeric_steps:
            kind = step["op"]
            if kind == "impute_mean":
                for variable, mean in step["values"].items():
                    column = work[variable]
                    np.copyto(column, mean, where=np.isnan(column))
            elif kind == "elapsed_years":
                reference = work[step["reference"]].copy()
                for variable in step["variables"]:
                    np.subtract(reference, work[variable], out=work[variable])
            elif kind == "log":
                for variable in step["variables"]:
                    np.log(work[variable], out=work[variable])
            else:  # binarize: 1.0 above the threshold, else 0.0
                for variable in step["variables"]:
                    work[variable][:] = work[variable] > step["threshold"]
        return rows.T

    def label_codes(self, variable: str, column: Any, n_rows: int) -> list[float]:
        """A categorical variable's ordinal codes: a lookup per label.

        ``column`` holds labels (``None`` or NaN for missing), or is ``None``: the
        variable is missing for every house.
        """
        missing_code = self.missing_codes[variable]
        if column is None:
            return [missing_code] * n_rows
        table = self.tables[variable]
        if variable in self.numeric_coded:
            return [
                missing_code
                if is_missing(v)
                else table.get(category_label(v), missing_code)
                for v in column
            ]
        return [table.get(v, missing_code) for v in column]

    def scale(self, X: np.ndarray) -> np.ndarray:
        """The pipeline's MinMax scaler, in place: ``X * scale + min``."""
        X *= self.scale_
        X += self.min_
        return X

    def price(self, X: np.ndarray) -> np.ndarray:
        """Lasso and the inverse target on scaled features: ``exp(X @ coef + b)``."""
        return np.exp(X @ self.coef_ + self.intercept_)


def load_plan(
    trained_dir: Path | None = None, *, expected_sha256: str | None = None
) -> ScoringPlan:
    """Load this version's scoring plan, refusing a changed file.

    Reads JSON only: no skops, no pickle, nothing in the file can run.

    Parameters
    ----------
    trained_dir : Path, optional
        The trained folder; :func:`regression_model.config.default_trained_dir` by
        default.
    expected_sha256 : str, optional
        The SHA-256 the plan file must have (the one pinned by a release).

    Raises
    ------
    FileNotFoundError
        If the metadata or the plan is absent (a model trained before plans existed
        has none: train again).
    ModelIntegrityError
        If the plan's SHA-256 differs from the one recorded at training or from
        ``expected_sha256``, or the metadata or the plan is corrupt, or the plan
        is not one that scores every house (:class:`ScoringPlan` checks it): one
        line naming the file, at loading, never at the first request.
    """
    model_path = pipeline_path(trained_dir)
    path = plan_path(model_path)
    content = read_vouched(model_path, path, "plan", expected_sha256)
    try:
        return ScoringPlan.from_json(content)
    except (ValueError, LookupError, TypeError, AttributeError) as error:
        detail = str(error).replace("\n", " ")[:200]
        raise ModelIntegrityError(
            f"{path} is not a valid scoring plan ({type(error).__name__}: {detail}): "
            "refusing a malformed plan file"
        ) from error
