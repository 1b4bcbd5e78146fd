"""A shadow model: a candidate priced on live traffic, off the request's path.

Beyond the course (its sequel teaches shadow mode into PostgreSQL). Before a retrained
or changed model replaces the live one, it can price the same requests for a while:
``HOUSE_PRICES_API_SHADOW_MODEL_DIR`` names its trained folder (the *candidate*),
loaded at start-up by the package's ``load_model``, with the same integrity checks as
the live model (a candidate that fails them stops the server, as a live model does).

Each request the live model priced is then handed to one background thread through a
bounded queue (:meth:`Shadow.submit`, which never blocks: a full queue skips the
request and counts it). The thread prices the rows with the candidate and writes its
prices to the prediction log beside the live ones
(:meth:`app.db.log.PredictionLog.record_shadow`), under the same request id. The
client never sees them, and a candidate that raises or sleeps changes nothing in the
live answer nor delays it: it only fills the queue, and its error goes to the log.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import load_metadata

from app.core.config import Settings
from app.db.log import ShadowEntry

logger = logging.getLogger(__name__)

# How many requests may wait for the candidate; beyond that they are skipped.
QUEUE_REQUESTS = 100
STOP_SECONDS = 5.0


class ShadowLog(Protocol):
    """Where the candidate's prices go: the app's prediction log."""

    def record_shadow(self, entry: ShadowEntry) -> bool: ...


@dataclass(frozen=True)
class Candidate:
    """The model tried in the shadow, and what its metadata says it is.

    Attributes
    ----------
    model : ScoringPlan
        What ``load_model`` returned for the candidate's trained folder.
    version : str
        The package version that trained it.
    plan_sha256 : str
        The SHA-256 of its scoring plan.
    """

    model: Any
    version: str
    plan_sha256: str


def load_candidate(trained_dir: Path) -> Candidate:
    """Load the candidate from its trained folder, checking it as the live model is."""
    model = load_model(trained_dir)
    metadata = load_metadata(trained_dir)
    return Candidate(model, metadata["version"], metadata["plan_sha256"])


@dataclass(frozen=True)
class _Request:
    request_id: str
    at: datetime
    rows: list[dict[str, Any]]


class Shadow:
    """One background thread pricing live requests with the candidate.

    Parameters
    ----------
    candidate : Candidate
        The model to try.
    log : ShadowLog
        Where each request's shadow prices go (``record_shadow``).
    queue_requests : int, default=QUEUE_REQUESTS
        How many requests may wait; a request that finds the queue full is skipped.

    Attributes
    ----------
    priced : int
        Requests the candidate priced (or failed on: the error is logged).
    skipped : int
        Requests not priced because the queue was full.
    """

    def __init__(
        self,
        candidate: Candidate,
        log: ShadowLog,
        queue_requests: int = QUEUE_REQUESTS,
    ) -> None:
        self.candidate = candidate
        self.log = log
        self.priced = 0
        self.skipped = 0
        self._queue: queue.Queue[_Request | None] = queue.Queue(queue_requests)
        self._counting = threading.Lock()
        self._abandon = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread that prices the queued requests."""
        self._thread = threading.Thread(
            target=self._work, name="shadow-model", daemon=True
        )
        self._thread.start()

    def submit(
        self, request_id: str, rows: list[dict[str, Any]], at: datetime | None = None
    ) -> bool:
        """Queue a priced request for the candidate; never blocks, never raises.

        Returns
        -------
        bool
            False if the queue was full: the request is skipped and counted.
        """
        request = _Request(request_id, at or datetime.now(UTC), rows)
        try:
            self._queue.put_nowait(request)
        except queue.Full:
            with self._counting:
                self.skipped += 1
            return False
        return True

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Price what is queued, then end the thread; past ``timeout``, abandon it."""
        if self._thread is None:
            return
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            self._abandon.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abandon.set()
            logger.warning(
                "shadow model: still pricing after %.1f s, abandoned", timeout
            )
        self._thread = None

    def price(
        self, request_id: str, at: datetime, rows: list[dict[str, Any]]
    ) -> ShadowEntry:
        """The candidate's prices for one request, or its error: never raises."""
        started = time.perf_counter()
        prices: list[float | None] = [None] * len(rows)
        error: str | None = None
        try:
            result = make_prediction(rows, model=self.candidate.model)
            prices = list(result["predictions"])
            if result["errors"]:
                first = result["errors"][0]
                error = (
                    f"{len(result['errors'])} errors; row {first['row']}, "
                    f"{first['column']}: {first['message']}"
                )
        except Exception as failure:  # a candidate's failure stays in the shadow
            error = f"{type(failure).__name__}: {failure}"
        return ShadowEntry(
            request_id=request_id,
            at=at,
            model_version=self.candidate.version,
            plan_sha256=self.candidate.plan_sha256,
            prices=prices,
            error=error,
            seconds=time.perf_counter() - started,
        )

    def _work(self) -> None:
        while not self._abandon.is_set():
            request = self._queue.get()
            if request is None:
                return
            entry = self.price(request.request_id, request.at, request.rows)
            self.log.record_shadow(entry)
            with self._counting:
                self.priced += 1


@contextmanager
def shadow_model(settings: Settings, log: ShadowLog | None) -> Iterator[Shadow | None]:
    """The app's shadow, running for the duration of the block (None without one).

    The candidate is loaded (and checked) whenever ``shadow_model_dir`` is set; with
    the prediction log off, its prices would go nowhere, so it is not started.
    """
    if settings.shadow_model_dir is None:
        yield None
        return
    candidate = load_candidate(settings.shadow_model_dir)
    if log is None:
        logger.warning("shadow model not started: the prediction log is off")
        yield None
        return
    shadow = Shadow(candidate, log)
    shadow.start()
    try:
        yield shadow
    finally:
        shadow.stop()
