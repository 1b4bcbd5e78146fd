"""The model is loaded once, by the lifespan: not at import, not per request."""

from __future__ import annotations

from pathlib import Path

import app.main
import pytest
from app.main import create_app
from fastapi.testclient import TestClient


def test_model_is_loaded_when_the_app_starts_not_when_it_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a loader that records its calls
    calls: list[str] = []
    monkeypatch.setattr(app.main, "load_model", lambda: calls.append("load"))

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
    # Given a trained-models folder with no model in it
    monkeypatch.setenv("REGRESSION_MODEL_TRAINED_DIR", str(tmp_path))

    # When the app starts, Then it stops at once, saying how to train
    with pytest.raises(FileNotFoundError, match="train"), TestClient(create_app()):
        pass
