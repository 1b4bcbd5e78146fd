"""The guarded HTTP protocol: TCP_NODELAY on every accepted socket, a cap that fits."""

from __future__ import annotations

import asyncio
import resource
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from app.core import connections
from uvicorn.server import ServerState


class SocketTransport(asyncio.Transport):
    """The least of a transport the protocol needs, around a real socket."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self.sock = sock
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {
            "socket": self.sock,
            "sockname": self.sock.getsockname(),
            "peername": self.sock.getpeername(),
        }.get(name, default)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def write(self, data: bytes | bytearray | memoryview[int]) -> None:
        pass


async def asgi_app(scope: Any, receive: Any, send: Any) -> None:  # never called
    raise AssertionError("no request in these tests")


@pytest.fixture
def accepted() -> Iterator[socket.socket]:
    """A TCP socket accepted on 127.0.0.1 from a listener without TCP_NODELAY."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        with socket.create_connection(listener.getsockname()):
            sock, _ = listener.accept()
            with sock:
                yield sock


def test_an_accepted_socket_gets_tcp_nodelay(accepted: socket.socket) -> None:
    # Given a socket accepted without TCP_NODELAY (as a uvicorn worker's are)
    assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    config = uvicorn.Config(asgi_app, http=connections.GuardedHttpToolsProtocol)
    config.load()
    loop = asyncio.new_event_loop()
    try:
        protocol = connections.GuardedHttpToolsProtocol(
            config=config, server_state=ServerState(), app_state={}, _loop=loop
        )

        # When the protocol takes the connection
        protocol.connection_made(SocketTransport(accepted))

        # Then the socket sends small answers at once (no delayed-ACK wait)
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        protocol.connection_lost(None)
    finally:
        loop.close()


def test_the_connection_cap_stays_below_the_open_file_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a process allowed 200 open files and settings allowing 1000 connections
    monkeypatch.setattr(resource, "getrlimit", lambda _: (200, 4096))
    connections.connection_cap.cache_clear()
    try:
        # When the cap is computed
        cap = connections.connection_cap()
    finally:
        connections.connection_cap.cache_clear()

    # Then it leaves the server its reserve of files
    assert cap == 200 - connections.RESERVED_FILES
