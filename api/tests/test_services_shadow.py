"""``app.services.shadow``: a candidate priced off the path, never returned."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app.core.config import PREDICTION_LOG_FILE, Settings
from app.db.log import ShadowEntry
from app.main import create_app
from app.services import shadow as shadow_module
from app.services.shadow import Shadow, load_candidate, shadow_model
from fastapi.testclient import TestClient
from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import ModelIntegrityError
from regression_model.train_pipeline import train

ROWS: list[dict[str, Any]] = [
    {"OverallQual": 7, "GrLivArea": 1800, "Neighborhood": "CollgCr"},
    {"OverallQual": 5, "GrLivArea": 1000, "MSSubClass": 20},
]
WAIT_SECONDS = 30


class CollectedLog:
    """Stands in for the prediction log: keeps every shadow entry it is offered."""

    def __init__(self) -> None:
        self.entries: list[ShadowEntry] = []
        self.arrived = threading.Event()

    def record_shadow(self, entry: ShadowEntry) -> bool:
        self.entries.append(entry)
        self.arrived.set()
        return True


@pytest.fixture(scope="session")
def candidate_dir(
    tmp_path_factory: pytest.TempPathFactory, real_data_dir: Path
) -> Path:
    """A candidate trained on the same data with another alpha (0.0005)."""
    config = load_config()
    other = config.model_copy(
        update={"model": config.model.model_copy(update={"alpha": 0.0005})}
    )
    folder = tmp_path_factory.mktemp("candidate")
    train(folder, real_data_dir, other)
    return folder


def priced(
    shadow: Shadow, log: CollectedLog, rows: list[dict[str, Any]]
) -> ShadowEntry:
    """Submit ``rows``, stop the shadow (it prices what is queued), return the entry."""
    assert shadow.submit("request-1", rows)
    shadow.stop(timeout=WAIT_SECONDS)
    assert log.entries, "the shadow wrote nothing"
    return log.entries[-1]


def test_shadow_prices_equal_the_candidates_make_prediction(
    candidate_dir: Path, kaggle_test_rows: list[dict[str, Any]]
) -> None:
    # Given a shadow of the candidate, writing to a log
    log = CollectedLog()
    shadow = Shadow(load_candidate(candidate_dir), log)
    shadow.start()
    # When it prices the rows of test.csv
    entry = priced(shadow, log, kaggle_test_rows)
    # Then its prices are the candidate's make_prediction's, to the last bit
    expected = make_prediction(kaggle_test_rows, trained_dir=candidate_dir)
    assert entry.prices == expected["predictions"]
    assert entry.request_id == "request-1"
    assert entry.plan_sha256 == load_candidate(candidate_dir).plan_sha256


def test_a_raising_candidate_logs_its_error_instead_of_prices(
    candidate_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a candidate that raises
    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("the candidate broke")

    monkeypatch.setattr(shadow_module, "make_prediction", broken)
    log = CollectedLog()
    shadow = Shadow(load_candidate(candidate_dir), log)
    shadow.start()
    # When it is given two rows
    entry = priced(shadow, log, ROWS)
    # Then the log holds the error and no price
    assert entry.prices == [None, None]
    assert entry.error == "RuntimeError: the candidate broke"


def test_a_full_queue_skips_the_request_and_counts_it(candidate_dir: Path) -> None:
    # Given a shadow whose queue holds one request, not started
    shadow = Shadow(load_candidate(candidate_dir), CollectedLog(), queue_requests=1)
    # When two requests are submitted
    first, second = shadow.submit("a", ROWS), shadow.submit("b", ROWS)
    # Then the second is skipped, counted, and submit did not block
    assert (first, second, shadow.skipped) == (True, False, 1)


def test_a_candidate_that_fails_its_integrity_check_stops_the_start(
    candidate_dir: Path, tmp_path: Path
) -> None:
    # Given a copy of the candidate whose plan was changed after training
    for path in candidate_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    plan = next(tmp_path.glob("*.plan.json"))
    plan.write_text(plan.read_text().replace("0", "1", 1))
    # When the shadow is started from it, Then it refuses, as the live model would
    with pytest.raises(ModelIntegrityError):
        with shadow_model(Settings(shadow_model_dir=tmp_path), CollectedLog()):
            pass


def test_with_the_log_off_no_shadow_is_started(
    candidate_dir: Path,
) -> None:
    # Given a candidate and no prediction log to write its prices to
    settings = Settings(shadow_model_dir=candidate_dir)
    # When the shadow is asked for, Then there is none (its prices would go nowhere)
    with shadow_model(settings, None) as shadow:
        assert shadow is None


@pytest.fixture
def blocked_candidate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The candidate's pricing waits until the returned event is set (a candidate
    that sleeps), then raises."""
    release = threading.Event()

    def sleeping(*args: Any, **kwargs: Any) -> dict[str, Any]:
        release.wait(WAIT_SECONDS)
        raise TimeoutError("the candidate slept")

    monkeypatch.setattr(shadow_module, "make_prediction", sleeping)
    yield release
    release.set()


def test_a_sleeping_raising_candidate_leaves_the_live_answer_unchanged(
    api_settings: Settings,
    candidate_dir: Path,
    tmp_path: Path,
    blocked_candidate: threading.Event,
) -> None:
    # Given an app whose shadow candidate sleeps (then raises), and one without
    settings = api_settings.model_copy(update={"shadow_model_dir": candidate_dir})
    settings = with_log_in(settings, tmp_path)
    with TestClient(create_app(with_log_in(api_settings, tmp_path / "p"))) as plain:
        expected = plain.post("/api/v1/predict", json={"inputs": ROWS})
    with TestClient(create_app(settings)) as shadowed:
        # When the same rows are posted twice while the candidate sleeps
        answers = [
            shadowed.post("/api/v1/predict", json={"inputs": ROWS}) for _ in range(2)
        ]
        shadow = shadowed.app.state.shadow  # type: ignore[attr-defined]
        # Then both answers came back while it slept, equal to the plain app's
        assert shadow is not None and shadow.priced == 0
        blocked_candidate.set()
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json() for a in answers] == [expected.json()] * 2


def test_the_apps_shadow_logs_the_candidates_prices_beside_the_live_ones(
    api_settings: Settings, candidate_dir: Path, tmp_path: Path
) -> None:
    # Given an app with a shadow and its prediction log in a temporary folder
    settings = api_settings.model_copy(update={"shadow_model_dir": candidate_dir})
    settings = with_log_in(settings, tmp_path)
    # When rows are posted, and the app stops (the shadow, then the log, flushed)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/v1/predict", json={"inputs": ROWS})
    # Then the log holds the candidate's prices under the request's id, and the
    # client got the live model's
    with sqlite3.connect(tmp_path / PREDICTION_LOG_FILE) as connection:
        logged = connection.execute(
            "SELECT row, price, plan_sha256, error FROM shadow_predictions"
            " WHERE request_id = ? ORDER BY row",
            (response.headers["X-Request-ID"],),
        ).fetchall()
    connection.close()
    candidate = load_candidate(candidate_dir)
    expected = make_prediction(ROWS, model=candidate.model)["predictions"]
    assert logged == [
        (row, price, candidate.plan_sha256, None) for row, price in enumerate(expected)
    ]
    live = make_prediction(ROWS, model=load_model(api_settings.trained_dir))
    assert response.json()["predictions"] == live["predictions"] != expected


def with_log_in(settings: Settings, folder: Path) -> Settings:
    """``settings`` with the prediction log's SQLite file in ``folder``."""
    return settings.model_copy(update={"prediction_log_dir": folder})
