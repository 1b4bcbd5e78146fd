"""Run the API behind uvicorn with its limits: ``python -m app.server``.

``make serve``, the image and the Procfile all start the service this way, so they
share one set of limits (see :class:`app.core.config.Settings`, environment prefix
``HOUSE_PRICES_API_``)::

    python -m app.server --host 127.0.0.1 --port 8001 [--workers N]

What it adds to a bare ``uvicorn app.main:app``:

- the HTTP protocol of :mod:`app.core.connections`: slow headers and bodies time out
  (``408``), connections are capped, accepted sockets get ``TCP_NODELAY``;
- after SIGTERM (or Ctrl-C) the server stops accepting, answers the requests it
  has, and exits within ``shutdown_grace_seconds``;
- the number of worker processes is the ``--workers`` flag, 1 by default: never,
  by accident, the ``WEB_CONCURRENCY`` a PaaS sets for other servers.
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from app.core.config import Settings

APP = "app.main:app"
PROTOCOL = "app.core.connections:GuardedHttpToolsProtocol"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m app.server", description="Serve the House Prices API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8001, help="port to listen on")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (default 1)"
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    return args


def options(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """uvicorn's options: where to listen, how many workers, the limits."""
    return {
        "host": args.host,
        "port": args.port,
        "workers": args.workers,
        "http": PROTOCOL,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "timeout_graceful_shutdown": settings.shutdown_grace_seconds,
    }


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until SIGTERM or Ctrl-C."""
    uvicorn.run(APP, **options(parse_args(argv), Settings()))


if __name__ == "__main__":
    main()
