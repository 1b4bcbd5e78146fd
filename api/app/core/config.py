"""Settings of the service, read from the environment (prefix ``HOUSE_PRICES_API_``).

For example ``HOUSE_PRICES_API_MAX_BATCH_ROWS=200 make serve`` lowers the largest
batch one request may send. Where to listen (host, port) is not a setting of the
application but of the server that runs it (``python -m app.server --host --port``,
run by ``make serve``, the Dockerfile and the Procfile); the server's limits
(timeouts, connection cap, drain, shutdown grace) are settings here, so every way of
running it shares them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The prediction log's SQLite file, in ``prediction_log_dir``.
PREDICTION_LOG_FILE = "predictions.sqlite3"


class Settings(BaseSettings):
    """What an operator may change without touching the code.

    Attributes
    ----------
    project_name : str
        The API's name, shown by ``/api/v1/health`` and in the OpenAPI page.
    api_v1_prefix : str
        Where version 1 of the API lives.
    max_batch_rows : int
        The largest number of rows one ``/predict`` request may send; a larger batch
        gets ``413 Content Too Large``.
    max_body_bytes : int
        The largest request body, in bytes (default 4 MiB: 1000 full rows of test.csv
        as JSON take about 2 MiB). A larger body gets ``413`` before it is parsed.
    trained_dir : Path, optional
        The trained folder to serve from (``HOUSE_PRICES_API_TRAINED_DIR``); the
        installed package's own (where the released wheel carries its model) by
        default.
    expected_model_sha256 : str, optional
        The SHA-256 of the scoring plan this release must serve, pinned by the
        release (``HOUSE_PRICES_API_EXPECTED_MODEL_SHA256``, baked into the image).
        When set, a plan with any other hash stops the server at start-up, even if
        its metadata vouches for it: the metadata proves a file is whole, the pin
        that it is the released model. Unset (development), any intact model is
        served.
    header_timeout_seconds : float
        How long a connection may take to send a request's line and headers (and
        how long a new connection may stay silent) before it gets ``408`` and is
        closed (default 10 s): a client trickling bytes cannot hold a socket.
    body_timeout_seconds : float
        How long a request may take to send its whole body once its headers are in
        (default 30 s: a full 4 MiB body at ~140 kB/s).
    keep_alive_seconds : int
        How long an idle keep-alive connection is kept open between requests.
    max_connections : int
        The most connections one server process keeps open (default 1000, lowered
        to fit the process's open-file limit). At the cap, the oldest connection
        that is not in a request (idle or still sending headers) is closed to make
        room; if every connection is busy, the new one gets ``503``.
    drain_seconds : float
        After the first SIGTERM, how long the server keeps serving while
        ``/api/v1/health/ready`` answers ``503`` (default 5 s), so a router that
        checks every second and gives up after two failures stops sending it
        requests before it stops accepting them. ``0``: no drain. A second SIGTERM,
        or Ctrl-C, ends the drain at once.
    shutdown_grace_seconds : int
        After the drain, how long the server waits for the requests it has before it
        cancels them and exits (default 10 s; Heroku and Kubernetes allow 30 s in
        all, drain included).
    metrics_enabled : bool
        Count and time requests, rows and prices, and serve them at ``GET /metrics``
        for Prometheus (default on; ``HOUSE_PRICES_API_METRICS_ENABLED=false``:
        no counting, and ``/metrics`` is ``404``).
    drift_window_rows : int
        How many of the last rows priced the drift figures are computed on
        (default 1,000; :mod:`app.services.drift`).
    drift_refresh_seconds : float
        The least time between two computations of the drift figures (default 5 s;
        ``0``: after every request that prices a row).
    prediction_log_enabled : bool
        Record every request priced, its rows and prices, in the prediction log
        (default on; :mod:`app.db.log`, beyond the course).
    prediction_log_url : str, optional
        The log's database, as a SQLAlchemy URL, for example
        ``postgresql+psycopg://user:password@host:5432/house_prices``; by default
        the SQLite file ``predictions.sqlite3`` in ``prediction_log_dir``.
    prediction_log_dir : Path
        The folder of the default SQLite file (default ``prediction-log/`` in the
        server's working folder, created at start-up). A server whose folder is
        read-only needs a writable one here, or ``prediction_log_url``.
    prediction_log_queue_rows : int
        The most rows waiting for the log's writer (default 10,000); beyond, rows
        are not logged, and counted.
    shadow_model_dir : Path, optional
        A second trained folder, the candidate (``HOUSE_PRICES_API_SHADOW_MODEL_DIR``;
        beyond the course): it prices every priced request too, off the request's
        path, into the prediction log, and is never answered
        (:mod:`app.services.shadow`). Unset: no shadow.
    """

    model_config = SettingsConfigDict(env_prefix="HOUSE_PRICES_API_")

    project_name: str = "House Prices API"
    api_v1_prefix: str = "/api/v1"
    max_batch_rows: int = Field(default=1000, ge=1)
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    trained_dir: Path | None = None
    expected_model_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-fA-F]{64}$"
    )
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    body_timeout_seconds: float = Field(default=30.0, gt=0)
    keep_alive_seconds: int = Field(default=5, ge=1)
    max_connections: int = Field(default=1000, ge=1)
    drain_seconds: float = Field(default=5.0, ge=0)
    shutdown_grace_seconds: int = Field(default=10, ge=0)
    metrics_enabled: bool = True
    drift_window_rows: int = Field(default=1000, ge=1)
    drift_refresh_seconds: float = Field(default=5.0, ge=0)
    prediction_log_enabled: bool = True
    prediction_log_url: str | None = None
    prediction_log_dir: Path = Path("prediction-log")
    prediction_log_queue_rows: int = Field(default=10_000, ge=1)
    shadow_model_dir: Path | None = None

    @field_validator("expected_model_sha256", mode="before")
    @classmethod
    def _empty_means_unpinned(cls, value: object) -> object:
        """An empty value (an image built without a pin) means: no pin."""
        return None if value == "" else value

    @field_validator("prediction_log_url", mode="before")
    @classmethod
    def _empty_means_default_log(cls, value: object) -> object:
        """An empty URL means: the default SQLite file."""
        return None if value == "" else value

    def prediction_log_database(self) -> str:
        """The URL the prediction log writes to (see ``prediction_log_url``)."""
        if self.prediction_log_url is not None:
            return self.prediction_log_url
        return f"sqlite:///{self.prediction_log_dir.resolve() / PREDICTION_LOG_FILE}"
