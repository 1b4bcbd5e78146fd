"""The scoring plan: the fitted pipeline's learned parameters as plain JSON.

A fitted pipeline is mostly machinery for *learning* (pandas frames checked and copied
at every step); to *score* a house it only needs what it learned: the imputation
values, the seen and frequent labels, the ordinal codes, the scaler's ``min_`` and
``scale_``, Lasso's ``coef_`` and ``intercept_``. :func:`compile_plan` reads them
from the fitted objects (nothing here is typed by hand) into a versioned,
human-readable dict, saved beside the skops file as JSON. :class:`ScoringPlan` scores
with it: one house as a dict in plain Python (:meth:`ScoringPlan.score_record`), or
many houses as numpy columns (:meth:`ScoringPlan.score_columns`), with the same float
operations in the same order as the pipeline, so the prices are the same bits.

The procedural stage hard-coded these parameters by copying them from the notebooks;
here code extracts them and the parity suite proves the plan prices like the
pipeline. JSON holds data, never code, so loading a plan cannot run anything.

This module imports neither skops nor pandas: serving needs neither.
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

PLAN_FORMAT = "regression_model.scoring_plan"
PLAN_VERSION = 1


class PlanCompileError(TypeError):
    """The pipeline holds a step (or a setting) the compiler does not know."""


class PlanFormatError(ValueError):
    """A plan file is not a scoring plan this version of the package can run."""


# ---------------------------------------------------------------------------------
# Compiling: one function per fitted step class, reading its learned attributes
# ---------------------------------------------------------------------------------


def _names(values: Any) -> list[str]:
    return [str(value) for value in values]


def _select(step: Any) -> dict[str, Any]:
    return {"op": "select", "variables": _names(step.variables_)}


def _numeric_coded_labels(step: Any) -> dict[str, Any]:
    return {"op": "numeric_coded_labels", "variables": _names(step.variables_)}


def _unseen_to_missing(step: Any) -> dict[str, Any]:
    return {
        "op": "unseen_to_missing",
        "seen_labels": {
            str(v): list(labels) for v, labels in step.seen_labels_.items()
        },
    }


def _impute_categorical(step: Any) -> dict[str, Any]:
    return {
        "op": "impute_categorical",
        "values": {str(v): str(value) for v, value in step.imputer_dict_.items()},
    }


def _impute_mean(step: Any) -> dict[str, Any]:
    if step.imputation_method != "mean":
        raise PlanCompileError(f"unknown imputation_method {step.imputation_method!r}")
    return {
        "op": "impute_mean",
        "values": {str(v): float(value) for v, value in step.imputer_dict_.items()},
    }


def _elapsed_years(step: Any) -> dict[str, Any]:
    return {
        "op": "elapsed_years",
        "variables": _names(step.variables_),
        "reference": str(step.reference_variable),
    }


def _drop(step: Any) -> dict[str, Any]:
    return {"op": "drop", "variables": _names(step.features_to_drop_)}


def _log(step: Any) -> dict[str, Any]:
    if step.base != "e":
        raise PlanCompileError(f"unknown log base {step.base!r}")
    return {"op": "log", "variables": _names(step.variables_)}


def _binarize(step: Any) -> dict[str, Any]:
    from sklearn.preprocessing import Binarizer

    inner = step.transformer_
    if type(inner) is not Binarizer:
        raise PlanCompileError(
            f"unknown wrapped transformer {type(inner).__qualname__}"
        )
    return {
        "op": "binarize",
        "variables": _names(step.variables_),
        "threshold": float(inner.threshold),
    }


def _map(step: Any) -> dict[str, Any]:
    return {
        "op": "map",
        "variables": _names(step.variables_),
        "mapping": {str(k): int(v) for k, v in step.mappings_.items()},
    }


def _rare_labels(step: Any) -> dict[str, Any]:
    return {
        "op": "rare_labels",
        "frequent_labels": {
            str(v): [str(label) for label in labels]
            for v, labels in step.encoder_dict_.items()
        },
        "replace_with": step.replace_with,
    }


def _ordinal(step: Any) -> dict[str, Any]:
    if step.unseen != "ignore":
        raise PlanCompileError(f"unknown unseen setting {step.unseen!r}")
    return {
        "op": "ordinal",
        "codes": {
            str(v): {str(label): int(code) for label, code in codes.items()}
            for v, codes in step.encoder_dict_.items()
        },
    }


def _scale(step: Any) -> dict[str, Any]:
    if step.clip:
        raise PlanCompileError("MinMaxScaler(clip=True) is not supported")
    return {
        "op": "scale",
        "min": [float(value) for value in step.min_],
        "scale": [float(value) for value in step.scale_],
    }


def _linear(step: Any) -> dict[str, Any]:
    coef = np.asarray(step.coef_, dtype=np.float64)
    if coef.ndim != 1:
        raise PlanCompileError(f"expected one target, got coef_ of shape {coef.shape}")
    return {
        "op": "linear",
        "coef": [float(value) for value in coef],
        "intercept": float(step.intercept_),
    }


def _compilers() -> dict[type, tuple[Callable[[Any], dict[str, Any]], tuple[str, ...]]]:
    """Each fitted step class the compiler knows: how to read it, and its step names.

    The names (glob patterns) are those :func:`regression_model.pipeline.build_pipeline`
    gives it; a known class under another name is refused too. Imported here, not at
    module level, so that scoring never imports the training libraries.
    """
    from feature_engine.encoding import OrdinalEncoder, RareLabelEncoder
    from feature_engine.imputation import CategoricalImputer, MeanMedianImputer
    from feature_engine.selection import DropFeatures
    from feature_engine.transformation import LogTransformer
    from feature_engine.wrappers import SklearnTransformerWrapper
    from sklearn.linear_model import Lasso
    from sklearn.preprocessing import MinMaxScaler

    from regression_model.processing import features

    return {
        features.FeatureSelector: (_select, ("select_inputs", "select_features")),
        features.NumericCodedCategoricalTransformer: (
            _numeric_coded_labels,
            ("numeric_coded_categories",),
        ),
        features.UnseenLabelsToMissing: (
            _unseen_to_missing,
            ("unseen_labels_to_missing",),
        ),
        features.TemporalVariableTransformer: (_elapsed_years, ("elapsed_time",)),
        features.Mapper: (_map, ("*_mapping",)),
        CategoricalImputer: (
            _impute_categorical,
            ("missing_imputation", "frequent_imputation"),
        ),
        MeanMedianImputer: (_impute_mean, ("mean_imputation",)),
        DropFeatures: (_drop, ("drop_reference",)),
        LogTransformer: (_log, ("log",)),
        SklearnTransformerWrapper: (_binarize, ("binarizer",)),
        RareLabelEncoder: (_rare_labels, ("rare_labels",)),
        OrdinalEncoder: (_ordinal, ("ordinal_encoding",)),
        MinMaxScaler: (_scale, ("scaler",)),
        Lasso: (_linear, ("lasso",)),
    }


def compile_plan(model: Any, package_version: str | None = None) -> dict[str, Any]:
    """Read every learned parameter of a fitted model into a scoring plan.

    Parameters
    ----------
    model : TransformedTargetRegressor
        The fitted model of :func:`regression_model.pipeline.build_pipeline`:
        ``log``/``exp`` around a pipeline of known steps.
    package_version : str, optional
        Recorded in the plan; the installed package's version by default.

    Returns
    -------
    dict
        ``format``, ``plan_version``, ``package_version``, ``inputs`` (the raw
        columns the plan reads), ``steps`` (one dict per pipeline step, in order,
        each with its ``name`` and ``op``) and ``target_inverse`` (``"exp"``).

    Raises
    ------
    PlanCompileError
        If the model is not fitted or holds a step, a setting or a target transform
        the compiler does not know: never a silent skip.
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    if package_version is None:
        from regression_model import __version__ as package_version
    if type(model) is not TransformedTargetRegressor:
        raise PlanCompileError(
            f"expected a TransformedTargetRegressor, got {type(model).__qualname__}"
        )
    check_is_fitted(model)
    if model.func is not np.log or model.inverse_func is not np.exp:
        raise PlanCompileError("only a log target (func=np.log, inverse=np.exp)")
    if type(model.regressor_) is not Pipeline:
        raise PlanCompileError(
            f"expected a Pipeline regressor, got {type(model.regressor_).__qualname__}"
        )
    compilers = _compilers()
    steps = []
    for name, step in model.regressor_.steps:
        if type(step) not in compilers:
            raise PlanCompileError(
                f"step {name!r} is a {type(step).__module__}."
                f"{type(step).__qualname__}, which the plan compiler does not know"
            )
        compiler, names = compilers[type(step)]
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in names):
            raise PlanCompileError(
                f"step {name!r} is a {type(step).__qualname__}, which the plan "
                f"compiler knows only as {list(names)}"
            )
        steps.append({"name": name, **compiler(step)})
    if not steps or steps[0]["op"] != "select" or steps[-1]["op"] != "linear":
        raise PlanCompileError("the pipeline must open with a selector, end in Lasso")
    return {
        "format": PLAN_FORMAT,
        "plan_version": PLAN_VERSION,
        "package_version": package_version,
        "inputs": steps[0]["variables"],
        "steps": steps,
        "target_inverse": "exp",
    }


def plan_to_json(plan: Mapping[str, Any]) -> str:
    """The plan as JSON text (floats written so they read back as the same bits)."""
    return json.dumps(plan, indent=1, allow_nan=False) + "\n"


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
