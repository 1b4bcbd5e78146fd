"""The domain of every input and output: bounds, booleans, the price's range.

A value outside a field's domain is an error naming its row, column, value and
bounds, and costs only its row, on both validation paths (dicts and DataFrame) and
both engines; every price that leaves the package is finite and inside config.yml's
range, or its row has an error. Property-based tests (hypothesis, bounded and
derandomised) check the last on random rows.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regression_model import predict
from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

GOOD = {
    "OverallQual": 7,
    "GrLivArea": 1800,
    "LotArea": 9000,
    "GarageCars": 2,
    "YearRemodAdd": 2000,
}


@pytest.fixture(scope="module")
def engines(trained: tuple[Any, Any, Any]) -> dict[str, Any]:
    trained_dir = trained[0]
    return {
        "plan": load_model(trained_dir),
        "pipeline": load_model(trained_dir, engine="pipeline"),
    }


@pytest.mark.parametrize(
    ("column", "value", "bounds"),
    [
        ("GrLivArea", 1e9, "must be >= 33.4 and <= 56420"),
        ("GarageCars", 1000, "must be >= 0 and <= 12"),
        ("LotArea", 1e-300, "must be >= 130 and <= 2152450"),
        ("YearRemodAdd", 1700, "must be >= 1800 and <= 2100"),
        ("OverallQual", 11, "must be >= 1 and <= 10"),
    ],
)
def test_value_out_of_the_domain_is_an_error_costing_only_its_row(
    engines: dict[str, Any], column: str, value: float, bounds: str
) -> None:
    # Given a good row and a row with one value out of the domain
    rows = [GOOD, {**GOOD, column: value}]
    for engine, model in engines.items():
        for given_as in (rows, pd.DataFrame(rows)):
            # When it is priced, as dicts or a DataFrame, by either engine
            result = make_prediction(given_as, model=model)
            # Then the bad row has one error naming column, value and bounds
            assert result["errors"] == [
                {
                    "row": 1,
                    "column": column,
                    "message": f"out of the domain: {bounds} (got {value!r})",
                }
            ], engine
            # and the good row is priced
            assert result["predictions"][0] is not None
            assert result["predictions"][1] is None


@pytest.mark.parametrize("column", ["GrLivArea", "GarageCars", "MSSubClass"])
def test_boolean_is_not_a_number(engines: dict[str, Any], column: str) -> None:
    # Given True where a number (or a numeric-coded label) belongs
    rows = [{**GOOD, column: True}]
    for model in engines.values():
        for given_as in (rows, pd.DataFrame(rows)):
            # When it is priced
            result = make_prediction(given_as, model=model)
            # Then the row is an error naming the column, not a price for 1 sq ft
            assert result["predictions"] == [None]
            assert [e["column"] for e in result["errors"]] == [column]
            assert "boolean" in result["errors"][0]["message"]


def test_price_outside_the_plausible_range_is_a_row_error(
    engines: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a range that no house reaches (the last line of defence, tested alone)
    config = load_config()
    narrow = config.model_copy(
        update={"model": config.model.model_copy(update={"max_price": 1000.0})}
    )
    monkeypatch.setattr(predict, "load_config", lambda: narrow)
    for model in engines.values():
        # When a good row is priced
        result = make_prediction([GOOD], model=model)
        # Then it gets no price but an error naming SalePrice and the range
        assert result["predictions"] == [None]
        assert result["errors"][0]["column"] == "SalePrice"
        assert (
            "outside the price bounds ($10,000 to $1,000)"
            in (result["errors"][0]["message"])
        )


def test_kaggle_test_set_is_all_priced_within_the_range(
    engines: dict[str, Any], test_data: pd.DataFrame
) -> None:
    # Given test.csv
    for model in engines.values():
        # When it is priced
        result = make_prediction(test_data, model=model)
        # Then every row is priced, inside the price bounds
        assert result["errors"] == []
        config = load_config().model
        assert all(
            config.min_price <= price <= config.max_price
            for price in result["predictions"]
        )


def test_duplicated_column_is_said_and_the_first_used(engines: dict[str, Any]) -> None:
    # Given a DataFrame with GrLivArea twice (1800, then 5000)
    frame = pd.DataFrame(
        [[7, 1800, 5000]], columns=["OverallQual", "GrLivArea", "GrLivArea"]
    )
    # When it is priced
    result = make_prediction(frame, model=engines["plan"])
    # Then the first is used, and a warning says so
    expected = make_prediction(
        [{"OverallQual": 7, "GrLivArea": 1800}], model=engines["plan"]
    )
    assert result["predictions"] == expected["predictions"]
    assert (
        "column 'GrLivArea' is given more than once: the first one is used"
        in (result["warnings"])
    )


def test_repeated_csv_header_is_said(engines: dict[str, Any], tmp_path: Any) -> None:
    # Given a CSV whose header names GrLivArea twice (pandas reads GrLivArea.1)
    path = tmp_path / "houses.csv"
    path.write_text("OverallQual,GrLivArea,GrLivArea\n7,1800,5000\n")
    # When it is priced
    result = make_prediction(pd.read_csv(path), model=engines["plan"])
    # Then a warning names the repeated column
    assert any("a repeated 'GrLivArea' column" in w for w in result["warnings"])


# Random rows: any of the model's numbers, from sensible to absurd, or a boolean.
NUMBER = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e5),
)
LABEL = st.one_of(
    st.none(), st.sampled_from(["CollgCr", "NoRidge", "Gd", "TA", "x", ""])
)


def _rows() -> st.SearchStrategy[list[dict[str, Any]]]:
    model = load_config().model
    numbers = dict.fromkeys(model.numerical_variables, NUMBER)
    labels = dict.fromkeys(model.categorical_variables, LABEL)
    row = st.fixed_dictionaries({}, optional={**numbers, **labels})
    return st.lists(row, min_size=1, max_size=5)


def _check(result: dict[str, Any], n_rows: int) -> None:
    config = load_config().model
    rows_with_errors = {error["row"] for error in result["errors"]}
    assert len(result["predictions"]) == n_rows
    for row, price in enumerate(result["predictions"]):
        if price is None:
            assert row in rows_with_errors
        else:
            assert math.isfinite(price)
            assert config.min_price <= price <= config.max_price


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(rows=_rows())
def test_every_price_is_finite_and_plausible_or_its_row_an_error(
    engines: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    # Given random rows (absurd values, booleans, NaN, infinities included)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for model in engines.values():
            # When they are priced as dicts and as a DataFrame, by either engine
            for given_as in (rows, pd.DataFrame(rows)):
                result = make_prediction(given_as, model=model)  # never raises
                # Then each price is finite and in range, or its row has an error
                _check(result, len(rows))
