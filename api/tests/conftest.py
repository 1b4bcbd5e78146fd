"""Fixtures for the API's tests: a trained model, apps, the Kaggle rows, Chromium.

The model is the package's, trained once per session into a temporary folder by the
root ``conftest.py``; every app here is created with ``Settings(trained_dir=...)``
pointing at it, so no test depends on the package's own ``trained_models/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import uvicorn
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.predict import load_model

ROOT = Path(__file__).resolve().parents[2]
TEST_CSV = ROOT / "data" / "test.csv"
WORDS_JS = ROOT / "api" / "app" / "static" / "words.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 30


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


@pytest.fixture
def chromium() -> dict[str, Any]:
    """How Playwright launches Debian's ``chromium``: its path and flags.

    Skips without Chromium on a developer's machine, fails in CI (``$CI`` set).
    """
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: apt-get install chromium")
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    return {"executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_url(api_settings: Settings, free_port: int) -> Iterator[str]:
    """The service, served by uvicorn in a thread on 127.0.0.1."""
    config = uvicorn.Config(
        create_app(api_settings), host="127.0.0.1", port=free_port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{free_port}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def feature_words() -> dict[str, str]:
    """The form's words for each model input (``FEATURE_WORDS`` in words.js)."""
    text = WORDS_JS.read_text(encoding="utf-8")
    table = text[text.index("FEATURE_WORDS = {") : text.index("};")]
    return dict(re.findall(r'^\s*"?([^":\s]+)"?: "([^"]+)",$', table, re.MULTILINE))
