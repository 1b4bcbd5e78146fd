"""Slow and hostile clients against the server as ``make serve`` runs it.

``python -m app.server`` (the command of ``make serve``, the image and the Procfile)
runs here on 127.0.0.1 with short limits, so each case takes seconds: headers and
bodies trickled byte by byte time out with ``408``, a flood of silent sockets cannot
stop ``/health`` from answering, a request with both ``Content-Length`` and
``Transfer-Encoding`` is refused with ``400`` and its connection closed, and SIGTERM
ends the server within its grace period after answering the request it had.
Every socket has a timeout and every loop a bound.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.parity.stages import free_port

HEADER_TIMEOUT_S = 1
BODY_TIMEOUT_S = 2
# The server's open-file limit: its connection cap is this minus the 64 files it
# keeps for itself.
OPEN_FILES = 160
ROW = b'{"inputs": [{"OverallQual": 7, "GrLivArea": 1800}]}'


class Server:
    """A ``python -m app.server`` process on 127.0.0.1 (stopped by its pid)."""

    def __init__(self, trained_dir: Path, **settings: object) -> None:
        self.port = free_port()
        env = {**os.environ, "HOUSE_PRICES_API_TRAINED_DIR": str(trained_dir)}
        env |= {f"HOUSE_PRICES_API_{k.upper()}": str(v) for k, v in settings.items()}
        command = [sys.executable, "-m", "app.server", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            cwd=os.sep,
            env=env,
            preexec_fn=lambda: resource.setrlimit(
                resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES)
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while self.health() != 200:
            assert self.process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not answer in 60 s"
            time.sleep(0.2)

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return sock

    def health(self) -> int | None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/api/v1/health")
            return connection.getresponse().status
        except OSError:
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(package_trained_dir: Path) -> Iterator[Server]:
    """One server with short timeouts for the whole module."""
    running = Server(
        package_trained_dir,
        header_timeout_seconds=HEADER_TIMEOUT_S,
        body_timeout_seconds=BODY_TIMEOUT_S,
    )
    try:
        yield running
    finally:
        running.stop()


def read_until_closed(sock: socket.socket, limit_s: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (at most limit_s)."""
    sock.settimeout(limit_s)
    received = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            received += chunk
    return received


def trickle(sock: socket.socket, data: bytes, pause_s: float) -> bytes:
    """Send ``data`` one byte per ``pause_s``; the answer if the server cut in first."""
    sock.settimeout(pause_s)
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        with contextlib.suppress(TimeoutError):
            if answer := sock.recv(65536):
                return answer + read_until_closed(sock)
    return read_until_closed(sock)


def test_headers_trickled_byte_by_byte_get_408_and_the_connection_closed(
    server: Server,
) -> None:
    # Given a client sending a request's headers one byte every 0.1 s (6 s in all)
    headers = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: y\r\n" * 2
    with server.connect() as sock:
        # When it trickles them
        answer = trickle(sock, headers + b"\r\n", pause_s=0.1)

    # Then the server answered 408 and closed the connection before the headers ended
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"connection: close" in answer
    assert server.health() == 200


def test_a_silent_connection_is_closed_after_the_header_timeout(
    server: Server,
) -> None:
    # Given a client that connects and sends nothing
    with server.connect() as sock:
        # When it waits for the server
        answer = read_until_closed(sock, limit_s=HEADER_TIMEOUT_S + 9)

    # Then the server answered 408 and closed the connection
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_body_that_stops_halfway_gets_408_and_the_connection_closed(
    server: Server,
) -> None:
    # Given a request whose headers promise 1,000 bytes and whose body stops at 10
    head = b"POST /api/v1/predict HTTP/1.1\r\nHost: x\r\n"
    head += b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    with server.connect() as sock:
        sock.sendall(head + ROW[:10])
        # When the client waits
        answer = read_until_closed(sock, limit_s=BODY_TIMEOUT_S + 8)

    # Then the server answered 408 and closed the connection
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert server.health() == 200


def test_content_length_with_transfer_encoding_gets_400_and_a_closed_connection(
    server: Server,
) -> None:
    # Given a request with both Content-Length and Transfer-Encoding (smuggling)
    request = b"POST /api/v1/predict HTTP/1.1\r\nHost: x\r\n"
    request += b"Content-Type: application/json\r\nContent-Length: 4\r\n"
    request += b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    with server.connect() as sock:
        # When it is sent
        sock.sendall(request)
        answer = read_until_closed(sock)

    # Then the server refused it and closed the connection (read_until_closed ended)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"connection: close" in answer


def test_more_silent_sockets_than_open_files_do_not_stop_health(
    server: Server,
) -> None:
    # Given twice as many silent connections as the server may have open files
    flood = []
    try:
        for _ in range(2 * OPEN_FILES):
            flood.append(server.connect())
        # When a client asks for /health
        status = server.health()
    finally:
        for sock in flood:
            sock.close()

    # Then it is answered: the oldest idle connections made room
    assert status == 200


def test_sigterm_answers_the_request_it_had_and_exits_within_the_grace(
    package_trained_dir: Path,
) -> None:
    # Given a server with a 2 s grace, one request half sent and one client that
    # will never finish its body
    running = Server(package_trained_dir, shutdown_grace_seconds=2)
    head = b"POST /api/v1/predict HTTP/1.1\r\nHost: x\r\n"
    head += b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    finishing, stalled = running.connect(), running.connect()
    try:
        finishing.sendall(head % len(ROW) + ROW[:10])
        stalled.sendall(head % 1000 + ROW[:10])
        time.sleep(0.5)  # both requests are in (not a timing assertion)

        # When it gets SIGTERM and the first client then sends the rest of its body
        running.process.send_signal(signal.SIGTERM)
        finishing.sendall(ROW[10:])
        answer = read_until_closed(finishing)

        # Then that request is answered, and the server exits within its grace
        # (bounded here at 15 s); after its clean shutdown uvicorn re-raises the
        # signal it caught, so the exit status is SIGTERM's
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b'"predictions":[' in answer
        assert running.process.wait(timeout=15) == -signal.SIGTERM
    finally:
        for sock in (finishing, stalled):
            sock.close()
        running.stop()


def test_when_every_connection_is_busy_a_new_one_gets_503(
    package_trained_dir: Path,
) -> None:
    # Given a server capped at 3 connections, all three in the middle of a body
    running = Server(package_trained_dir, max_connections=3)
    head = b"POST /api/v1/predict HTTP/1.1\r\nHost: x\r\n"
    head += b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    busy = [running.connect() for _ in range(3)]
    try:
        for sock in busy:
            sock.sendall(head + ROW[:10])
        time.sleep(0.5)  # the three bodies are in (not a timing assertion)

        # When a fourth client connects
        with running.connect() as fourth:
            answer = read_until_closed(fourth)

        # Then it is refused with 503 at once, and the busy ones are kept
        assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        for sock in busy:
            sock.settimeout(0.2)
            with pytest.raises(TimeoutError):
                sock.recv(1)
    finally:
        for sock in busy:
            sock.close()
        running.stop()
