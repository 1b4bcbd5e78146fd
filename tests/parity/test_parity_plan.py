"""The scoring plan prices exactly like the pipeline it was compiled from.

The plan (``regression_model.serving``) is the package's pipeline reduced to its learned
parameters; ``make_prediction`` serves it by default, the API too. Here both engines
price every parity input (test.csv, the holdout, the robustness variants) and rows
that hypothesis makes up, in the same process, from the same trained folder: the
prices must agree to 1e-12 (in practice they are the same bits), and the errors and
warnings must be the same.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction
from regression_model.processing.schema import DOMAINS

from tests.parity import stages
from tests.parity.conftest import COMPARISONS

RELATIVE_TOLERANCE = 1e-12
INPUTS = ["test", "holdout", "shuffled", "reordered", "missing", "unseen"]


@pytest.fixture(scope="module")
def engines(package_trained_dir) -> dict[str, Any]:
    """The package's trained model, loaded as a plan and as a pipeline."""
    return {
        "plan": load_model(package_trained_dir, engine="plan"),
        "pipeline": load_model(package_trained_dir, engine="pipeline"),
    }


def prices(result: dict[str, Any]) -> np.ndarray:
    return np.array([math.nan if p is None else p for p in result["predictions"]])


def differences(plan: np.ndarray, pipeline: np.ndarray) -> tuple[int, float, float]:
    """The finite, non-zero prices compared: how many, the largest absolute and the
    largest relative difference (0 and 0 when there are none)."""
    priced = np.isfinite(pipeline) & (pipeline != 0)
    if not priced.any():
        return 0, 0.0, 0.0
    gap = np.abs(plan[priced] - pipeline[priced])
    return int(priced.sum()), float(gap.max()), float(np.max(gap / pipeline[priced]))


def assert_same_answer(
    plan: dict[str, Any], pipeline: dict[str, Any]
) -> tuple[int, float, float]:
    """Assert two answers agree (prices to 1e-12); return ``differences``."""
    assert plan["errors"] == pipeline["errors"]
    assert plan["warnings"] == pipeline["warnings"]
    assert plan["version"] == pipeline["version"]
    a, b = prices(plan), prices(pipeline)
    # the same rows unpriced, and the same non-finite prices (an overflow to inf)
    np.testing.assert_array_equal(np.isfinite(a), np.isfinite(b))
    np.testing.assert_array_equal(a[~np.isfinite(b)], b[~np.isfinite(b)])
    compared = differences(a, b)
    assert compared[2] <= RELATIVE_TOLERANCE
    return compared


@pytest.mark.parametrize("name", INPUTS)
def test_plan_prices_every_parity_input_like_the_pipeline(name, engines, parity_inputs):
    # Given a parity input, as the package's command line reads it
    data = pd.read_csv(parity_inputs[name])

    # When both engines price it
    plan = make_prediction(data, model=engines["plan"])
    pipeline = make_prediction(data, model=engines["pipeline"])

    # Then they agree on every row; record the largest difference
    rows, max_abs, max_rel = assert_same_answer(plan, pipeline)
    COMPARISONS.append(
        (name, stages.Comparison("plan", "pipeline", rows, max_abs, max_rel))
    )


def test_plan_prices_one_house_at_a_time_like_the_pipeline(engines, parity_inputs):
    # Given houses from the variants with missing cells and unseen labels, one by one
    rows = [
        row
        for name in ("missing", "unseen")
        for row in pd.read_csv(parity_inputs[name]).head(15).to_dict("records")
    ]

    # When each is priced alone (a batch of one for the plan) by both engines
    for row in rows:
        plan = make_prediction([row], model=engines["plan"])
        pipeline = make_prediction([row], model=engines["pipeline"])

        # Then the prices are the same bits
        assert plan == pipeline


# --- property-based: rows hypothesis makes up ----------------------------------


def _labels(plan: Any, variable: str) -> st.SearchStrategy[Any]:
    seen = sorted(plan.tables[variable])
    strategies = [st.sampled_from(seen), st.just(f"Unseen{variable}")]
    if variable in plan.numeric_coded:
        numbers = [int(label) for label in seen if label.isdigit()]
        strategies += [
            st.sampled_from(numbers),
            st.sampled_from(numbers).map(float),
            st.sampled_from(numbers).map(lambda n: f"{n}.0"),
            st.just(999),
        ]
    return st.one_of(*strategies)


