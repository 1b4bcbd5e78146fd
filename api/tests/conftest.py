"""Fixtures for the API's tests: a trained model, a running app, the Kaggle rows.

The model is the package's, trained once per session into a temporary folder by the
root ``conftest.py``; every app here is created with ``Settings(trained_dir=...)``
pointing at it, so no test depends on the package's own ``trained_models/``.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.predict import load_model

ROOT = Path(__file__).resolve().parents[2]
TEST_CSV = ROOT / "data" / "test.csv"
WORDS_JS = ROOT / "api" / "app" / "static" / "words.js"


@pytest.fixture(scope="session")
def trained_model(package_trained_dir: Path) -> Path:
    """The folder of the package's model that the apps serve."""
    return package_trained_dir


@pytest.fixture(scope="session")
def api_settings(trained_model: Path) -> Settings:
    """Default settings, serving the session's model."""
    return Settings(trained_dir=trained_model)


@pytest.fixture(scope="session")
def model(trained_model: Path) -> Any:
    """The same model, loaded in the test process (to compare with the API)."""
    return load_model(trained_model)


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    """A client of the app with its lifespan run, so the model is loaded."""
    with TestClient(create_app(api_settings)) as test_client:
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


@pytest.fixture(scope="session")
def feature_words() -> dict[str, str]:
    """The form's words for each model input (``FEATURE_WORDS`` in words.js)."""
    text = WORDS_JS.read_text(encoding="utf-8")
    table = text[text.index("FEATURE_WORDS = {") : text.index("};")]
    return dict(re.findall(r'^\s*"?([^":\s]+)"?: "([^"]+)",$', table, re.MULTILINE))
