"""The test server itself: a real PostgreSQL that keeps rows, stops and starts.

The prediction-log tests trust this fixture to be a real database that goes away
when stopped; these tests prove it, with psycopg alone (no SQLAlchemy, no API).
"""

from __future__ import annotations

import psycopg
import pytest

from tests.prediction_log.postgres import PostgresServer


def test_a_new_database_is_empty_and_keeps_what_is_committed(
    postgres: PostgresServer, postgres_url: str
) -> None:
    # Given a new database of the test server
    database = postgres_url.rsplit("/", 1)[1]

    # When a table is made and a row committed in it
    with psycopg.connect(postgres.conninfo(database)) as connection:
        before = connection.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = 'public'"
        ).fetchone()
        connection.execute("CREATE TABLE sample (price double precision)")
        connection.execute("INSERT INTO sample VALUES (208500.0)")

    # Then it had no table, and a second connection reads the row back
    with psycopg.connect(postgres.conninfo(database)) as connection:
        rows = connection.execute("SELECT price FROM sample").fetchall()
    assert before == (0,)
    assert rows == [(208500.0,)]


def test_a_stopped_server_refuses_connections_and_keeps_its_rows_when_started(
    postgres: PostgresServer, postgres_url: str
) -> None:
    # Given a database with one committed row
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres.conninfo(database)) as connection:
        connection.execute("CREATE TABLE sample (price double precision)")
        connection.execute("INSERT INTO sample VALUES (181500.0)")

    try:
        # When the server is stopped (pg_ctl stop -m fast)
        postgres.stop()

        # Then nothing can connect to it
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(postgres.conninfo(database), connect_timeout=2)
    finally:
        # And once started again, the row is there
        postgres.start()
    with psycopg.connect(postgres.conninfo(database)) as connection:
        rows = connection.execute("SELECT price FROM sample").fetchall()
    assert rows == [(181500.0,)]
