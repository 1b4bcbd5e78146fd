"""The scoring plan: compiled from the fitted pipeline, saved, checked, scored."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from regression_model.config import load_config
from regression_model.pipeline import build_pipeline
from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import (
    ModelIntegrityError,
    file_sha256,
    pipeline_path,
    plan_path,
)
from regression_model.processing.validation import validate_inputs
from regression_model.serving.compile import (
    PlanCompileError,
    compile_plan,
    plan_to_json,
)
from regression_model.serving.plan import (
    PLAN_VERSION,
    PlanFormatError,
    ScoringPlan,
    load_plan,
)


@pytest.fixture(scope="module")
def plan(model) -> dict:
    """The plan compiled from the session's fitted pipeline."""
    return compile_plan(model)


@pytest.fixture(scope="module")
def validated(test_data):
    """test.csv as the pipeline's validation hands it on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame, _ = validate_inputs(test_data)
    return frame


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
    assert plan["inputs"] == steps["select_inputs"].variables_
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


def test_json_round_trip_keeps_every_value(plan):
    # Given the plan as JSON text
    text = plan_to_json(plan)

    # When read back
    again = json.loads(text)

    # Then every value is the same (floats to the bit), and writing is stable
    assert again == plan
    assert plan_to_json(again) == text
    assert ScoringPlan.from_json(text).plan == plan


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan_version": PLAN_VERSION + 1}, "version"),
        ({"format": "pickle"}, "format"),
        ({"target_inverse": "sqrt"}, "target_inverse"),
    ],
)
def test_plan_of_another_format_is_refused(plan, change, message):
    # Given a plan this version of the package cannot run
    other = {**plan, **change}

    # When loaded, Then it is refused
    with pytest.raises(PlanFormatError, match=message):
        ScoringPlan(other)


def test_plan_with_an_unknown_operation_is_refused(plan):
    # Given a plan holding an operation the scorer does not know
    other = {**plan, "steps": [*plan["steps"], {"name": "x", "op": "eval"}]}

    # When loaded, Then it is refused
    with pytest.raises(PlanFormatError, match="eval"):
        ScoringPlan(other)


def test_plan_saved_beside_the_pipeline_with_its_hash(trained):
    # Given the session's trained folder
    directory, _, metadata = trained
    path = plan_path(pipeline_path(directory))

    # Then the plan lies beside the skops file, its name and SHA-256 recorded
    assert path.is_file()
    assert metadata["plan_file"] == path.name
    assert metadata["plan_sha256"] == file_sha256(path)


def test_tampered_plan_is_refused(trained, tmp_path):
    # Given a copy of the trained folder whose plan has a changed coefficient
    directory, _, _ = trained
    copied = tmp_path / "trained"
    shutil.copytree(directory, copied)
    path = plan_path(pipeline_path(copied))
    plan = json.loads(path.read_text())
    plan["steps"][-1]["intercept"] += 1.0
    path.write_text(plan_to_json(plan))

    # When loaded, Then it is refused before it is read
    with pytest.raises(ModelIntegrityError, match="SHA-256"):
        load_plan(copied)


def test_folder_without_a_plan_asks_to_train_again(trained, tmp_path):
    # Given a trained folder from before plans existed
    directory, _, _ = trained
    copied = tmp_path / "trained"
    shutil.copytree(directory, copied)
    plan_path(pipeline_path(copied)).unlink()

    # When loaded, Then the error says how to get one
    with pytest.raises(FileNotFoundError, match="train again"):
        load_plan(copied)


def test_one_row_dict_path_equals_the_vectorised_path(plan, validated):
    # Given the validated rows of test.csv, as columns and as dicts
    scorer = ScoringPlan(plan)
    columns = {name: validated[name].to_numpy() for name in scorer.inputs}
    records = validated[scorer.inputs].to_dict("records")

    # When each row is scored alone (plain Python) and all together (numpy)
    one_by_one = np.array([scorer.score_record(record) for record in records])
    together = scorer.score_columns(columns, len(validated))

    # Then the prices agree (the dot product's summation order may differ in the
    # last bit between a 1-row and a 1459-row matrix, as in the pipeline itself)
    np.testing.assert_allclose(one_by_one, together, rtol=1e-13, atol=0)


@pytest.mark.filterwarnings("ignore:input has no column")
def test_one_row_path_reads_numbers_and_labels_like_the_pipeline(trained):
    # Given MSSubClass written three ways, and labels never seen in training
    directory, pipeline, _ = trained
    scorer = load_model(directory)
    rows = [
        [{"MSSubClass": 60, "GrLivArea": 1500}],
        [{"MSSubClass": 60.0, "GrLivArea": "1500"}],
        [{"MSSubClass": "60", "GrLivArea": 1500.0, "Neighborhood": "Atlantis"}],
    ]

    # When each house is priced by the plan and by the pipeline
    plan_prices = [make_prediction(r, model=scorer)["predictions"] for r in rows]
    pipeline_prices = [make_prediction(r, model=pipeline)["predictions"] for r in rows]

    # Then they are the same bits, and the three spellings are one house
    assert plan_prices == pipeline_prices
    assert plan_prices[0] == plan_prices[1] == plan_prices[2]


def test_engines_report_the_same_errors_and_row_positions(trained):
    # Given rows with bad cells between good ones
    directory, pipeline, _ = trained
    rows = [
        {"GrLivArea": 1500},
        {"OverallQual": 11, "GrLivArea": "abc"},
        {"LotArea": -1, "MSSubClass": 20.5},
        {"GrLivArea": 900, "Neighborhood": "NAmes"},
    ]
    scorer = load_model(directory)

    # When both engines price them, as records and as a DataFrame
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = make_prediction(rows, model=pipeline)
        answers = [
            make_prediction(rows, model=scorer),
            make_prediction(pd.DataFrame(rows), model=scorer),
        ]

    # Then every answer is the reference's: prices, errors, warnings
    assert reference["predictions"][1:3] == [None, None]
    for answer in answers:
        assert answer == reference


def test_engine_must_match_the_model_given(model):
    # Given the pipeline, When asked to score it as a plan, Then it is an error
    with pytest.raises(ValueError, match="engine"):
        make_prediction([{"GrLivArea": 1500}], model=model, engine="plan")
    with pytest.raises(ValueError, match="engine"):
        load_model(engine="onnx")  # type: ignore[arg-type]


def test_scoring_with_the_plan_never_imports_skops(trained):
    # Given a fresh interpreter
    directory, _, _ = trained
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from regression_model.predict import load_model, make_prediction\n"
        f"plan = load_model(Path({str(directory)!r}))\n"
        "result = make_prediction([{'GrLivArea': 1500}], model=plan)\n"
        "assert result['predictions'][0] > 0, result\n"
        "assert 'skops' not in sys.modules, 'skops imported'\n"
    )

    # When it loads the plan and prices a house
    completed = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True
    )

    # Then skops was never imported
    assert completed.returncode == 0, completed.stderr
