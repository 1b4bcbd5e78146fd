"""The prediction log's database: its tables, its writer and its migrations.

Beyond the course: its sequel (testing and monitoring ML deployments) records
every prediction in PostgreSQL. Here the API does too, through SQLAlchemy 2, into
an embedded SQLite file by default or into PostgreSQL when
``HOUSE_PRICES_API_PREDICTION_LOG_URL`` names one:

- :mod:`app.db.models`: the three tables, as typed classes;
- :mod:`app.db.entries`: what a request leaves in them (``LogEntry``,
  ``ShadowEntry``);
- :mod:`app.db.log`: :class:`~app.db.log.PredictionLog`, a bounded queue and one
  writer thread, so logging never slows or fails a request;
- :mod:`app.db.migrate`: alembic's ``upgrade head``, run when the server starts,
  with the scripts in ``migrations/``.
"""
