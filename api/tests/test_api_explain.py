"""``POST /api/v1/explain``: each price, its terms in log-price space and its range."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.predict import make_prediction

EXPLAIN = "/api/v1/explain"
PREDICT = "/api/v1/predict"
BATCH_ROWS = 1000  # the default maximum of one request


@pytest.fixture(scope="module")
def test_csv_answers(
    client: TestClient, kaggle_test_rows: list[dict[str, object]]
) -> list[dict[str, Any]]:
    """/explain's answers for the 1459 rows of test.csv, in batches it accepts."""
    answers = [
        client.post(EXPLAIN, json={"inputs": kaggle_test_rows[i : i + BATCH_ROWS]})
        for i in range(0, len(kaggle_test_rows), BATCH_ROWS)
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    return [answer.json() for answer in answers]


def relative_differences(answers: list[dict[str, Any]]) -> np.ndarray:
    """|exp(intercept + sum(contributions)) - price| / price, row by row."""
    differences = []
    for body in answers:
        for price, explanation in zip(
            body["predictions"], body["explanations"], strict=True
        ):
            terms = [c["contribution"] for c in explanation["contributions"]]
            total = math.exp(explanation["intercept"] + math.fsum(terms))
            differences.append(abs(total - price) / price)
    return np.array(differences)


def test_contributions_add_up_to_the_price_on_the_kaggle_test_set(
    test_csv_answers: list[dict[str, Any]], model: Any
) -> None:
    # Given /explain's answers for every row of test.csv
    # When each row's intercept and contributions are added up and exponentiated
    differences = relative_differences(test_csv_answers)

    # Then they give the row's price within 1e-9 relative, with a term per feature
    assert len(differences) == 1459
    assert differences.max() < 1e-9
    first = test_csv_answers[0]["explanations"][0]
    assert [c["feature"] for c in first["contributions"]] == model.features


def test_prices_are_those_of_predict(
    client: TestClient,
    test_csv_answers: list[dict[str, Any]],
    kaggle_test_rows: list[dict[str, object]],
) -> None:
    # Given the first 1000 rows of test.csv
    rows = kaggle_test_rows[:BATCH_ROWS]

    # When /predict prices them
    predicted = client.post(PREDICT, json={"inputs": rows}).json()

    # Then /explain gave the same prices, errors and version
    explained = test_csv_answers[0]
    assert explained["predictions"] == predicted["predictions"]
    assert explained["errors"] == predicted["errors"] == []
    assert explained["version"] == predicted["version"]


def test_range_contains_the_price_and_scales_it_by_the_holdout_quantiles(
    test_csv_answers: list[dict[str, Any]], trained_model: Path
) -> None:
    # Given the residual quantiles the training stored in the model's metadata
    metadata_file = next(trained_model.glob("*.skops")).with_suffix(".json")
    stored = json.loads(metadata_file.read_text())["price_range"]
    low_q, high_q = stored["log_residuals"]

    # When the ranges of the test.csv rows are read
    for body in test_csv_answers:
        assert body["range_quantiles"] == [0.1, 0.9]
        for price, explanation in zip(
            body["predictions"], body["explanations"], strict=True
        ):
            span = explanation["price_range"]

            # Then each holds its price, at price * exp(q10) and price * exp(q90)
            assert span["low"] < price < span["high"]
            assert span["low"] == pytest.approx(price * math.exp(low_q), rel=1e-12)
            assert span["high"] == pytest.approx(price * math.exp(high_q), rel=1e-12)


def test_row_without_a_price_has_predicts_error_and_no_explanation(
    client: TestClient, model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a package whose first price of two falls outside the price bounds
    from app.services import pricing

    def refuse_first_price(input_data: list[Any], **options: Any) -> dict[str, Any]:
        result = make_prediction(input_data, **options)
        error = {"row": 0, "column": "SalePrice", "message": "outside the bounds"}
        result["predictions"][0] = None
        if "explanations" in result:
            result["explanations"][0] = None
        return {**result, "errors": [error]}

    monkeypatch.setattr(pricing, "make_prediction", refuse_first_price)
    inputs = [{"GrLivArea": 900}, {"GrLivArea": 1500}]

    # When the rows are sent to both routes
    explained = client.post(EXPLAIN, json={"inputs": inputs})
    predicted = client.post(PREDICT, json={"inputs": inputs})

    # Then /explain reports /predict's error and explains only the priced row
    body = explained.json()
    assert explained.status_code == predicted.status_code == 200
    assert body["errors"] == predicted.json()["errors"]
    assert body["predictions"] == predicted.json()["predictions"]
    assert body["predictions"][0] is None
    assert body["explanations"][0] is None
    assert body["explanations"][1]["price_range"]["low"] < body["predictions"][1]


def test_value_out_of_range_gets_the_same_422_as_predict(client: TestClient) -> None:
    # Given a batch with an impossible overall quality in its second row
    inputs = [{"OverallQual": 5}, {"OverallQual": 11}]

    # When it is sent to both routes
    explained = client.post(EXPLAIN, json={"inputs": inputs})
    predicted = client.post(PREDICT, json={"inputs": inputs})

    # Then both answer 422 with the same detail, naming row and column
    assert explained.status_code == predicted.status_code == 422
    assert explained.json() == predicted.json()


def test_unseen_label_and_missing_inputs_are_reported(client: TestClient) -> None:
    # Given a kitchen quality training never had, and only two other fields
    row = {"KitchenQual": "Po", "GrLivArea": 1500, "OverallQual": 6}

    # When it is explained
    body = client.post(EXPLAIN, json={"inputs": [row]}).json()

    # Then the label is reported as unseen, and every other input as imputed
    explanation = body["explanations"][0]
    assert explanation["unseen"] == ["KitchenQual=Po"]
    assert "GrLivArea" not in explanation["imputed"]
    assert {"KitchenQual", "OverallQual"}.isdisjoint(explanation["imputed"])
    assert "Neighborhood" in explanation["imputed"]


def test_batch_over_the_maximum_gets_413(trained_model: Path) -> None:
    # Given a service that accepts at most 3 rows per request
    app = create_app(Settings(max_batch_rows=3, trained_dir=trained_model))

    # When a batch of 4 rows is asked to be explained
    with TestClient(app) as client:
        response = client.post(EXPLAIN, json={"inputs": [{}] * 4})

    # Then the answer is 413, as /predict's
    assert response.status_code == 413