def _numbers(variable: str) -> st.SearchStrategy[Any]:
    """Numbers as ints, floats or strings, ordinary and extreme, all valid."""
    ordinary: st.SearchStrategy[Any]
    if variable in {"YearRemodAdd", "YrSold"}:
        ordinary = st.integers(1800, 2100)
    elif variable in {"OverallQual", "OverallCond"}:
        ordinary = st.integers(1, 10)
    elif DOMAINS[variable].kind == "int":
        # up to the top of the domain (processing/schema.py)
        top = int(DOMAINS[variable].le or 5)
        ordinary = st.one_of(st.integers(0, 5), st.sampled_from([top]))
    else:
        domain = DOMAINS[variable]
        low, top = domain.ge or 1e-3, domain.le or 5000
        ordinary = st.one_of(
            st.floats(low, min(top, 5000)), st.sampled_from([low, top])
        )
    return st.one_of(ordinary, ordinary.map(float), ordinary.map(str))


# values the schema refuses (for some fields): each makes its row an error
REFUSED = st.sampled_from([-1, 0, "abc", math.inf, 10.5, 11, 3000])


@st.composite
def houses(draw: st.DrawFn, plan: Any) -> list[dict[str, Any]]:
    """One to four houses: every input present, missing (absent, None, NaN) or odd.

    About half the houses hold one value the schema may refuse, so errors and their
    row positions are compared too.
    """
    variables = load_config().model.input_variables
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row: dict[str, Any] = {}
        for variable in variables:
            kind = draw(st.sampled_from(["value", "value", "value", "absent", "none"]))
            if kind == "absent":
                continue
            if kind == "none":
                row[variable] = draw(st.sampled_from([None, math.nan]))
            elif variable in plan.tables:
                row[variable] = draw(_labels(plan, variable))
            else:
                row[variable] = draw(_numbers(variable))
        if draw(st.booleans()):
            row[draw(st.sampled_from(variables))] = draw(REFUSED)
        rows.append(row)
    return rows


def test_plan_prices_generated_houses_like_the_pipeline(engines):
    plan_model, pipeline_model = engines["plan"], engines["pipeline"]
    # over every example: the finite prices compared and their largest differences
    largest = {"rows": 0, "abs": 0.0, "rel": 0.0}
    counts = {"priced": 0, "finite": 0, "errors": 0}

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(rows=houses(plan_model))
    def check(rows: list[dict[str, Any]]) -> None:
        # Given made-up houses: missing cells, unseen labels, numbers as strings,
        # extreme and invalid values
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # When both engines price them, as records and as a DataFrame
            pipeline = make_prediction(rows, model=pipeline_model)
            as_records = make_prediction(rows, model=plan_model)
            frame = pd.DataFrame(rows)
            pipeline_frame = make_prediction(frame, model=pipeline_model)
            as_frame = make_prediction(frame, model=plan_model)
        # Then the answers agree: prices to 1e-12, errors and warnings exactly
        compared = [
            assert_same_answer(as_records, pipeline),
            assert_same_answer(as_frame, pipeline_frame),
        ]
        largest["rows"] += compared[0][0]
        largest["abs"] = max(largest["abs"], *(c[1] for c in compared))
        largest["rel"] = max(largest["rel"], *(c[2] for c in compared))
        # and a DataFrame's rows get the prices their dicts get
        np.testing.assert_array_equal(prices(as_frame), prices(as_records))
        counts["priced"] += sum(p is not None for p in pipeline["predictions"])
        counts["finite"] += int(np.isfinite(prices(pipeline)).sum())
        counts["errors"] += len(pipeline["errors"])

    check()
    # the examples priced houses (some overflowing to inf) and reported errors
    assert counts["priced"] > 50 and counts["finite"] > 20, counts
    assert counts["errors"] > 10, counts
    rows, max_abs, max_rel = int(largest["rows"]), largest["abs"], largest["rel"]
    COMPARISONS.append(
        ("generated", stages.Comparison("plan", "pipeline", rows, max_abs, max_rel))
    )
