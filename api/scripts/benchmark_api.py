"""Time ``POST /api/v1/predict`` against the same schema pricing nothing, in one run.

Starts one uvicorn on 127.0.0.1 (1 worker) serving the API plus one route that only
this script mounts, ``POST /api/v1/schema-only``: the same body, the same limits, each
row validated by the same schema (``HouseRow``), and no price. That route is what
the framework and the schema cost on this machine; the gap to ``/predict`` is what
pricing costs. The two are measured interleaved, round after round, so a busy
machine slows both alike:

- one house, one client in sequence: p50, p99;
- one house, 8 concurrent clients: requests/s, p99;

then ``GET /api/v1/health`` (p50, p99) while 4 clients post 1000-row ``/explain``
batches of test.csv: does the event loop stay free while batches are priced?
Every loop is bounded (requests and seconds); the server is stopped by its pid. A
measurement to read, not a test: nothing is asserted.

    .venv/bin/python api/scripts/benchmark_api.py [--requests 1000] [--rounds 3]

With ``--url`` (repeated), it starts no server: it times ``POST /api/v1/predict`` on
servers already running (say ``python -m app.server --workers 1`` on one port and
``--workers 2`` on another), interleaved round after round, and prints requests/s,
p50 and p99 for each::

    .venv/bin/python api/scripts/benchmark_api.py --url http://127.0.0.1:8001 \
        --url http://127.0.0.1:8002 [--clients 8] [--requests 1000] [--rounds 3]

``benchmark_metrics.py`` compares this way the API with its metrics on and off.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
from app.api.deps import BatchDep
from app.main import create_app
from app.schemas.examples import TEST_CSV_FIRST_ROW
from app.schemas.predict import HouseRow
from fastapi import FastAPI

SCRIPTS_DIR = Path(__file__).resolve().parent
TEST_CSV = SCRIPTS_DIR.parents[1] / "data" / "test.csv"
BODY = {"inputs": [TEST_CSV_FIRST_ROW]}
ROUTES = {"/predict": "/api/v1/predict", "schema only": "/api/v1/schema-only"}
WARM_UP_REQUESTS = 50
START_TIMEOUT_S = 60
BATCH_CLIENTS, BATCH_ROWS = 4, 1000
HEALTH_PERIOD_S = 0.02


def schema_only(body: BatchDep) -> dict[str, int]:
    """Validate every row with the API's schema, as pricing does, and price nothing."""
    return {"rows": len([HouseRow.model_validate(row) for row in body.inputs])}


