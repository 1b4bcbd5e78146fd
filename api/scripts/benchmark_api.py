"""Time one-house ``POST /api/v1/predict`` over loopback, and the framework ceiling.

Starts uvicorn on 127.0.0.1 (1 worker by default) serving the API, then serving a
trivial app whose only route parses the same request body (80 fields, the package's
schema) and prices nothing: that is the ceiling the framework allows on this machine.
Against each it sends a bounded number of one-house requests, first from one client
in sequence (p50, p99), then from 8 concurrent clients (requests/s, p99, errors), and
stops the server. A measurement to read, not a test: nothing is asserted.

    .venv/bin/python api/scripts/benchmark_api.py [--requests 1000] [--clients 8]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from fastapi import FastAPI

API_DIR = Path(__file__).resolve().parents[1]
SCRIPTS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(API_DIR))  # so `app` imports from any working directory

from app.schemas.examples import TEST_CSV_FIRST_ROW  # noqa: E402
from app.schemas.predict import PredictionRequest  # noqa: E402

BODY = {"inputs": [TEST_CSV_FIRST_ROW]}
WARM_UP_REQUESTS = 50
START_TIMEOUT_S = 60

# The ceiling: the same body parsed by the same schema, and nothing else.
TRIVIAL_APP = FastAPI()


@TRIVIAL_APP.get("/api/v1/health")
def trivial_health() -> dict[str, str]:
    return {"status": "ok"}


@TRIVIAL_APP.post("/api/v1/predict")
def trivial_predict(request: PredictionRequest) -> dict[str, int]:
    return {"rows": len(request.inputs)}


TARGETS = {
    "predict route (scoring plan)": ("app.main:app", API_DIR),
    "trivial route (parse only)": ("benchmark_api:TRIVIAL_APP", SCRIPTS_DIR),
}


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
    server.terminate()
    raise RuntimeError(f"uvicorn serving {target} did not start")


def timed_requests(url: str, count: int) -> tuple[list[float], int]:
    """Send ``count`` one-house requests on one connection: latencies, errors."""
    latencies, errors = [], 0
    with httpx.Client() as client:
        for _ in range(count):
            start = time.perf_counter()
            response = client.post(url, json=BODY)
            latencies.append(time.perf_counter() - start)
            errors += not response.is_success
    return latencies, errors


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def benchmark(target: str, app_dir: Path, args: argparse.Namespace) -> list[str]:
    """Start the server, warm it up, measure both ways, stop it; lines to print."""
    port = free_port()
    server = start_server(target, app_dir, args.workers, port)
    url = f"http://127.0.0.1:{port}/api/v1/predict"
    try:
        timed_requests(url, WARM_UP_REQUESTS)
        sequential, sequential_errors = timed_requests(url, args.requests)
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            share = args.requests // args.clients
            runs = list(
                pool.map(timed_requests, [url] * args.clients, [share] * args.clients)
            )
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    concurrent = [latency for latencies, _ in runs for latency in latencies]
    concurrent_errors = sum(errors for _, errors in runs)
    seq = statistics.quantiles(sequential, n=100)
    con = statistics.quantiles(concurrent, n=100)
    return [
        f"  1 client, {len(sequential)} requests in sequence: p50 {ms(seq[49])}, "
        f"p99 {ms(seq[98])}, {sequential_errors} errors",
        f"  {args.clients} clients, {len(concurrent)} requests: "
        f"{len(concurrent) / elapsed:.0f} requests/s, p50 {ms(con[49])}, "
        f"p99 {ms(con[98])}, {concurrent_errors} errors",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, choices=range(8, 20001))
    parser.add_argument("--clients", type=int, default=8, choices=range(1, 65))
    parser.add_argument("--workers", type=int, default=1, choices=range(1, 9))
    args = parser.parse_args()
    for label, (target, app_dir) in TARGETS.items():
        print(f"{label}, uvicorn with {args.workers} worker(s):", flush=True)
        for line in benchmark(target, app_dir, args):
            print(line, flush=True)


if __name__ == "__main__":
    main()
