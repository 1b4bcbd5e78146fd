"""The model is loaded once, by the lifespan: not at import, not per request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import app.main
import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient


def test_model_is_loaded_when_the_app_starts_not_when_it_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a loader that records its calls
    calls: list[str] = []
    monkeypatch.setattr(
        app.main, "load_model", lambda folder, **options: calls.append("load")
    )

    # When the app is built, then started
    service = create_app()
    calls_when_built = list(calls)
    with TestClient(service):
        calls_when_started = list(calls)

    # Then building loads nothing, and starting loads the model once
    assert calls_when_built == []
    assert calls_when_started == ["load"]


def test_app_does_not_start_without_a_trained_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given a trained folder with no model in it
    app = create_app(Settings(trained_dir=tmp_path))

    # When the app starts, Then it stops at once, saying how to train
    with pytest.raises(FileNotFoundError, match="train"), TestClient(app):
        pass


def test_each_app_serves_the_model_of_its_own_folder(
    trained_model: Path, tmp_path: Path
) -> None:
    # Given two apps: one serving the session's model, one a folder without a model
    served = create_app(Settings(trained_dir=trained_model))
    empty = create_app(Settings(trained_dir=tmp_path))

    # When the first starts
    with TestClient(served) as client:
        answer = client.post("/api/v1/predict", json={"inputs": [{"GrLivArea": 1500}]})

    # Then it prices from its own model, and the other app holds no model at all
    assert answer.status_code == 200
    assert answer.json()["predictions"][0] > 0
    assert not hasattr(empty.state, "model")


def test_app_serves_the_scoring_plan_without_importing_skops(
    trained_model: Path,
) -> None:
    # Given a fresh interpreter that starts the app on the session's model
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from fastapi.testclient import TestClient\n"
        "from app.core.config import Settings\n"
        "from app.main import create_app\n"
        "from regression_model.serving.plan import ScoringPlan\n"
        f"app = create_app(Settings(trained_dir=Path({str(trained_model)!r})))\n"
        "with TestClient(app) as client:\n"
        "    answer = client.post('/api/v1/predict', json={'inputs': [{}]})\n"
        "    assert answer.status_code == 200, answer.text\n"
        "    assert isinstance(app.state.model, ScoringPlan)\n"
        "assert 'skops' not in sys.modules, 'skops imported'\n"
    )

    # When it serves a request
    completed = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(app.main.__file__).parents[1],
    )

    # Then it served the plan, and skops was never imported
    assert completed.returncode == 0, completed.stderr


def test_an_empty_model_pin_means_no_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an image built without a pin: the variable is set, but empty
    monkeypatch.setenv("HOUSE_PRICES_API_EXPECTED_MODEL_SHA256", "")
    # When the settings are read
    settings = Settings()
    # Then no pin is enforced (any intact model is served)
    assert settings.expected_model_sha256 is None
