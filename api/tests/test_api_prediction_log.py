"""The API's prediction log: what a client received is what the log keeps.

Each app logs into its own SQLite file in ``tmp_path``; the ``TestClient``'s
``with`` block runs the lifespan, so leaving it stops the log (and flushes it).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.processing.data_manager import load_metadata
from sqlalchemy import create_engine, text

PREDICT = "/api/v1/predict"
EXPLAIN = "/api/v1/explain"
WAIT_TRIES = 400  # x 25 ms: the most a test waits for the writer thread


def logged(folder: Path, query: str) -> list[tuple[Any, ...]]:
    """The rows ``query`` finds in the log file in ``folder``."""
    engine = create_engine(f"sqlite:///{folder / 'predictions.sqlite3'}")
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return found


def settings(trained_model: Path, folder: Path, **changes: Any) -> Settings:
    """Settings serving the session's model, logging into ``folder``."""
    return Settings(trained_dir=trained_model, prediction_log_dir=folder, **changes)


def test_every_logged_row_matches_the_answer_the_client_received(
    trained_model: Path, tmp_path: Path, kaggle_test_rows: list[dict[str, object]]
) -> None:
    # Given an app logging into tmp_path, and 300 rows of test.csv
    rows = kaggle_test_rows[:300]
    with TestClient(create_app(settings(trained_model, tmp_path))) as client:
        # When they are priced in two requests, one of them explained
        answers = [
            client.post(PREDICT, json={"inputs": rows[:200]}),
            client.post(EXPLAIN, json={"inputs": rows[200:]}),
        ]
    # (leaving the block stopped the app, and its log wrote what it held)

    # Then each request's rows are logged under its id, with its exact prices
    sha = load_metadata(trained_model)["plan_sha256"]
    for answer, sent in zip(answers, (rows[:200], rows[200:]), strict=True):
        request_id = answer.headers["X-Request-ID"]
        found = logged(
            tmp_path,
            "SELECT p.price, p.inputs, r.plan_sha256, r.model_version"
            " FROM predictions p JOIN prediction_requests r USING (request_id)"
            f" WHERE request_id = '{request_id}' ORDER BY p.row",
        )
        assert [price for price, *_ in found] == answer.json()["predictions"]
        assert {(s, v) for *_, s, v in found} == {(sha, answer.json()["version"])}
        assert [json.loads(i) for _, i, *_ in found] == sent


def test_a_full_queue_still_answers_and_counts_the_rows_lost(
    trained_model: Path, tmp_path: Path, kaggle_test_rows: list[dict[str, object]]
) -> None:
    # Given an app whose log holds 1 row, and the same app without a log
    rows = kaggle_test_rows[:5]
    off = settings(trained_model, tmp_path, prediction_log_enabled=False)
    with TestClient(create_app(off)) as client:
        expected = client.post(PREDICT, json={"inputs": rows}).json()
    tiny = settings(trained_model, tmp_path, prediction_log_queue_rows=1)
    with TestClient(create_app(tiny)) as client:
        # When 5 rows are priced
        answer = client.post(PREDICT, json={"inputs": rows})
        metrics = client.get("/metrics").text
        lost = client.app.state.prediction_log.lost

    # Then the answer is the one without a log, and the 5 rows are counted
    assert answer.status_code == 200 and answer.json() == expected
    assert lost == 5
    assert "house_prices_prediction_log_lost_rows_total 5.0" in metrics
    assert logged(tmp_path, "SELECT count(*) FROM predictions") == [(0,)]


def test_an_unwritable_database_leaves_answers_unchanged_and_counts_the_loss(
    trained_model: Path,
    tmp_path: Path,
    kaggle_test_rows: list[dict[str, object]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a logging app whose log folder is removed after its first answer
    rows = kaggle_test_rows[:10]
    folder = tmp_path / "log"
    caplog.set_level(logging.WARNING, logger="app.db.log")
    with TestClient(create_app(settings(trained_model, folder))) as client:
        first = client.post(PREDICT, json={"inputs": rows}).json()
        log = client.app.state.prediction_log
        for _ in range(WAIT_TRIES):
            if log.written == 10:
                break
            time.sleep(0.025)
        shutil.rmtree(folder)

        # When the same rows are priced three times more
        answers = [client.post(PREDICT, json={"inputs": rows}) for _ in range(3)]
        for _ in range(WAIT_TRIES):
            if log.lost == 30:
                break
            time.sleep(0.025)
        lines = [r for r in caplog.records if "not logged" in r.message]

    # Then every answer is the first one, the 30 rows are counted, in one line
    assert [a.json() for a in answers] == [first] * 3
    assert (log.written, log.lost) == (10, 30)
    assert len(lines) == 1


def test_logging_off_keeps_no_log_and_still_names_each_request(
    trained_model: Path, tmp_path: Path, kaggle_test_rows: list[dict[str, object]]
) -> None:
    # Given an app with the log off
    off = settings(trained_model, tmp_path / "log", prediction_log_enabled=False)
    with TestClient(create_app(off)) as client:
        # When two requests are priced
        answers = [
            client.post(PREDICT, json={"inputs": kaggle_test_rows[:1]})
            for _ in range(2)
        ]
        log = client.app.state.prediction_log

    # Then there is no log, and each answer has its own 32-digit request id
    ids = {answer.headers["X-Request-ID"] for answer in answers}
    assert log is None and not (tmp_path / "log").exists()
    assert len(ids) == 2 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
