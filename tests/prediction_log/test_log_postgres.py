"""The prediction log in a real PostgreSQL: migrations, and the API under load.

The API server (``python -m app.server``) is pointed at a new, empty database of
the test's PostgreSQL by ``HOUSE_PRICES_API_PREDICTION_LOG_URL``; it makes the
tables itself when it starts (alembic's ``upgrade head``). Eight clients then send
up to 400 requests (at most 20 s) and every logged row is compared with the answer
its client received.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect

from tests.prediction_log.traffic import ApiServer, mismatches, read_log, send_load

TABLES = {"alembic_version", "prediction_requests", "predictions", "shadow_predictions"}


def test_the_migrations_make_the_log_tables_in_an_empty_postgresql_database(
    postgres_url: str,
) -> None:
    # Given an empty PostgreSQL database
    from app.db.log import make_engine
    from app.db.migrate import upgrade

    engine = make_engine(postgres_url)
    try:
        # When the migrations run, twice (a second server starting on the same one)
        upgrade(engine)
        upgrade(engine)

        # Then it holds the log's three tables and alembic's version table
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_every_row_logged_in_postgresql_under_load_is_the_answer_sent(
    package_trained_dir: Path,
    postgres_url: str,
    test_records: list[dict[str, Any]],
    plan_sha256: str,
    tmp_path: Path,
) -> None:
    # Given the API logging into an empty PostgreSQL database
    server = ApiServer(package_trained_dir, tmp_path, prediction_log_url=postgres_url)
    try:
        # When 8 clients send up to 400 requests (one in five with an unseen label)
        load = send_load(server, test_records)
        lost = server.lost_rows()
    finally:
        # (SIGTERM: the server writes what its log still holds, then exits)
        server.stop()

    # Then every request was answered and logged as answered: the model's version
    # and plan SHA-256, each row's inputs, price and error; nothing else, none lost
    logged = read_log(postgres_url)
    assert load.failures == []
    assert len(load.answered) > 0
    assert mismatches(load, logged, plan_sha256) == []
    assert set(logged) == {answer.request_id for answer in load.answered}
    assert lost == 0


def test_the_api_makes_its_tables_in_postgresql_when_it_starts(
    package_trained_dir: Path, postgres_url: str, tmp_path: Path
) -> None:
    # Given an empty PostgreSQL database
    # When the API starts with its URL
    server = ApiServer(package_trained_dir, tmp_path, prediction_log_url=postgres_url)
    try:
        engine = create_engine(postgres_url)
        try:
            tables = set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
    finally:
        server.stop()

    # Then the tables are there before the first request
    assert tables == TABLES
