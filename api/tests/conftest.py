"""Fixtures for the API's tests: a trained model, a running app, the Kaggle rows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.predict import load_model

ROOT = Path(__file__).resolve().parents[2]
TEST_CSV = ROOT / "data" / "test.csv"


def ensure_trained_model() -> None:
    """Make sure the package has a trained model to serve.

    The package loads it from ``regression_model.config.trained_models_dir()``; when
    there is none yet (a fresh clone), it is trained the way the package documents.
    """
    try:
        load_model()
    except FileNotFoundError:
        subprocess.run(
            [sys.executable, "-m", "regression_model.train_pipeline"], check=True
        )
        load_model()


def pytest_configure(config: pytest.Config) -> None:
    # Before the test modules are collected: test_api_schemathesis.py reads the
    # OpenAPI schema at collection, which starts the app and so loads the model.
    if TEST_CSV.is_file():
        ensure_trained_model()


@pytest.fixture(scope="session")
def trained_model() -> None:
    """A trained model the app can load (see :func:`ensure_trained_model`)."""
    ensure_trained_model()


@pytest.fixture(scope="module")
def client(trained_model: None) -> Iterator[TestClient]:
    """A client of the app with its lifespan run, so the model is loaded."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def kaggle_test_frame() -> pd.DataFrame:
    """The Kaggle test.csv as pandas reads it (skips without it, except in CI)."""
    if not TEST_CSV.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the Kaggle files; missing: {TEST_CSV}")
        pytest.skip(f"run `make data` first; missing: {TEST_CSV}")
    return pd.read_csv(TEST_CSV)


@pytest.fixture(scope="session")
def kaggle_test_rows(kaggle_test_frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of test.csv as a JSON client sends them: a missing value is null."""
    frame = kaggle_test_frame.astype(object)
    return frame.where(frame.notna(), None).to_dict(orient="records")


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
