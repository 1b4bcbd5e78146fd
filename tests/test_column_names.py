"""The package and the API accept exactly the same column names: one case table.

Each case is a row as a client writes it and the row it stands for in Kaggle's
names. The package (``make_prediction``) and the API (``POST /api/v1/predict``)
must price both alike and say the same about the names, so this compares two stages
and lives here, not beside either.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.predict import load_model, make_prediction

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

HOUSE = {"OverallQual": 7, "GrLivArea": 1800, "Neighborhood": "CollgCr"}

# (case, row as sent, row as read, a warning mentions)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str | None]] = [
    ("kaggle names", {**HOUSE, "1stFlrSF": 900}, {**HOUSE, "1stFlrSF": 900}, None),
    (
        "alias FirstFlrSF",
        {**HOUSE, "FirstFlrSF": 900},
        {**HOUSE, "1stFlrSF": 900},
        None,
    ),
    (
        "alias SecondFlrSF",
        {**HOUSE, "SecondFlrSF": 700},
        {**HOUSE, "2ndFlrSF": 700},
        None,
    ),
    (
        "alias ThreeSsnPorch",
        {**HOUSE, "ThreeSsnPorch": 50},
        {**HOUSE, "3SsnPorch": 50},
        None,
    ),
    (
        "name and alias: the first wins, said",
        {**HOUSE, "1stFlrSF": 900, "FirstFlrSF": 1200},
        {**HOUSE, "1stFlrSF": 900},
        "names the same column as '1stFlrSF'",
    ),
    (
        "lower-cased key: ignored, with a did-you-mean",
        {"overallqual": 7, "GrLivArea": 1800},
        {"GrLivArea": 1800},
        "did you mean 'OverallQual'?",
    ),
    (
        "misspelt key: ignored, with a did-you-mean",
        {"OverallQual": 7, "GrLivArae": 1800},
        {"OverallQual": 7},
        "did you mean 'GrLivArea'?",
    ),
    ("unknown key: ignored, said", {**HOUSE, "Colour": "red"}, HOUSE, "'Colour'"),
    (
        "unseen label: missing, said",
        {**HOUSE, "Neighborhood": "Atlantis"},
        {"OverallQual": 7, "GrLivArea": 1800},
        "['Atlantis']",
    ),
]
IDS = [case[0] for case in CASES]


def _package(row: dict[str, Any], model: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_prediction([row], model=model)


@pytest.fixture(scope="module")
def model(package_trained_dir: Path) -> Any:
    return load_model(package_trained_dir)


@pytest.fixture(scope="module")
def client(package_trained_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(trained_dir=package_trained_dir))) as client:
        yield client


@pytest.mark.parametrize(("case", "sent", "read", "warning"), CASES, ids=IDS)
def test_package_reads_each_name_as_the_table_says(
    model: Any,
    case: str,
    sent: dict[str, Any],
    read: dict[str, Any],
    warning: str | None,
) -> None:
    # Given a row as a client writes it (sent) and the row it stands for (read)
    # When the package prices both
    result, expected = _package(sent, model), _package(read, model)
    # Then the prices are the same, and the unusual name is said in a warning
    assert result["predictions"] == expected["predictions"]
    assert result["errors"] == []
    if warning is not None:
        assert any(warning in message for message in result["warnings"])


@pytest.mark.parametrize(("case", "sent", "read", "warning"), CASES, ids=IDS)
def test_api_reads_each_name_as_the_package_does(
    client: TestClient,
    model: Any,
    case: str,
    sent: dict[str, Any],
    read: dict[str, Any],
    warning: str | None,
) -> None:
    # Given the same row
    # When the API prices it
    response = client.post("/api/v1/predict", json={"inputs": [sent]})
    # Then its answer is the package's: the same price and the same warnings
    assert response.status_code == 200
    package = _package(sent, model)
    assert response.json()["predictions"] == package["predictions"]
    assert response.json()["warnings"] == package["warnings"]
