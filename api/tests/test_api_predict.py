"""``POST /api/v1/predict`` prices rows exactly as ``make_prediction`` does."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from app.schemas.examples import TEST_CSV_FIRST_ROW
from fastapi.testclient import TestClient
from regression_model.predict import make_prediction

PREDICT = "/api/v1/predict"
BATCH_ROWS = 1000  # the default maximum of one request


def package_prediction(rows: list[dict[str, object]], model: Any) -> dict[str, object]:
    """``make_prediction`` on rows that may lack columns (imputed)."""
    return make_prediction(rows, model=model)


def test_predictions_equal_make_prediction_on_the_kaggle_test_set(
    client: TestClient,
    model: Any,
    kaggle_test_frame: pd.DataFrame,
    kaggle_test_rows: list[dict[str, object]],
) -> None:
    # Given the 1459 rows of test.csv, priced by the package from the CSV
    expected = make_prediction(kaggle_test_frame, model=model)

    # When the same rows are sent as JSON, in batches the API accepts
    answers = [
        client.post(PREDICT, json={"inputs": kaggle_test_rows[i : i + BATCH_ROWS]})
        for i in range(0, len(kaggle_test_rows), BATCH_ROWS)
    ]

    # Then every row gets the package's price, within 1e-9 relative
    assert [answer.status_code for answer in answers] == [200, 200]
    predictions = [p for answer in answers for p in answer.json()["predictions"]]
    assert len(predictions) == len(kaggle_test_frame)
    np.testing.assert_allclose(predictions, expected["predictions"], rtol=1e-9, atol=0)
    assert all(answer.json()["errors"] == [] for answer in answers)
    assert {answer.json()["version"] for answer in answers} == {expected["version"]}


def test_row_with_a_few_fields_is_priced_like_make_prediction(
    client: TestClient,
    model: Any,
) -> None:
    # Given a row with only some fields (the rest is imputed)
    row = {"OverallQual": 7, "GrLivArea": 1800, "Neighborhood": "CollgCr"}

    # When it is sent
    response = client.post(PREDICT, json={"inputs": [row]})

    # Then its price is the package's
    assert response.status_code == 200
    [price] = response.json()["predictions"]
    [expected] = package_prediction([row], model)["predictions"]
    assert price == pytest.approx(expected, rel=1e-9, abs=0)


def test_predictions_follow_the_order_of_the_inputs(client: TestClient) -> None:
    # Given two different houses
    small = {"OverallQual": 4, "GrLivArea": 900}
    large = {"OverallQual": 9, "GrLivArea": 2600}

    # When they are sent in both orders
    forward = client.post(PREDICT, json={"inputs": [small, large]}).json()
    backward = client.post(PREDICT, json={"inputs": [large, small]}).json()

    # Then the prices come back in the order of the rows
    assert forward["predictions"] == backward["predictions"][::-1]
    assert forward["predictions"][0] < forward["predictions"][1]


@pytest.mark.parametrize("code", [60, 60.0, "60"])
def test_numeric_coded_category_may_be_a_number_or_a_string(
    client: TestClient, model: Any, code: object
) -> None:
    # Given MSSubClass 60 written as an int, a float or a string
    row = {"MSSubClass": code, "GrLivArea": 1700}

    # When it is sent
    response = client.post(PREDICT, json={"inputs": [row]})

    # Then it is the category "60", priced as the package prices it
    [price] = response.json()["predictions"]
    [expected] = package_prediction([{"MSSubClass": "60", "GrLivArea": 1700}], model)[
        "predictions"
    ]
    assert price == pytest.approx(expected, rel=1e-9, abs=0)


def test_openapi_example_body_is_priced(client: TestClient, model: Any) -> None:
    # Given the example body the OpenAPI page shows for /predict
    schema = client.get("/openapi.json").json()
    body_schema = schema["components"]["schemas"]["PredictionRequest"]
    [example] = body_schema["examples"]

    # When it is sent
    response = client.post(PREDICT, json=example)

    # Then the row (test.csv's first) gets the package's price for it
    assert response.status_code == 200
    [price] = response.json()["predictions"]
    [expected] = make_prediction([TEST_CSV_FIRST_ROW], model=model)["predictions"]
    assert price == pytest.approx(expected, rel=1e-9, abs=0)


def test_absurd_count_is_refused_by_the_domain_not_priced(
    client: TestClient,
) -> None:
    # Given a row with a million fireplaces (once priced as infinity), and an
    # ordinary row
    inputs = [{"Fireplaces": 10**6}, {"GrLivArea": 1500}]

    # When they are sent
    response = client.post(PREDICT, json={"inputs": inputs})

    # Then the request is refused, naming the row, the column and the bound
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "inputs", 0, "Fireplaces"]
    assert problem["ctx"] == {"le": 9}


def test_errors_listed_are_capped_and_the_rest_counted(client: TestClient) -> None:
    # Given 200 rows with 2 bad cells each (400 errors)
    inputs = [{"GrLivArea": "x", "OverallQual": 11}] * 200

    # When they are sent
    response = client.post(PREDICT, json={"inputs": inputs})

    # Then the first 100 are listed, then one entry counts the other 300
    detail = response.json()["detail"]
    assert response.status_code == 422
    assert len(detail) == 101
    assert detail[-1]["type"] == "too_many_errors"
    assert detail[-1]["msg"].startswith("300 more errors")


def test_ignored_key_comes_back_as_a_warning(client: TestClient) -> None:
    # Given a lower-cased key
    response = client.post(PREDICT, json={"inputs": [{"grlivarea": 1500}]})

    # Then the row is priced and the answer says the key was ignored
    assert response.status_code == 200
    assert any(
        "did you mean 'GrLivArea'?" in warning
        for warning in response.json()["warnings"]
    )
