"""SIGTERM turns a replica unready first, then it shuts down.

``python -m app.server`` runs here on 127.0.0.1, as ``make serve``, the image and the
formation's replicas run it. On its first SIGTERM ``/api/v1/health/ready`` answers
``503`` at once while ``/health`` and ``/predict`` are still served (a router that
checks ``/ready`` stops sending it requests before it stops accepting them); after
``drain_seconds`` uvicorn's graceful shutdown runs and the process exits. A second
SIGTERM ends the drain at once. Every wait has a bound.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.parity.stages import free_port

ROW = b'{"inputs": [{"OverallQual": 7, "GrLivArea": 1800}]}'
START_TIMEOUT_S = 60
# Long enough for the checks below on a loaded machine, short enough for the suite.
DRAIN_S = 6
# After the drain: the shutdown grace (default 10 s) and slack.
EXIT_TIMEOUT_S = DRAIN_S + 20


class Server:
    """A ``python -m app.server`` process on 127.0.0.1 (stopped by its pid)."""

    def __init__(self, trained_dir: Path, drain_seconds: float) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "HOUSE_PRICES_API_TRAINED_DIR": str(trained_dir),
            "HOUSE_PRICES_API_DRAIN_SECONDS": str(drain_seconds),
        }
        command = [sys.executable, "-m", "app.server", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            cwd=os.sep,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.status("GET", "/api/v1/health/ready") != 200:
            assert self.process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server was not ready in 60 s"
            time.sleep(0.2)

    def request(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            headers = {"Content-Type": "application/json"} if body else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def status(self, method: str, path: str) -> int | None:
        try:
            return self.request(method, path)[0]
        except OSError:
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def serving(package_trained_dir: Path) -> Iterator[Server]:
    """A server with a drain of ``DRAIN_S`` seconds, killed after the test if alive."""
    running = Server(package_trained_dir, drain_seconds=DRAIN_S)
    try:
        yield running
    finally:
        running.stop()


def wait_until_unready(server: Server, limit_s: float = 5) -> int | None:
    """``/ready``'s status once it is no longer 200 (or the last one, after limit_s)."""
    deadline = time.monotonic() + limit_s
    status = server.status("GET", "/api/v1/health/ready")
    while status == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
        status = server.status("GET", "/api/v1/health/ready")
    return status


def test_sigterm_turns_ready_503_while_health_and_predict_still_answer(
    serving: Server,
) -> None:
    # Given a ready server
    # When it gets SIGTERM
    serving.process.send_signal(signal.SIGTERM)

    # Then /ready answers 503 "draining" while /health and a price are still served
    assert wait_until_unready(serving) == 503
    status, body = serving.request("GET", "/api/v1/health/ready")
    assert (status, body) == (503, b'{"status":"draining"}')
    assert serving.status("GET", "/api/v1/health") == 200
    status, body = serving.request("POST", "/api/v1/predict", ROW)
    assert status == 200
    assert body.startswith(b'{"predictions":[')
    # ... and after the drain the server shuts down: uvicorn re-raises the SIGTERM
    # it caught after its clean shutdown, so the exit status is SIGTERM's
    assert serving.process.wait(timeout=EXIT_TIMEOUT_S) == -signal.SIGTERM


def test_a_second_sigterm_ends_the_drain_at_once(package_trained_dir: Path) -> None:
    # Given a server with a drain far longer than the wait below, draining
    running = Server(package_trained_dir, drain_seconds=600)
    try:
        running.process.send_signal(signal.SIGTERM)
        assert wait_until_unready(running) == 503

        # When it gets a second SIGTERM
        running.process.send_signal(signal.SIGTERM)

        # Then it shuts down without waiting out its 600 s drain
        assert running.process.wait(timeout=EXIT_TIMEOUT_S) == -signal.SIGTERM
    finally:
        running.stop()
