"""A real API server that logs its predictions, the traffic sent to it, and the log
read back.

:class:`ApiServer` runs ``python -m app.server`` (the command of ``make serve``) on
127.0.0.1, serving the session's trained package model and logging into the
database its URL names; it applies the migrations when it starts and flushes the
log when it stops (SIGTERM to its pid). :func:`send_load` sends a bounded load from
several threads and keeps every answer; :func:`read_log` reads the tables back;
:func:`mismatches` lists every logged row that differs from the answer its client
received. Every socket has a timeout and every loop a bound.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.db.models import Prediction, PredictionRequest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.parity.stages import free_port

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
PREDICT = "/api/v1/predict"
LOST_ROWS = "house_prices_prediction_log_lost_rows_total"
# A label the training data never had: priced as missing, with a warning.
UNSEEN = {"Neighborhood": "Atlantis"}


@dataclass
class Answered:
    """One request sent and the answer its client received."""

    request_id: str
    rows: list[dict[str, Any]]
    prices: list[float | None]
    version: str
    warnings: list[str]


@dataclass
class Load:
    """What a bounded load sent: every answer, and the statuses that were not 200."""

    answered: list[Answered] = field(default_factory=list)
    failures: list[int | str] = field(default_factory=list)


class ApiServer:
    """A ``python -m app.server`` process logging its predictions (stopped by pid).

    Parameters
    ----------
    trained_dir : Path
        The trained folder it serves.
    folder : Path
        Where its output goes (``api.log``).
    **settings
        ``HOUSE_PRICES_API_<NAME>`` settings, e.g. ``prediction_log_url``.
    """

    def __init__(self, trained_dir: Path, folder: Path, **settings: object) -> None:
        self.port = free_port()
        self.log_path = folder / "api.log"
        env = {**os.environ, "HOUSE_PRICES_API_TRAINED_DIR": str(trained_dir)}
        env["HOUSE_PRICES_API_DRAIN_SECONDS"] = "0"  # SIGTERM: stop at once
        env |= {f"HOUSE_PRICES_API_{k.upper()}": str(v) for k, v in settings.items()}
        command = [sys.executable, "-m", "app.server", "--host", "127.0.0.1"]
        with self.log_path.open("wb") as output:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                cwd=folder,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            while self.status("/api/v1/health/ready") != 200:
                exited = self.process.poll() is not None
                assert not exited, f"the server exited:\n{self.output()}"
                assert time.monotonic() < deadline, f"not ready in {START_TIMEOUT_S} s"
                time.sleep(0.2)
        except BaseException:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
            raise

    def output(self) -> str:
        """What the server printed (its last 3,000 characters)."""
        return self.log_path.read_text(errors="replace")[-3000:]

    def lines(self, containing: str) -> list[str]:
        """The lines the server printed that contain ``containing``."""
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if containing in line]

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def status(self, path: str) -> int | None:
        try:
            connection = self.connect()
            connection.request("GET", path)
            return connection.getresponse().status
        except OSError:
            return None

    def lost_rows(self) -> float:
        """``house_prices_prediction_log_lost_rows_total`` as ``/metrics`` shows it."""
        connection = self.connect()
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        found = re.search(rf"^{LOST_ROWS}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)
        assert found is not None, f"no {LOST_ROWS} in /metrics"
        return float(found.group(1))

    def stop(self) -> int:
        """SIGTERM to its pid (the log is flushed on the way out); its exit status.

        A server that does not stop in time is killed.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
            raise AssertionError(f"no exit {STOP_TIMEOUT_S} s after SIGTERM") from None


def batch(records: list[dict[str, Any]], number: int) -> list[dict[str, Any]]:
    """The rows of request ``number``: 1 to 4 houses of ``records``; in every fifth
    request the first is in a neighbourhood the training data never had."""
    size = 1 + number % 4
    start = (number * 7) % (len(records) - size)
    rows = records[start : start + size]
    return [rows[0] | UNSEEN, *rows[1:]] if number % 5 == 0 else rows


