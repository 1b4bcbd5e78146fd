"""The scoring plan's format, and the checks a plan passes before it scores a house.

A plan is JSON: whoever can write the trained folder can write any JSON there, and
the metadata's SHA-256 only says the file is the one the metadata names, not that
it came from training. So :class:`regression_model.serving.plan.ScoringPlan` runs
:func:`check_plan` first: every operation known, every field of its type, every
number finite, every variable produced by the steps before it, the scaler and the
coefficients as long as the features, the nesting bounded. A plan that passes
scores every house; any other is refused when it is loaded, never at the first
request.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from regression_model.processing.schema import numerical_columns, schema_columns

PLAN_FORMAT = "regression_model.scoring_plan"
PLAN_VERSION = 1
MAX_NESTING = 8  # a compiled plan is 5 levels deep (plan, steps, step, codes, labels)
# The holdout's log residuals bound a price range: beyond a factor of 10 either
# way, a range says nothing (and exp() of +-1e308 is no number at all).
MAX_LOG_RESIDUAL = math.log(10.0)


class PlanFormatError(ValueError):
    """A plan file is not a scoring plan this version of the package can run."""


CATEGORICAL_OPS = {"unseen_to_missing", "impute_categorical", "map", "rare_labels"}
CATEGORICAL_OPS |= {"ordinal"}
NUMERIC_OPS = {"impute_mean", "elapsed_years", "log", "binarize"}
KNOWN_OPS = CATEGORICAL_OPS | NUMERIC_OPS | {"select", "drop", "scale", "linear"}
KNOWN_OPS |= {"numeric_coded_labels"}


def touches(op: dict[str, Any]) -> list[str]:
    """The variables a step reads (and, for a categorical step, changes)."""
    for key in ("seen_labels", "values", "frequent_labels", "codes"):
        if key in op:
            return list(op[key])
    return list(op["variables"])


def short(value: Any) -> str:
    """A value as the messages show it: its repr, cut to 80 characters."""
    try:
        text = repr(value[:80] if isinstance(value, str) else value)
    except ValueError:  # an integer of more digits than Python prints
        text = f"an integer of {value.bit_length()} bits"
    return text if len(text) <= 80 else text[:77] + "..."


def _check_nesting(plan: Any) -> None:
    """Refuse a plan nested deeper than :data:`MAX_NESTING` (iteratively)."""
    stack = [(plan, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise PlanFormatError(f"nested deeper than {MAX_NESTING} levels")
        children = value.values() if isinstance(value, Mapping) else value
        stack.extend((c, depth + 1) for c in children if isinstance(c, Mapping | list))


def _number(value: Any, where: str) -> float:
    """A finite JSON number (``true`` is no number, ``1e400`` is infinite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanFormatError(f"{where} is {short(value)}, not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise PlanFormatError(f"{where} is {short(value)}, not a finite number")
    return number


def _label(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise PlanFormatError(f"{where} is {short(value)}, not a string")
    return value


def _names(value: Any, where: str) -> list[str]:
    """A list of distinct strings."""
    if not isinstance(value, list):
        raise PlanFormatError(f"{where} is {short(value)}, not a list")
    names = [_label(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if len(set(names)) != len(names):
        raise PlanFormatError(f"{where} names a variable or label twice")
    return names


def _numbers(value: Any, where: str) -> list[float]:
    if not isinstance(value, list):
        raise PlanFormatError(f"{where} is {short(value)}, not a list")
    return [_number(item, f"{where}[{index}]") for index, item in enumerate(value)]


Check = Callable[[Any, str], Any]


def _each(check: Check) -> Check:
    """A check of a JSON object: string keys, each value passing ``check``."""

    def each(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise PlanFormatError(f"{where} is {short(value)}, not an object")
        return {k: check(v, f"{where}[{short(k)}]") for k, v in value.items()}

    return each


# each operation's fields and their check (extra fields are ignored)
_FIELDS: dict[str, dict[str, Check]] = {
    "select": {"variables": _names},
    "drop": {"variables": _names},
    "numeric_coded_labels": {"variables": _names},
    "log": {"variables": _names},
    "elapsed_years": {"variables": _names, "reference": _label},
    "binarize": {"variables": _names, "threshold": _number},
    "map": {"variables": _names, "mapping": _each(_number)},
    "unseen_to_missing": {"seen_labels": _each(_names)},
    "impute_categorical": {"values": _each(_label)},
    "impute_mean": {"values": _each(_number)},
    "rare_labels": {"frequent_labels": _each(_names), "replace_with": _label},
    "ordinal": {"codes": _each(_each(_number))},
    "scale": {"min": _numbers, "scale": _numbers},
    "linear": {"coef": _numbers, "intercept": _number},
}
_ONCE = ("numeric_coded_labels", "unseen_to_missing", "scale", "linear")


def _check_steps(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The plan's steps: known operations, typed fields, in the pipeline's order."""
    steps = plan.get("steps")
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise PlanFormatError(f"steps is {short(steps)}, not a list of objects")
    unknown = [short(s.get("op")) for s in steps if s.get("op") not in KNOWN_OPS]
    if unknown:
        raise PlanFormatError(f"unknown operations in the plan: {unknown[:5]}")
    for index, step in enumerate(steps):
        for field, check in _FIELDS[step["op"]].items():
            check(step.get(field), f"step {index} ({step['op']}) {field}")
    ops = [step["op"] for step in steps]
    if ops[:1] != ["select"] or ops[-3:] != ["select", "scale", "linear"]:
        raise PlanFormatError("steps must open with select, end in select-scale-linear")
    not_once = [op for op in _ONCE if ops.count(op) != 1]
    if not_once:
        raise PlanFormatError(f"the plan must hold each of {not_once} exactly once")
    inputs = _names(plan.get("inputs"), "inputs")
    if inputs != steps[0]["variables"]:
        raise PlanFormatError("inputs are not the variables of the first select")
    return steps


def _check_variables(
    steps: list[dict[str, Any]], inputs: list[str], categorical: set[str]
) -> None:
    """Every variable a step reads exists there and is of the step's kind."""
    known, numerical = set(schema_columns()), set(numerical_columns())
    strangers = [
        v for v in inputs if v not in known or (v in numerical) == (v in categorical)
    ]
    if strangers:
        raise PlanFormatError(f"inputs of the wrong kind or unknown: {strangers[:5]}")
    available = set(inputs)
    for index, step in enumerate(steps[1:-2], start=1):
        op = step["op"]
        read = touches(step)
        read += [step["reference"]] if op == "elapsed_years" else []
        wrong = [v for v in read if v not in available]
        if op in CATEGORICAL_OPS or op == "numeric_coded_labels":
            wrong += [v for v in read if v not in categorical]
        elif op in NUMERIC_OPS:
            wrong += [v for v in read if v in categorical]
        if wrong:
            raise PlanFormatError(f"step {index} ({op}) reads {short(wrong)}")
        if op == "drop":
            available -= set(read)
        elif op == "select":
            available = set(read)


def _check_price_range(plan: Mapping[str, Any]) -> None:
    """The holdout's price range, if the plan has one: two sane quantiles."""
    stored = plan.get("price_range")
    if stored is None:
        return
    if not isinstance(stored, dict):
        raise PlanFormatError(f"price_range is {short(stored)}, not an object")
    quantiles = _numbers(stored.get("quantiles"), "price_range quantiles")
    residuals = _numbers(stored.get("log_residuals"), "price_range log_residuals")
    if len(quantiles) != 2 or not 0 < quantiles[0] < quantiles[1] < 1:
        raise PlanFormatError(
            f"price_range quantiles are {short(quantiles)}, not two shares in (0, 1)"
        )
    limit = MAX_LOG_RESIDUAL
    if len(residuals) != 2 or not -limit <= residuals[0] <= residuals[1] <= limit:
        raise PlanFormatError(
            f"price_range log_residuals are {short(residuals)}, not a low and a "
            f"high within +-{limit:.2f} (a factor of 10)"
        )


def check_plan(plan: Any) -> list[dict[str, Any]]:
    """Check a plan before it scores; return its steps.

    Raises
    ------
    PlanFormatError
        If the plan has another format or version, an operation this version does
        not know, a field of the wrong type, a number that is not finite, a variable
        no step before produces, or lengths that disagree; the message says which.
    """
    if not isinstance(plan, Mapping):
        raise PlanFormatError(f"a plan is a JSON object, not {type(plan).__name__}")
    _check_nesting(plan)
    if plan.get("format") != PLAN_FORMAT or plan.get("plan_version") != PLAN_VERSION:
        raise PlanFormatError(
            f"not a version-{PLAN_VERSION} scoring plan: format "
            f"{short(plan.get('format'))}, version {short(plan.get('plan_version'))}"
        )
    if plan.get("target_inverse") != "exp":
        raise PlanFormatError(
            f"unknown target_inverse {short(plan.get('target_inverse'))}"
        )
    _label(plan.get("package_version"), "package_version")
    steps = _check_steps(plan)
    seen = next(s for s in steps if s["op"] == "unseen_to_missing")["seen_labels"]
    _check_variables(steps, plan["inputs"], set(seen))
    features, scale, linear = steps[-3:]
    lengths = [len(scale["min"]), len(scale["scale"]), len(linear["coef"])]
    if not features["variables"] or lengths != [len(features["variables"])] * 3:
        raise PlanFormatError(
            f"{len(features['variables'])} features, but {lengths[0]} scaler minima, "
            f"{lengths[1]} scales and {lengths[2]} coefficients"
        )
    _check_price_range(plan)
    return steps
