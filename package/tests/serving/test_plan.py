"""The scoring plan: compiled from the fitted pipeline, saved, checked, scored."""

from __future__ import annotations

import json
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import (
    ModelIntegrityError,
    file_sha256,
    pipeline_path,
    plan_path,
)
from regression_model.processing.validation import validate
from regression_model.serving.compile import (
    plan_to_json,
)
from regression_model.serving.plan import (
    PLAN_VERSION,
    PlanFormatError,
    ScoringPlan,
    load_plan,
)


@pytest.fixture(scope="module")
def columns(plan, test_data) -> dict:
    """test.csv's validated input columns, as make_prediction hands them on."""
    return validate(test_data, plan["inputs"]).columns


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


def test_one_house_is_a_batch_of_one(plan, columns):
    # Given the validated rows of test.csv
    scorer = ScoringPlan(plan)
    n_rows = len(columns["GrLivArea"])

    # When each row is scored alone and all are scored together
    one_by_one = np.array(
        [
            scorer.score_columns({k: v[i : i + 1] for k, v in columns.items()}, 1)[0]
            for i in range(n_rows)
        ]
    )
    together = scorer.score_columns(columns, n_rows)

    # Then the prices agree (the dot product's summation order may differ in the
    # last bit between a 1-row and a 1459-row matrix, as in the pipeline itself)
    np.testing.assert_allclose(one_by_one, together, rtol=1e-13, atol=0)


def test_score_columns_is_features_then_scaler_then_price(plan, columns):
    # Given the plan and test.csv's columns
    scorer = ScoringPlan(plan)
    n_rows = len(columns["GrLivArea"])

    # When the three parts run one after the other (on a copy in the same memory
    # order: a C-ordered matrix would sum the dot product in another order)
    features = scorer.feature_matrix(columns, n_rows)
    prices = scorer.price(scorer.scale(features.copy(order="F")))

    # Then they are score_columns, bit for bit, and the features are unscaled
    np.testing.assert_array_equal(prices, scorer.score_columns(columns, n_rows))
    assert features.shape == (n_rows, len(scorer.features))
    assert features[:, scorer.features.index("GrLivArea")].max() > 1.0


def test_absent_variable_is_missing_for_every_house(plan):
    # Given one house without any input, and the same house with all of them None
    scorer = ScoringPlan(plan)
    empty = {variable: [None] for variable in scorer.categorical}
    empty |= {variable: np.array([np.nan]) for variable in scorer.numerical}

    # When / Then both are priced alike
    assert scorer.score_columns({}, 1) == scorer.score_columns(empty, 1)


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
    for given_as in (rows, pd.DataFrame(rows)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = make_prediction(given_as, model=pipeline)
            answer = make_prediction(given_as, model=scorer)

        # Then the plan's answer is the pipeline's: prices, errors, warnings
        assert reference["predictions"][1:3] == [None, None]
        assert [e["row"] for e in reference["errors"]] == [1, 1, 2, 2]
        assert answer == reference


def test_engine_must_match_the_model_given(model):
    # Given the pipeline, When asked to score it as a plan, Then it is an error
    with pytest.raises(ValueError, match="engine"):
        make_prediction([{"GrLivArea": 1500}], model=model, engine="plan")
    with pytest.raises(ValueError, match="engine"):
        load_model(engine="onnx")  # type: ignore[arg-type]
