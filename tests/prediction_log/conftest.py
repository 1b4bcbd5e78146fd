"""Fixtures of the prediction-log tests: a real PostgreSQL server, one database per
test, and the API server logging into it.

One PostgreSQL cluster serves the whole session (:class:`PostgresServer`, stopped
by its pid at the end, also after a failure); each test gets a database of its own,
empty, so no test sees another's rows. A test that stops the server starts it again
before it ends; :func:`postgres` checks it is up for the next one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.prediction_log.postgres import PostgresServer, postgres_bin

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One running PostgreSQL server for the session (skips without the binaries)."""
    server = PostgresServer(postgres_bin())
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres(postgres_server: PostgresServer) -> PostgresServer:
    """The session's server, running (a test that stopped it has started it again)."""
    if postgres_server.process is None:
        postgres_server.start()
    return postgres_server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """``postgresql+psycopg://`` URL of a new, empty database on the server."""
    return postgres.create_database(f"prediction_log_{next(_databases)}")


@pytest.fixture(scope="session")
def test_records(real_data_dir: Path) -> list[dict[str, Any]]:
    """The houses of test.csv as a client sends them (missing cells as None)."""
    frame = pd.read_csv(real_data_dir / "test.csv")
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@pytest.fixture(scope="session")
def plan_sha256(package_trained_dir: Path) -> str:
    """The SHA-256 of the scoring plan the session's package model serves."""
    from regression_model.processing import data_manager as dm

    return dm.file_sha256(dm.plan_path(dm.pipeline_path(package_trained_dir)))
