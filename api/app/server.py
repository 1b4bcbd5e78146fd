"""Run the API behind uvicorn with its limits: ``python -m app.server``.

``make serve``, the image and the Procfile all start the service this way, so they
share one set of limits (see :class:`app.core.config.Settings`, environment prefix
``HOUSE_PRICES_API_``)::

    python -m app.server --host 127.0.0.1 --port 8001 [--workers N]

What it adds to a bare ``uvicorn app.main:app``:

- the HTTP protocol of :mod:`app.core.connections`: slow headers and bodies time out
  (``408``), connections are capped, accepted sockets get ``TCP_NODELAY``;
- a drain before the shutdown (:class:`DrainingServer`): on the first SIGTERM the
  replica turns unready (``/api/v1/health/ready`` answers ``503``) but keeps serving
  for ``drain_seconds``, so the router in front stops sending it requests; only then
  does it stop accepting, answer the requests it has, and exit within
  ``shutdown_grace_seconds``;
- the number of worker processes is the ``--workers`` flag, 1 by default: never,
  by accident, the ``WEB_CONCURRENCY`` a PaaS sets for other servers;
- with several workers, one set of metrics for them all (:func:`metrics_folder`):
  ``GET /metrics`` adds up every worker's counts, whichever worker answers.

Why drain first (beyond the course): a router learns that a replica is going away
only from its health checks. A replica that stopped accepting at once would refuse
every request the router sends it until the next failed checks (here: one check a
second, two failures), and each refused request is a failed request or a retry.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import multiprocess

from app.core.config import Settings
from app.core.lifecycle import replica
from app.core.metrics import MULTIPROCESS_ENV

APP = "app.main:app"
PROTOCOL = "app.core.connections:GuardedHttpToolsProtocol"

logger = logging.getLogger("uvicorn.error")


class DrainingServer(uvicorn.Server):
    """uvicorn's server, which answers its first SIGTERM with a drain.

    uvicorn calls :meth:`handle_exit` for SIGINT and SIGTERM; by default it starts
    the graceful shutdown at once. Here the first SIGTERM of a server that has
    started sets ``replica.draining`` and a deadline ``drain_seconds`` away; the main
    loop (:meth:`on_tick`, ten times a second) starts the shutdown when the deadline
    passes. A second SIGTERM, or SIGINT (Ctrl-C), starts it at once. uvicorn re-raises
    the signal after a clean shutdown, so the exit status is still SIGTERM's.

    Parameters
    ----------
    config : uvicorn.Config
    drain_seconds : float
        How long to keep serving, unready, before shutting down (``0``: no drain).
    """

    def __init__(self, config: uvicorn.Config, drain_seconds: float) -> None:
        super().__init__(config)
        self.drain_seconds = drain_seconds
        self.drain_ends: float | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        drain = sig == signal.SIGTERM and self.drain_seconds > 0 and self.started
        if drain and self.drain_ends is None and not self.should_exit:
            replica.draining = True
            self.drain_ends = time.monotonic() + self.drain_seconds
            logger.info(
                "SIGTERM: draining for %g s (ready answers 503), then shutting down",
                self.drain_seconds,
            )
            return
        self.drain_ends = None  # a second signal: no more waiting
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        if self.drain_ends is not None and time.monotonic() >= self.drain_ends:
            self.drain_ends = None
            super().handle_exit(signal.SIGTERM, None)
        return await super().on_tick(counter)


class DrainingProcess(multiprocess.Process):
    """One worker of ``--workers N``: uvicorn's worker process, serving with a
    :class:`DrainingServer`, so each worker drains on the SIGTERM its supervisor
    forwards."""

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            self._server = DrainingServer(self.config, Settings().drain_seconds)
        return self._server


class WatchedWorkers(multiprocess.Multiprocess):
    """uvicorn's supervisor, which tells prometheus-client when a worker is gone.

    A worker that exits (or is killed and replaced) leaves its values in the
    metrics folder: its counters still count, but its gauges (the model served,
    the drift figures) must stop being reported, so each pid that leaves the
    supervisor's list is marked dead.
    """

    def keep_subprocess_alive(self) -> None:
        before = {process.pid for process in self.processes}
        super().keep_subprocess_alive()
        self.forget_gone(before)

    def handle_signals(self) -> None:
        before = {process.pid for process in self.processes}
        super().handle_signals()  # SIGHUP restarts every worker
        self.forget_gone(before)

    def forget_gone(self, before: set[int | None]) -> None:
        from prometheus_client import multiprocess as prometheus_multiprocess

        for pid in before - {process.pid for process in self.processes}:
            if pid is not None:
                prometheus_multiprocess.mark_process_dead(pid)


@contextmanager
def metrics_folder(workers: int) -> Iterator[None]:
    """With several workers, a fresh folder for their metrics, removed at the end.

    Each worker counts in its own process; prometheus-client adds them up at a
    scrape from files every worker writes in ``PROMETHEUS_MULTIPROC_DIR``. The
    variable must be set before a worker imports prometheus-client, so it is set
    here, before any starts; the folder must start empty, so it is a new temporary
    one. One already set (an operator's choice) is used as it is, and kept.
    """
    if workers == 1 or os.environ.get(MULTIPROCESS_ENV):
        yield
        return
    folder = tempfile.mkdtemp(prefix="house-prices-metrics-")
    os.environ[MULTIPROCESS_ENV] = folder
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_ENV]
        shutil.rmtree(folder, ignore_errors=True)


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


def serve(config: uvicorn.Config, drain_seconds: float) -> None:
    """What ``uvicorn.run`` does, with servers that drain.

    With several workers, uvicorn's supervisor (``Multiprocess``) starts, watches
    and replaces them, and forwards SIGTERM to each. It builds every worker with the
    ``Process`` class of its module and has no option for another server class, so
    that name is pointed at :class:`DrainingProcess` first.
    """
    if config.workers > 1:
        multiprocess.Process = DrainingProcess  # type: ignore[misc]
        WatchedWorkers(config, sockets=[config.bind_socket()]).run()
        return
    server = DrainingServer(config, drain_seconds)
    try:
        server.run()
    except KeyboardInterrupt:  # Ctrl-C, re-raised by uvicorn after its shutdown
        pass
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until SIGTERM or Ctrl-C."""
    settings = Settings()
    args = parse_args(argv)
    config = uvicorn.Config(APP, **options(args, settings))
    with metrics_folder(args.workers if settings.metrics_enabled else 1):
        serve(config, settings.drain_seconds)


if __name__ == "__main__":
    main()
