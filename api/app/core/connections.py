"""Connections that cannot be held hostage: deadlines, a cap, no delayed ACKs.

uvicorn reads a request with :class:`~uvicorn.protocols.http.httptools_impl.
HttpToolsProtocol` (the C parser llhttp, which already refuses a request with both
``Content-Length`` and ``Transfer-Encoding`` with ``400`` and closes the connection).
What uvicorn leaves open, this subclass closes:

- **slow headers**: a new connection, or a request whose line and headers trickle in
  byte by byte, has ``header_timeout_seconds`` to finish them (uvicorn's keep-alive
  timer restarts at every byte, so one byte every few seconds held a socket forever);
- **slow bodies**: once its headers are in, a request has ``body_timeout_seconds``
  to send its whole body;
- **too many connections**: at ``max_connections`` (kept below the process's
  open-file limit, so the server never runs out of sockets) the oldest connection
  that is not in a request is closed to make room; when all are busy, the new one
  gets ``503``. A client that opens hundreds of silent sockets cannot stop ``/health``
  from answering;
- **delayed ACKs**: every accepted socket gets ``TCP_NODELAY``. uvicorn sets it on
  the listening socket only, which is inherited by accepted sockets with one worker
  but not with ``--workers N`` (Kludex/uvicorn#3149: each keep-alive answer then
  waits ~40 ms for the client's delayed ACK).

A timed-out request gets ``408 Request Timeout`` (if nothing was answered yet) and its
connection is closed; the application sees a client that left.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import resource
import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.config import Settings

logger = logging.getLogger("uvicorn.error")

# Open files a server process needs besides its connections (Python, the model's
# files, logs, the event loop): the cap stays this far below the open-file limit.
RESERVED_FILES = 64


@functools.cache
def limits() -> Settings:
    """The server's limits, read once per process from the environment."""
    return Settings()


@functools.cache
def connection_cap() -> int:
    """``max_connections``, lowered to fit this process's open-file limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return limits().max_connections
    return max(1, min(limits().max_connections, soft - RESERVED_FILES))


def _answer(status: bytes, transport: asyncio.Transport) -> None:
    """Write a bodiless answer that closes the connection, then close it."""
    transport.write(
        b"HTTP/1.1 " + status + b"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )
    transport.close()


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines, a connection cap and TCP_NODELAY."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline: asyncio.TimerHandle | None = None
        self.in_request = False
        self.accepted_at = 0.0

    # --- the connection -------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.accepted_at = self.loop.time()
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if len(self.connections) > connection_cap() and not self.make_room():
            logger.warning("Connection cap (%d) reached: 503", connection_cap())
            _answer(b"503 Service Unavailable", transport)
            return
        self.arm(limits().header_timeout_seconds, "headers")

    def make_room(self) -> bool:
        """Close the oldest connection that is not in a request; ``False`` if none."""
        idle = [
            connection
            for connection in self.connections
            if isinstance(connection, GuardedHttpToolsProtocol)
            and connection is not self
            and not connection.in_request
        ]
        if not idle:
            return False
        oldest = min(idle, key=lambda connection: connection.accepted_at)
        oldest.expire("a newer connection needed its socket")
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        super().connection_lost(exc)

    # --- deadlines ------------------------------------------------------------
    def arm(self, seconds: float, part: str) -> None:
        self.disarm()
        self.deadline = self.loop.call_later(
            seconds, self.expire, f"the request's {part} took over {seconds:g} s"
        )

    def disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def expire(self, why: str) -> None:
        """Close the connection: ``408`` first if nothing was answered on it yet."""
        self.disarm()
        if self.transport.is_closing():
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        logger.warning("Closed the connection of %s: %s", client, why)
        if self.cycle is None or not self.cycle.response_started:
            _answer(b"408 Request Timeout", self.transport)
        else:
            self.transport.close()

    # --- the parser's callbacks -----------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.deadline is None:  # a keep-alive connection's next request
            self.arm(limits().header_timeout_seconds, "headers")

    def on_headers_complete(self) -> None:
        self.in_request = True
        self.arm(limits().body_timeout_seconds, "body")
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # A pipelined request may have started in super(): it is in a request.
        self.in_request = self.cycle is not None and not self.cycle.response_complete
