"""The prediction log's migrations, run from code: ``upgrade(engine)``.

alembic keeps the database's schema version in a table (``alembic_version``) and
applies, in order, the scripts of ``migrations/versions/`` it has not applied yet.
The API runs ``upgrade head`` when it starts, so a new release brings its tables
with it. Its configuration is built here, in code, instead of an ``alembic.ini``:
the only things it needs are where the scripts are and which database to use.

Several server processes (``--workers N``) may start at once: on PostgreSQL an
advisory lock lets one migrate at a time; SQLite locks its file for the writer.
By hand, from ``api/``: ``python -m app.db.migrate sqlite:///predictions.sqlite3``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from app.db.log import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed number: the key of the advisory lock taken while migrating.
ADVISORY_LOCK = 240_001


def alembic_config(connection: Connection) -> Config:
    """alembic's configuration: the scripts' folder, and ``connection`` to run
    them on (``migrations/env.py`` reads it from ``attributes``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of ``engine`` to ``revision`` (the latest by default)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK}
            )
        elif connection.dialect.name == "sqlite":
            # Take the write lock now, before reading the schema's version.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        command.upgrade(alembic_config(connection), revision)


if __name__ == "__main__":
    upgrade(make_engine(sys.argv[1]))