def post(connection: http.client.HTTPConnection, rows: list[dict[str, Any]]) -> Any:
    """POST the rows to /predict; ``(status, X-Request-ID, body as JSON)``."""
    body = json.dumps({"inputs": rows})
    headers = {"Content-Type": "application/json"}
    connection.request("POST", PREDICT, body=body, headers=headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    return response.status, response.getheader("X-Request-ID"), answer


def send_load(
    server: ApiServer,
    records: list[dict[str, Any]],
    *,
    threads: int = 8,
    requests: int = 400,
    seconds: float = 20,
    first: int = 0,
) -> Load:
    """``requests`` requests from ``threads`` clients, or fewer if ``seconds`` pass.

    Request ``n`` (counted from ``first``) sends :func:`batch` ``(records, n)``.
    """
    load, lock = Load(), threading.Lock()
    numbers = iter(range(first, first + requests))
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = server.connect()
        try:
            while time.monotonic() < deadline:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                rows = batch(records, number)
                try:
                    status, request_id, answer = post(connection, rows)
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = server.connect()
                    with lock:
                        load.failures.append(type(error).__name__)
                    continue
                with lock:
                    if status != 200:
                        load.failures.append(status)
                    else:
                        load.answered.append(
                            Answered(
                                request_id,
                                rows,
                                answer["predictions"],
                                answer["version"],
                                answer["warnings"],
                            )
                        )
        finally:
            connection.close()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + STOP_TIMEOUT_S)
    assert not any(worker.is_alive() for worker in workers), "a client hung"
    return load


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    """Poll ``condition`` until it holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.2)


@dataclass
class LoggedRequest:
    """One request as the log holds it, with its houses by row."""

    model_version: str
    plan_sha256: str
    warnings: list[str]
    rows: dict[int, tuple[dict[str, Any], float | None, str | None]]


def read_log(url: str) -> dict[str, LoggedRequest]:
    """Every logged request by its id: ``prediction_requests`` and ``predictions``.

    One query (a join), so one snapshot of both tables while the server writes.
    """
    query = select(PredictionRequest, Prediction).outerjoin(
        Prediction, Prediction.request_id == PredictionRequest.request_id
    )
    logged: dict[str, LoggedRequest] = {}
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            found: list[tuple[PredictionRequest, Prediction | None]] = [
                (request, row) for request, row in session.execute(query)
            ]
            for request, row in found:
                entry = logged.setdefault(
                    request.request_id,
                    LoggedRequest(
                        request.model_version, request.plan_sha256, request.warnings, {}
                    ),
                )
                if row is not None:
                    entry.rows[row.row] = (row.inputs, row.price, row.error)
    finally:
        engine.dispose()
    return logged


def mismatches(
    load: Load, logged: dict[str, LoggedRequest], plan_sha256: str
) -> list[str]:
    """Every way the log differs from what the clients received, one line each.

    A logged request has the answer's model version and warnings and the served
    plan's SHA-256, and one row per house sent: its inputs as sent, the price
    answered (exactly), and an error where, and only where, the answer had no price.
    """
    found = []
    for answer in load.answered:
        request = logged.get(answer.request_id)
        if request is None:
            found.append(f"{answer.request_id}: not logged")
            continue
        model = (request.model_version, request.plan_sha256, request.warnings)
        if model != (answer.version, plan_sha256, answer.warnings):
            found.append(f"{answer.request_id}: model and warnings {model}")
        if sorted(request.rows) != list(range(len(answer.rows))):
            found.append(f"{answer.request_id}: rows {sorted(request.rows)}")
            continue
        for number, (sent, price) in enumerate(
            zip(answer.rows, answer.prices, strict=True)
        ):
            inputs, logged_price, error = request.rows[number]
            if inputs != sent:
                found.append(f"{answer.request_id} row {number}: other inputs")
            if (logged_price, error is None) != (price, price is not None):
                found.append(
                    f"{answer.request_id} row {number}: {logged_price!r} "
                    f"(error {error!r}) logged, {price!r} answered"
                )
    return found
