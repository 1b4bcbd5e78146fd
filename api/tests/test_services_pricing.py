"""``app.services.pricing.price``: one path from the rows sent to their prices."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from app.schemas.predict import HouseRow
from app.services import pricing
from app.services.pricing import RowsRejected, beyond_json, price
from fastapi.testclient import TestClient
from regression_model.predict import make_prediction
from regression_model.processing.schema import HouseInput

ROWS = [
    {"OverallQual": 7, "GrLivArea": 1800, "Neighborhood": "CollgCr"},
    {"OverallQual": 5, "GrLivArea": 1000, "MSSubClass": 20},
    {"OverallQual": 9, "GrLivArea": 2600},
]


class ValidationSpy:
    """Stands in for a model's compiled validator and counts what it validates."""

    def __init__(self, validator: Any, counts: dict[str, int]) -> None:
        self.validator = validator
        self.counts = counts

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.validator, name)
        if not name.startswith("validate_"):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.counts["rows"] += 1
            return attribute(*args, **kwargs)

        return counted


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many times the schema validated a row (HouseInput or the API's HouseRow)."""
    counts = {"rows": 0}
    for schema in (HouseInput, HouseRow):
        spy = ValidationSpy(schema.__pydantic_validator__, counts)
        monkeypatch.setattr(schema, "__pydantic_validator__", spy)
    yield counts


@pytest.mark.parametrize("route", ["/api/v1/predict", "/api/v1/explain"])
def test_each_row_is_validated_once_per_request(
    client: TestClient, validations: dict[str, int], route: str
) -> None:
    # Given three valid rows
    # When they are posted
    response = client.post(route, json={"inputs": ROWS})

    # Then each was priced, and validated by the schema exactly once
    assert response.status_code == 200
    assert all(found is not None for found in response.json()["predictions"])
    assert validations["rows"] == len(ROWS)


def test_prices_are_make_predictions(model: Any) -> None:
    # Given rows the package prices
    expected = make_prediction(ROWS, model=model)

    # When the service prices them
    result = price(ROWS, model)

    # Then the result is the package's, bit for bit
    assert result["predictions"] == expected["predictions"]
    assert result["warnings"] == expected["warnings"]


def test_explanations_add_up_to_each_price(model: Any) -> None:
    # Given rows the package prices
    # When the service explains them
    result = price(ROWS, model, explain=True)

    # Then exp(intercept + sum of contributions) is each price, within 1e-9
    for found, explanation in zip(
        result["predictions"], result["explanations"], strict=True
    ):
        terms = [term["contribution"] for term in explanation["contributions"]]
        total = math.exp(explanation["intercept"] + math.fsum(terms))
        assert total == pytest.approx(found, rel=1e-9, abs=0)


def test_refused_value_raises_rows_rejected_naming_row_and_column(
    model: Any,
) -> None:
    # Given a batch whose second row has an overall quality of 11
    rows = [{"OverallQual": 5}, {"OverallQual": 11, "GrLivArea": "big"}]

    # When the service prices it
    with pytest.raises(RowsRejected) as rejected:
        price(rows, model)

    # Then every bad cell of that row is named, as pydantic words it
    found = [(error["loc"], error["type"]) for error in rejected.value.errors]
    assert found == [
        ((1, "OverallQual"), "less_than_equal"),
        ((1, "GrLivArea"), "float_parsing"),
    ]


def test_nan_is_refused_not_read_as_a_missing_value(model: Any) -> None:
    # Given a living area of NaN (Python's JSON parser accepts the literal)
    rows = [{"GrLivArea": float("nan")}]

    # When the service prices it
    with pytest.raises(RowsRejected) as rejected:
        price(rows, model)

    # Then it is refused for that cell: a missing value is null
    [error] = rejected.value.errors
    assert error["loc"] == (0, "GrLivArea")


def test_price_outside_the_bounds_is_an_error_in_the_result_not_a_rejection(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a package whose first price falls outside the price bounds
    def out_of_bounds(rows: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        result = make_prediction(rows, **options)
        error = {"row": 0, "column": "SalePrice", "message": "outside the bounds"}
        result["predictions"][0] = None
        result["explanations"][0] = None
        return {**result, "errors": [error]}

    monkeypatch.setattr(pricing, "make_prediction", out_of_bounds)

    # When the service explains the rows
    result = price(ROWS, model, explain=True)

    # Then the result comes back with that error (a 200), the other rows priced
    assert result["errors"] == [
        {"row": 0, "column": "SalePrice", "message": "outside the bounds"}
    ]
    assert result["predictions"][0] is None
    assert all(found is not None for found in result["explanations"][1:])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), True),
        (float("inf"), True),
        (2**53 + 1, True),
        (-(2**53) - 1, True),
        (2**53, False),
        (1500.0, False),
        ("NaN", False),
        (None, False),
    ],
)
def test_beyond_json_finds_what_strict_json_or_float64_cannot_carry(
    value: object, expected: bool
) -> None:
    # Given a value a JSON body may hold once Python has parsed it
    # When it is checked
    # Then only non-finite floats and integers beyond 2**53 are beyond JSON
    assert beyond_json(value) is expected
