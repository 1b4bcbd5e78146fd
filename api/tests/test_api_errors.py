"""Bad requests to ``POST /api/v1/predict`` get a 4xx naming the problem, not 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient

PREDICT = "/api/v1/predict"
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("body", "headers", "expected_loc", "expected_type"),
    [
        pytest.param(b"", JSON, ["body"], "missing", id="empty body"),
        pytest.param(
            b'{"inputs": [', JSON, ["body", 12], "json_invalid", id="malformed JSON"
        ),
        pytest.param(b"{}", JSON, ["body", "inputs"], "missing", id="missing inputs"),
        pytest.param(
            b'{"inputs": {"GrLivArea": 1500}}',
            JSON,
            ["body", "inputs"],
            "list_type",
            id="inputs an object",
        ),
        pytest.param(
            b'{"inputs": 3}',
            JSON,
            ["body", "inputs"],
            "list_type",
            id="inputs a number",
        ),
        pytest.param(b"[]", JSON, ["body"], "model_attributes_type", id="body a list"),
        pytest.param(
            b'{"inputs": []}',
            {"content-type": "text/plain"},
            ["body"],
            "model_attributes_type",
            id="not JSON content type",
        ),
    ],
)
def test_malformed_request_gets_422_naming_the_field(
    client: TestClient,
    body: bytes,
    headers: dict[str, str],
    expected_loc: list,
    expected_type: str,
) -> None:
    # Given a request body that is not {"inputs": [...]}
    # When it is posted
    response = client.post(PREDICT, content=body, headers=headers)

    # Then the answer is 422, and its one error gives the place (loc) and the kind
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == expected_loc
    assert error["type"] == expected_type
    assert error["msg"]


@pytest.mark.parametrize(
    ("column", "value", "expected_type"),
    [
        ("GrLivArea", "large", "float_parsing"),
        ("1stFlrSF", [896], "float_type"),
        ("Neighborhood", 3, "string_type"),
        ("OverallQual", 6.5, "int_from_float"),
    ],
)
def test_value_of_wrong_type_gets_422_naming_row_and_column(
    client: TestClient, column: str, value: object, expected_type: str
) -> None:
    # Given a batch whose second row has a value of the wrong type
    inputs = [{"GrLivArea": 1500}, {column: value}]

    # When it is posted
    response = client.post(PREDICT, json={"inputs": inputs})

    # Then the answer is 422, naming the row (1) and the column by its Kaggle name
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "inputs", 1, column]
    assert error["type"] == expected_type


@pytest.mark.parametrize(
    ("column", "value", "expected_type"),
    [
        ("OverallQual", 11, "less_than_equal"),
        ("LotArea", 0, "greater_than_equal"),
        ("GarageCars", -1, "greater_than_equal"),
        ("YrSold", 1700, "greater_than_equal"),
    ],
)
def test_value_out_of_range_gets_422_naming_row_and_column(
    client: TestClient, column: str, value: object, expected_type: str
) -> None:
    # Given a batch whose first row has a value outside the schema's range
    inputs = [{column: value}, {"GrLivArea": 1500}]

    # When it is posted
    response = client.post(PREDICT, json={"inputs": inputs})

    # Then the answer is 422, naming the row (0) and the column
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "inputs", 0, column]
    assert error["type"] == expected_type


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_finite_number_gets_422(client: TestClient, literal: bytes) -> None:
    # Given a body with a JSON extension Python's parser accepts: NaN or Infinity
    body = b'{"inputs": [{"GrLivArea": ' + literal + b"}]}"

    # When it is posted
    response = client.post(PREDICT, content=body, headers=JSON)

    # Then the answer is 422 for that field: a missing value is null, not NaN
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "inputs", 0, "GrLivArea"]


def test_integer_too_large_for_a_float_gets_422(client: TestClient) -> None:
    # Given an integer JSON can carry but float64 cannot
    inputs = [{"GarageCars": 10**400}]

    # When it is posted
    response = client.post(PREDICT, json={"inputs": inputs})

    # Then the answer is 422 for that field (not a 500 from the conversion)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "inputs", 0, "GarageCars"]


def test_body_that_is_not_utf8_gets_400(client: TestClient) -> None:
    # Given bytes that are no text at all
    body = b"\xa03\xe9\xff."

    # When they are posted as JSON
    response = client.post(PREDICT, content=body, headers=JSON)

    # Then the answer is 400, with a sentence saying why
    assert response.status_code == 400
    assert "parsing the body" in response.json()["detail"]


def test_every_bad_value_of_a_batch_is_reported_at_once(client: TestClient) -> None:
    # Given two rows with three bad values between them
    inputs = [{"OverallQual": 0, "GrLivArea": "big"}, {"FullBath": -2}]

    # When they are posted
    response = client.post(PREDICT, json={"inputs": inputs})

    # Then the 422 lists all three, so one correction is enough
    assert response.status_code == 422
    locs = [error["loc"][2:] for error in response.json()["detail"]]
    assert locs == [[0, "OverallQual"], [0, "GrLivArea"], [1, "FullBath"]]


def test_empty_batch_gets_422(client: TestClient) -> None:
    # Given no rows at all
    # When {"inputs": []} is posted
    response = client.post(PREDICT, json={"inputs": []})

    # Then the answer is 422 for inputs
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "inputs"]
    assert error["type"] == "too_short"


def test_batch_over_the_maximum_gets_413(trained_model: Path) -> None:
    # Given a service that accepts at most 3 rows per request
    app = create_app(Settings(max_batch_rows=3, trained_dir=trained_model))

    # When a batch of 4 rows is posted
    with TestClient(app) as client:
        response = client.post(PREDICT, json={"inputs": [{}] * 4})

    # Then the answer is 413, saying how many rows were sent and how many may be
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert "4 rows" in detail
    assert "3 rows" in detail


def test_batch_of_invalid_rows_over_the_maximum_gets_413_too(
    trained_model: Path,
) -> None:
    # Given a service that accepts at most 3 rows per request
    app = create_app(Settings(max_batch_rows=3, trained_dir=trained_model))

    # When 4 invalid rows are posted
    with TestClient(app) as client:
        response = client.post(PREDICT, json={"inputs": [{"GrLivArea": "x"}] * 4})

    # Then the row limit is checked before the rows: 413, not a list of 422 errors
    assert response.status_code == 413


def test_batch_at_the_maximum_is_priced(trained_model: Path) -> None:
    # Given a service that accepts at most 3 rows per request
    app = create_app(Settings(max_batch_rows=3, trained_dir=trained_model))

    # When a batch of exactly 3 rows is posted
    with TestClient(app) as client:
        response = client.post(PREDICT, json={"inputs": [{"GrLivArea": 1500}] * 3})

    # Then every row is priced
    assert response.status_code == 200
    assert len(response.json()["predictions"]) == 3


def test_default_maximum_batch_is_1000_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given no setting in the environment
    monkeypatch.delenv("HOUSE_PRICES_API_MAX_BATCH_ROWS", raising=False)
    # When the settings are read
    settings = Settings()

    # Then a request may send at most 1000 rows
    assert settings.max_batch_rows == 1000


def test_maximum_batch_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an operator's setting in the environment
    monkeypatch.setenv("HOUSE_PRICES_API_MAX_BATCH_ROWS", "50")

    # When the settings are read
    settings = Settings()

    # Then it is used
    assert settings.max_batch_rows == 50


def test_openapi_states_the_row_limit_the_app_enforces(trained_model: Path) -> None:
    # Given a service created with a limit of 3 rows per request
    app = create_app(Settings(max_batch_rows=3, trained_dir=trained_model))

    # When its OpenAPI schema is read
    schema = app.openapi()

    # Then the request's inputs document that limit, not the default
    request = schema["components"]["schemas"]["PredictionRequest"]
    assert request["properties"]["inputs"]["maxItems"] == 3
