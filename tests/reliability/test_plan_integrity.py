"""A plan is checked when it is loaded: a forged one is refused at start-up.

The metadata's SHA-256 proves a plan is the file the metadata names, not that
training wrote it: a forger who can write the trained folder re-hashes the metadata
too. So each forgery here is re-hashed (the hash check passes) and must still be
refused by ``load_plan``, with one line naming the file, before any house is
priced: otherwise ``/health`` answers 200 and every price is null, or every
request a 500.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.predict import load_model, make_prediction
from regression_model.processing import data_manager as dm
from regression_model.processing.data_manager import ModelIntegrityError
from regression_model.serving.plan import load_plan

Plan = dict[str, Any]


def step(plan: Plan, op: str, last: bool = False) -> dict[str, Any]:
    """The plan's first (or last) step of operation ``op``."""
    steps = [s for s in plan["steps"] if s["op"] == op]
    return steps[-1] if last else steps[0]


def setting(op: str, field: str, value: Any, last: bool = False) -> Callable:
    def change(plan: Plan) -> None:
        step(plan, op, last)[field] = value

    return change


def first_value(op: str, field: str, value: Any) -> Callable:
    """Set the first number of a step's list (or of its object) to ``value``."""

    def change(plan: Plan) -> None:
        held = step(plan, op)[field]
        if isinstance(held, list):
            held[0] = value
        else:
            held[next(iter(held))] = value

    return change


def shortened(op: str, field: str) -> Callable:
    def change(plan: Plan) -> None:
        step(plan, op)[field].pop()

    return change


def with_feature(name: str) -> Callable:
    def change(plan: Plan) -> None:
        step(plan, "select", last=True)["variables"][-1] = name

    return change


def with_input(name: str) -> Callable:
    def change(plan: Plan) -> None:
        plan["inputs"].append(name)
        step(plan, "select")["variables"].append(name)

    return change


def with_steps(reorder: Callable[[list], list]) -> Callable:
    def change(plan: Plan) -> None:
        plan["steps"] = reorder(plan["steps"])

    return change


def price_range(residuals: Any) -> Callable:
    def change(plan: Plan) -> None:
        plan["price_range"]["log_residuals"] = residuals

    return change


def first_ordinal_code(value: Any) -> Callable:
    def change(plan: Plan) -> None:
        codes = step(plan, "ordinal")["codes"]
        labels = codes[next(iter(codes))]
        labels[next(iter(labels))] = value

    return change


def without_mapped_label(plan: Plan) -> None:
    mapping = step(plan, "map")["mapping"]
    del mapping[next(iter(mapping))]


def nested(depth: int) -> Callable:
    def change(plan: Plan) -> None:
        plan["notes"] = "NESTED"

    change.depth = depth  # type: ignore[attr-defined]
    return change


TAMPERINGS: dict[str, Callable[[Plan], None]] = {
    "coefficient-nan": first_value("linear", "coef", math.nan),
    "coefficient-infinite": first_value("linear", "coef", math.inf),
    "coefficient-text": first_value("linear", "coef", "0.1"),
    "coefficient-boolean": first_value("linear", "coef", True),
    "intercept-nan": setting("linear", "intercept", math.nan),
    "intercept-minus-infinite": setting("linear", "intercept", -math.inf),
    "intercept-integer-beyond-float": setting("linear", "intercept", 10**400),
    "scaler-min-nan": first_value("scale", "min", math.nan),
    "scaler-scale-infinite": first_value("scale", "scale", math.inf),
    "imputed-mean-nan": first_value("impute_mean", "values", math.nan),
    "threshold-nan": setting("binarize", "threshold", math.nan),
    "ordinal-code-nan": first_ordinal_code(math.nan),
    "mapping-missing-a-label": without_mapped_label,
    "coefficients-too-short": shortened("linear", "coef"),
    "scaler-min-too-short": shortened("scale", "min"),
    "unknown-feature": with_feature("NotAColumn"),
    "dropped-feature": with_feature("YrSold"),
    "unknown-input": with_input("NotAColumn"),
    "unknown-operation": with_steps(lambda s: [*s[:-1], {"op": "eval"}, s[-1]]),
    "lasso-before-scaler": with_steps(lambda s: [*s[:-2], s[-1], s[-2]]),
    "lasso-twice": with_steps(lambda s: [*s, s[-1]]),
    "steps-not-a-list": lambda plan: plan.update(steps={"0": plan["steps"][0]}),
    "price-range-huge": price_range([-1e308, 1e308]),
    "price-range-nan": price_range([math.nan, 0.1]),
    "price-range-reversed": price_range([0.1, -0.1]),
    "price-range-one-number": price_range([0.1]),
    "nested-100000-deep": nested(100_000),
    "nested-500-deep": nested(500),
}


def forged_text(plan: Plan, tamper: Callable[[Plan], None]) -> bytes:
    """The plan changed by ``tamper``, as JSON (NaN and Infinity as Python writes)."""
    tamper(plan)
    text = json.dumps(plan)
    depth = getattr(tamper, "depth", None)
    if depth is not None:
        text = text.replace('"NESTED"', "[" * depth + "]" * depth)
    return text.encode()


def plan_file(folder: Path) -> Path:
    return dm.plan_path(dm.pipeline_path(folder))


@pytest.mark.parametrize("case", TAMPERINGS)
def test_rehashed_plan_tampered_is_refused_naming_the_file(package_copy, rehash, case):
    # Given the trained folder's plan tampered with, its new hash in the metadata
    plan = json.loads(plan_file(package_copy).read_text())
    rehash(package_copy, "plan", forged_text(plan, TAMPERINGS[case]))

    # When it is loaded
    with pytest.raises(ModelIntegrityError) as caught:
        load_plan(package_copy)

    # Then it is refused in one short line naming the file
    message = str(caught.value)
    assert str(plan_file(package_copy)) in message
    assert "\n" not in message and len(message) < 600


def test_rehashed_plan_unchanged_loads_and_prices_like_the_pipeline(
    package_copy, rehash, real_data_dir
):
    # Given the plan re-written as other JSON text (same values), re-hashed: the
    # control case of the forgeries above
    plan = json.loads(plan_file(package_copy).read_text())
    rehash(package_copy, "plan", forged_text(plan, lambda plan: None))
    houses = pd.read_csv(real_data_dir / "test.csv")

    # When it is loaded and prices test.csv
    scorer = load_plan(package_copy)
    prices = make_prediction(houses, model=scorer)["predictions"]
    pipeline = load_model(package_copy, engine="pipeline")
    expected = make_prediction(houses, model=pipeline)["predictions"]

    # Then every house gets the pipeline's price, to the bit
    assert len(prices) == len(houses) and None not in prices
    np.testing.assert_array_equal(prices, expected)


def test_api_refuses_to_start_with_a_plan_forged_with_nan(package_copy, rehash):
    # Given a plan whose first coefficient is NaN, re-hashed
    plan = json.loads(plan_file(package_copy).read_text())
    rehash(package_copy, "plan", forged_text(plan, TAMPERINGS["coefficient-nan"]))
    app = create_app(Settings(trained_dir=package_copy))

    # When the app starts / Then start-up stops, naming the plan file
    with pytest.raises(ModelIntegrityError) as caught, TestClient(app):
        pass
    assert str(plan_file(package_copy)) in str(caught.value)
    assert not hasattr(app.state, "model")