def benchmark_app() -> FastAPI:
    """The API, plus the schema-only route (uvicorn ``--factory`` target)."""
    app = create_app()
    app.add_api_route("/api/v1/schema-only", schema_only, methods=["POST"])
    return app


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def start_server(
    target: str,
    app_dir: Path,
    workers: int,
    port: int,
    *,
    options: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Run uvicorn serving ``target`` and wait until ``/api/v1/health`` answers."""
    command = [
        sys.executable, "-m", "uvicorn", target, "--app-dir", str(app_dir),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log", *options,
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn serving {target} exited: {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").is_success:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"uvicorn serving {target} did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server this script started (its pid), waiting a bounded time."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def timed_requests(url: str, count: int) -> tuple[list[float], int]:
    """Send ``count`` one-house requests on one connection: latencies, errors."""
    latencies, errors = [], 0
    with httpx.Client(timeout=30) as client:
        for _ in range(count):
            start = time.perf_counter()
            response = client.post(url, json=BODY)
            latencies.append(time.perf_counter() - start)
            errors += not response.is_success
    return latencies, errors


def concurrent_requests(
    url: str, count: int, clients: int
) -> tuple[list[float], float]:
    """``count`` one-house requests shared by ``clients``: latencies, requests/s."""
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        runs = list(
            pool.map(timed_requests, [url] * clients, [count // clients] * clients)
        )
    elapsed = time.perf_counter() - start
    latencies = [latency for found, _ in runs for latency in found]
    return latencies, len(latencies) / elapsed


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def post_batches(url: str, body: bytes, seconds: float, done: Any) -> None:
    """Post ``body`` to ``url`` from BATCH_CLIENTS threads for ``seconds``; put the
    number of answered batches on ``done``.

    Runs in a process of its own: the load's threads then never compete with the
    client that times ``/health`` for this process's GIL.
    """
    deadline = time.monotonic() + seconds
    answered: list[int] = []

    def post() -> None:
        headers = {"content-type": "application/json"}
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < deadline:
                client.post(url, content=body, headers=headers).raise_for_status()
                answered.append(1)

    threads = [threading.Thread(target=post) for _ in range(BATCH_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    done.put(len(answered))


def health_latencies(base: str, seconds: float) -> list[float]:
    """``GET /health`` every HEALTH_PERIOD_S for ``seconds``: the latencies."""
    deadline = time.monotonic() + seconds
    health: list[float] = []
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            client.get(f"{base}/api/v1/health").raise_for_status()
            health.append(time.perf_counter() - start)
            time.sleep(HEALTH_PERIOD_S)
    return health


def health_under_batches(base: str, seconds: float) -> dict[str, float]:
    """``/health`` latencies alone, then while 4 clients post 1000-row ``/explain``
    batches (from another process, the body encoded once)."""
    frame = pd.read_csv(TEST_CSV).head(BATCH_ROWS).astype(object)
    rows = frame.where(frame.notna(), None).to_dict(orient="records")
    body = json.dumps({"inputs": rows}).encode()
    idle = health_latencies(base, min(seconds, 3.0))
    context = multiprocessing.get_context("spawn")
    done = context.Queue()
    load = context.Process(
        target=post_batches, args=(f"{base}/api/v1/explain", body, seconds, done)
    )
    load.start()
    try:
        time.sleep(1.0)  # the load process starts and sends its first batches
        busy = health_latencies(base, seconds - 1.0)
        batches = done.get(timeout=seconds + 120)
    finally:
        load.join(timeout=10)
        if load.is_alive():
            load.kill()
    return {
        "idle p50": quantile(idle, 50),
        "idle p99": quantile(idle, 99),
        "p50": quantile(busy, 50),
        "p99": quantile(busy, 99),
        "batches/s": batches / seconds,
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def compare_servers(
    servers: dict[str, str], requests: int, rounds: int, clients: int
) -> dict[str, float]:
    """``/predict`` on running servers (name -> url), interleaved: requests/s, p50,
    p99 for each, printed; each one's median requests/s, returned."""
    latencies: dict[str, list[float]] = {name: [] for name in servers}
    throughput: dict[str, list[float]] = {name: [] for name in servers}
    for url in servers.values():
        timed_requests(url + ROUTES["/predict"], WARM_UP_REQUESTS)
    for round_ in range(rounds):  # interleaved, each round in the other order
        order = list(servers.items())
        for name, url in order if round_ % 2 == 0 else order[::-1]:
            found, per_second = concurrent_requests(
                url + ROUTES["/predict"], requests // rounds, clients
            )
            latencies[name] += found
            throughput[name].append(per_second)
    print(f"| server | {clients} clients: req/s | p50 | p99 |")
    print("|---|---|---|---|")
    for name, found in latencies.items():
        print(
            f"| {name} | {statistics.median(throughput[name]):,.0f} | "
            f"{ms(quantile(found, 50))} | {ms(quantile(found, 99))} |"
        )
    return {name: statistics.median(rates) for name, rates in throughput.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=1000, choices=range(8, 20001), metavar="N"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, choices=range(1, 11), metavar="N"
    )
    parser.add_argument(
        "--clients", type=int, default=8, choices=range(1, 65), metavar="N"
    )
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument(
        "--url",
        action="append",
        default=[],
        help="a running server to time /predict on (repeat to compare servers)",
    )
    args = parser.parse_args()
    if args.url:
        servers = {url.rstrip("/"): url.rstrip("/") for url in args.url}
        compare_servers(servers, args.requests, args.rounds, args.clients)
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(
        "benchmark_api:benchmark_app", SCRIPTS_DIR, 1, port, options=["--factory"]
    )
    sequential: dict[str, list[float]] = {name: [] for name in ROUTES}
    concurrent: dict[str, list[float]] = {name: [] for name in ROUTES}
    throughput: dict[str, list[float]] = {name: [] for name in ROUTES}
    errors = dict.fromkeys(ROUTES, 0)
    try:
        for path in ROUTES.values():
            timed_requests(base + path, WARM_UP_REQUESTS)
        share = args.requests // args.rounds
        for _ in range(args.rounds):  # interleaved: both routes in every round
            for name, path in ROUTES.items():
                latencies, failed = timed_requests(base + path, share)
                sequential[name] += latencies
                errors[name] += failed
                latencies, per_second = concurrent_requests(
                    base + path, share, args.clients
                )
                concurrent[name] += latencies
                throughput[name].append(per_second)
        health = health_under_batches(base, args.seconds)
    finally:
        stop(server)
    print(
        f"| route | 1 client: p50 / p99 | {args.clients} clients: req/s, p99 | errors |"
    )
    print("|---|---|---|---|")
    for name in ROUTES:
        print(
            f"| {name} | {ms(quantile(sequential[name], 50))} / "
            f"{ms(quantile(sequential[name], 99))} | "
            f"{statistics.median(throughput[name]):,.0f} req/s, "
            f"{ms(quantile(concurrent[name], 99))} | {errors[name]} |"
        )
    predict, schema = "/predict", "schema only"
    p50 = quantile(sequential[predict], 50) / quantile(sequential[schema], 50)
    rate = statistics.median(throughput[predict]) / statistics.median(
        throughput[schema]
    )
    print(
        f"\n/predict against schema only: one house p50 {p50:.2f}x, "
        f"{args.clients}-client throughput {rate:.2f}x"
    )
    print(
        f"/health while {BATCH_CLIENTS} clients post {BATCH_ROWS}-row /explain "
        f"batches ({health['batches/s']:.1f} batches/s): p50 {ms(health['p50'])}, "
        f"p99 {ms(health['p99'])} (idle: p50 {ms(health['idle p50'])}, "
        f"p99 {ms(health['idle p99'])})"
    )


if __name__ == "__main__":
    main()
