"""The prediction log in its default database, a SQLite file, under load.

With no ``HOUSE_PRICES_API_PREDICTION_LOG_URL`` the API logs into
``predictions.sqlite3`` in the folder ``HOUSE_PRICES_API_PREDICTION_LOG_DIR``
names, in WAL mode, and makes its tables when it starts. The load and the checks
are those of the PostgreSQL test (``test_log_postgres.py``).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.prediction_log.traffic import ApiServer, mismatches, read_log, send_load


def test_every_row_logged_in_sqlite_under_load_is_the_answer_sent(
    package_trained_dir: Path,
    test_records: list[dict[str, Any]],
    plan_sha256: str,
    tmp_path: Path,
) -> None:
    # Given the API logging into its default SQLite file, in a folder of the test
    folder = tmp_path / "prediction-log"
    server = ApiServer(package_trained_dir, tmp_path, prediction_log_dir=folder)
    try:
        # When 8 clients send up to 400 requests (one in five with an unseen label)
        load = send_load(server, test_records)
        lost = server.lost_rows()
    finally:
        # (SIGTERM: the server writes what its log still holds, then exits)
        server.stop()

    # Then every request was answered and logged as answered, none lost, in a
    # SQLite file in WAL mode
    database = folder / "predictions.sqlite3"
    logged = read_log(f"sqlite:///{database}")
    assert load.failures == []
    assert len(load.answered) > 0
    assert mismatches(load, logged, plan_sha256) == []
    assert set(logged) == {answer.request_id for answer in load.answered}
    assert lost == 0
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
