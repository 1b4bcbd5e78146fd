"""alembic's environment: run the migrations on the connection it was given.

:func:`app.db.migrate.upgrade` opens the connection (and its transaction) and
passes it in ``config.attributes``; the scripts only describe the changes.
"""

from __future__ import annotations

from alembic import context
from app.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
context.run_migrations()
