"""The prediction log: what the API priced, written by one background thread.

Beyond the course: its sequel logs predictions into PostgreSQL. A request must
never wait for the database, nor fail because of it, so the route only *offers*
its entry (:meth:`PredictionLog.record`): the entry goes into a bounded queue and
the call returns at once. One writer thread takes what the queue holds, up to
``batch_rows`` rows or ``flush_seconds`` at a time, and inserts it in one
transaction.

Nothing is dropped silently. When the queue is full (the database is slower than
the traffic) or a batch fails (the database is down, its folder is gone), the rows
are counted in :attr:`PredictionLog.lost` and passed to ``on_lost`` (the app's
metric ``house_prices_prediction_log_lost_rows_total``), and one log line per
``report_seconds`` says how many. The writer keeps taking the next batches, so
logging resumes by itself when the database returns. :meth:`PredictionLog.stop`
writes what the queue still holds before the server exits.

SQLite (the default, one file) is opened in WAL mode, so readers never block the
writer, and afresh for each batch: a file whose folder was removed is an error
counted as such, not a deleted file written on in vain.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.db.entries import LogEntry, ShadowEntry, table_rows
from app.db.models import Prediction, PredictionRequest, ShadowPrediction

__all__ = ["LogEntry", "PredictionLog", "ShadowEntry", "make_engine"]

logger = logging.getLogger(__name__)

# What the queue holds when the writer is asked to stop.
_STOP = object()


def json_text(value: object) -> str:
    """``value`` as JSON text any database accepts: every character beyond ASCII
    escaped, so half a character (``"\\ud800"``, which a client may send) is
    written as its escape instead of failing the batch."""
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite, WAL mode on every connection.

    SQLite gets no connection pool (each batch opens the file again); other
    databases keep one and check a connection before using it, so a server that
    restarted is reconnected to.
    """
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, json_serializer=json_text, pool_pre_ping=True)
    engine = create_engine(url, json_serializer=json_text, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _wal(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return engine


class PredictionLog:
    """A bounded queue of entries and the thread that writes them to ``url``.

    Parameters
    ----------
    url : str
        A SQLAlchemy URL: ``sqlite:///path/predictions.sqlite3`` or
        ``postgresql+psycopg://user@host:port/database``.
    queue_rows : int, default=10000
        The most rows waiting to be written; beyond, entries are refused and
        counted lost.
    batch_rows : int, default=2000
        About the most rows one transaction writes.
    flush_seconds : float, default=0.25
        How long the writer gathers entries into one transaction after the first
        (one transaction per entry would cost more than the rows themselves).
    report_seconds : float, default=30.0
        The least time between two log lines about lost rows.
    prepare : callable, optional
        Run on the engine before the first batch and after each failed one (the
        app passes the migrations); if it fails, the batch is lost, counted.
    on_lost : callable, optional
        Called with each number of rows lost (the app's metric).

    Attributes
    ----------
    lost : int
        Rows not logged: refused by a full queue, or in a batch that failed.
    written : int
        Rows written.
    """

    def __init__(
        self,
        url: str,
        *,
        queue_rows: int = 10_000,
        batch_rows: int = 2_000,
        flush_seconds: float = 0.25,
        report_seconds: float = 30.0,
        prepare: Callable[[Engine], None] | None = None,
        on_lost: Callable[[int], None] | None = None,
    ) -> None:
        self.url = url
        self.queue_rows = queue_rows
        self.batch_rows = batch_rows
        self.flush_seconds = flush_seconds
        self.report_seconds = report_seconds
        self.lost = 0
        self.written = 0
        self._engine = make_engine(url)
        self._prepare = prepare
        self._prepared = prepare is None
        self._on_lost = on_lost
        # Entries hold at least one row each, so one more place always fits _STOP.
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_rows + 1)
        self._lock = threading.Lock()
        self._pending = 0  # rows queued or being written
        self._closed = False
        self._unreported = 0
        self._cause = ""
        self._reported_at = time.monotonic() - report_seconds
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Prepare the database (a failure is logged and retried) and start the
        writer thread."""
        self._try_prepare()
        self._thread = threading.Thread(
            target=self._run, name="prediction-log", daemon=True
        )
        self._thread.start()

    def record(self, entry: LogEntry) -> bool:
        """Offer a live request's entry; ``False`` (and its rows counted lost) if
        the queue is full or the log stopped. Never blocks, never raises."""
        return self._offer(entry, len(entry.rows))

    def record_shadow(self, entry: ShadowEntry) -> bool:
        """Offer the shadow model's entry, by the rules of :meth:`record`."""
        return self._offer(entry, len(entry.prices))

    def stop(self, timeout: float = 10.0) -> None:
        """Write what the queue holds, then stop the writer (waiting at most
        ``timeout`` seconds; rows still unwritten then are counted lost)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._thread is not None:
            self._queue.put(_STOP, timeout=timeout)
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._lose(self._pending, f"still writing after {timeout} s at exit")
        self._report(force=True)
        self._engine.dispose()

    def _offer(self, entry: LogEntry | ShadowEntry, rows: int) -> bool:
        rows = max(rows, 1)
        try:
            with self._lock:
                refused = self._closed or self._pending + rows > self.queue_rows
                if not refused:
                    self._pending += rows
            if refused:
                self._lose(rows, "the queue is full" if not self._closed else "stopped")
                return False
            self._queue.put_nowait((entry, rows))
            return True
        except Exception:  # the request must not fail because of its log
            logger.exception("prediction log: an entry could not be queued")
            return False

    def _run(self) -> None:
        stopping = False
        while not stopping:
            try:
                item = self._queue.get(timeout=1.0)
            except queue.Empty:
                self._report()
                continue
            batch: list[tuple[LogEntry | ShadowEntry, int]] = []
            rows = 0
            deadline = time.monotonic() + self.flush_seconds
            while True:
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
                rows += item[1]
                if rows >= self.batch_rows:
                    break
                try:  # gather what comes within flush_seconds: one transaction
                    item = self._queue.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    break
            if batch:
                self._write(batch, rows)
            self._report()

    def _write(
        self, batch: list[tuple[LogEntry | ShadowEntry, int]], rows: int
    ) -> None:
        try:
            if not self._prepared:
                self._prepare_or_raise()
            requests, predictions, shadows = table_rows(e for e, _ in batch)
            with self._engine.begin() as connection:
                if requests:
                    connection.execute(insert(PredictionRequest), requests)
                if predictions:
                    connection.execute(insert(Prediction), predictions)
                if shadows:
                    connection.execute(insert(ShadowPrediction), shadows)
            with self._lock:
                self.written += rows
        except Exception as error:  # any failure: count the rows, try the next batch
            self._lose(rows, first_line(error))
            # The database may come back empty (a new file, a new server): prepare
            # it again before the next batch.
            self._prepared = self._prepare is None
        finally:
            with self._lock:
                self._pending -= rows

    def _try_prepare(self) -> None:
        try:
            self._prepare_or_raise()
        except Exception as error:
            logger.error("prediction log: the database is not ready: %s", error)

    def _prepare_or_raise(self) -> None:
        if self._prepare is not None and not self._prepared:
            self._prepare(self._engine)
        self._prepared = True

    def _lose(self, rows: int, cause: str) -> None:
        with self._lock:
            self.lost += rows
            self._unreported += rows
            self._cause = cause
        if self._on_lost is not None:
            try:
                self._on_lost(rows)
            except Exception:
                logger.exception("prediction log: the lost rows could not be counted")
        self._report()

    def _report(self, *, force: bool = False) -> None:
        """One log line per ``report_seconds`` (or now, with ``force``) if rows
        were lost since the last."""
        with self._lock:
            now = time.monotonic()
            due = force or now - self._reported_at >= self.report_seconds
            if not self._unreported or not due:
                return
            unreported, cause, lost = self._unreported, self._cause, self.lost
            self._unreported = 0
            self._reported_at = now
        logger.warning(
            "prediction log: %d rows not logged since the last report (last cause: "
            "%s); %d in all",
            unreported,
            cause,
            lost,
        )


def first_line(error: BaseException) -> str:
    """The first line of an error's message, with its type."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"
