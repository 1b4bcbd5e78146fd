"""Compiling the fitted pipeline into a scoring plan: every learned parameter read from
the fitted steps, unknown steps refused, ``MatchVariables`` opening the plan."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from regression_model.config import load_config
from regression_model.pipeline import build_pipeline
from regression_model.serving.compile import PlanCompileError, compile_plan
from regression_model.serving.plan import PLAN_VERSION


def test_plan_inputs_are_the_columns_the_first_step_learned(model):
    # Given the fitted model, whose first step is feature-engine's MatchVariables
    select_inputs = model.regressor_["select_inputs"]

    # When it is compiled
    plan = compile_plan(model)

    # Then the plan opens with a "select" of those columns, which are its inputs
    first = plan["steps"][0]
    assert first == {
        "name": "select_inputs",
        "op": "select",
        "variables": select_inputs.feature_names_in_,
    }
    assert plan["inputs"] == load_config().model.input_variables


def test_plan_closes_its_selection_with_the_features(model):
    # Given the fitted model, whose last selection is the package's FeatureSelector
    # When it is compiled
    plan = compile_plan(model)

    # Then that selection is a "select" of the configuration's features
    last = next(step for step in plan["steps"] if step["name"] == "select_features")
    assert last["op"] == "select"
    assert last["variables"] == load_config().model.features


@pytest.mark.parametrize(
    "setting",
    [{"fill_value": 0}, {"missing_values": "raise"}, {"match_dtypes": True}],
    ids=["filled with 0", "missing values raise", "dtypes matched"],
)
def test_compile_refuses_a_match_of_columns_the_plan_cannot_repeat(model, setting):
    # Given the fitted model whose first step is set otherwise
    other = copy.deepcopy(model)
    other.regressor_["select_inputs"].set_params(**setting)

    # When compiled, Then it is refused: the plan reads an absent column as missing
    with pytest.raises(PlanCompileError, match="only MatchVariables"):
        compile_plan(other)


def test_compile_accepts_any_nan_as_the_fill_value(model):
    # Given the fitted model whose first step fills with a NaN other than np.nan
    other = copy.deepcopy(model)
    other.regressor_["select_inputs"].set_params(fill_value=float("nan"))

    # When / Then it compiles to the same plan
    assert compile_plan(other) == compile_plan(model)


def test_plan_reads_every_learned_parameter_from_the_fitted_steps(model, plan):
    # Given the fitted pipeline's steps
    steps = dict(model.regressor_.steps)
    by_name = {step["name"]: step for step in plan["steps"]}

    # Then the plan holds their learned attributes, exactly, in pipeline order
    assert [step["name"] for step in plan["steps"]] == list(steps)
    assert by_name["lasso"]["coef"] == list(steps["lasso"].coef_)
    assert by_name["lasso"]["intercept"] == steps["lasso"].intercept_
    assert by_name["scaler"]["min"] == list(steps["scaler"].min_)
    assert by_name["scaler"]["scale"] == list(steps["scaler"].scale_)
    assert (
        by_name["mean_imputation"]["values"] == steps["mean_imputation"].imputer_dict_
    )
    assert (
        by_name["frequent_imputation"]["values"]
        == steps["frequent_imputation"].imputer_dict_
    )
    assert (
        by_name["unseen_labels_to_missing"]["seen_labels"]
        == steps["unseen_labels_to_missing"].seen_labels_
    )
    assert (
        by_name["ordinal_encoding"]["codes"] == steps["ordinal_encoding"].encoder_dict_
    )
    assert (
        by_name["rare_labels"]["frequent_labels"] == steps["rare_labels"].encoder_dict_
    )
    assert plan["inputs"] == list(steps["select_inputs"].feature_names_in_)
    assert plan["plan_version"] == PLAN_VERSION
    assert plan["target_inverse"] == "exp"


def test_compile_refuses_an_unknown_step(model):
    # Given the fitted model with one more (fitted) step the compiler does not know
    other = copy.deepcopy(model)
    extra = FunctionTransformer().fit(np.zeros((2, 36)))
    other.regressor_.steps.insert(-1, ("mystery", extra))

    # When compiled, Then it is an error naming the step, never a silent skip
    with pytest.raises(PlanCompileError, match="mystery.*FunctionTransformer"):
        compile_plan(other)


def test_compile_refuses_a_known_name_with_another_class(model):
    # Given the scaler swapped for another scaler under the same step name
    other = copy.deepcopy(model)
    other.regressor_.steps[-2] = ("scaler", StandardScaler().fit(np.zeros((2, 36))))

    # When compiled, Then the compiler refuses it
    with pytest.raises(PlanCompileError, match="scaler.*StandardScaler"):
        compile_plan(other)


def test_compile_refuses_a_known_class_under_an_unknown_step_name(model):
    # Given the log step renamed: the same class, a step the compiler never saw
    other = copy.deepcopy(model)
    steps = other.regressor_.steps
    index = [name for name, _ in steps].index("log")
    steps[index] = ("sqrt", steps[index][1])

    # When compiled, Then it is refused, naming the step
    with pytest.raises(PlanCompileError, match="'sqrt'.*LogTransformer"):
        compile_plan(other)


def test_compile_refuses_an_unfitted_model():
    # Given a model that was never fitted
    unfitted = build_pipeline(load_config().model)

    # When compiled, Then scikit-learn's NotFittedError says so
    with pytest.raises(NotFittedError):
        compile_plan(unfitted)
