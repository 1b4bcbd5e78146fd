"""Measure single-row ``POST /api/v1/predict`` over loopback: p50/p99 latency, req/s.

Starts uvicorn on 127.0.0.1 with 1, then 2 worker processes, sends a bounded number
of one-row requests from a few concurrent clients, prints one line per run, and
stops the server. A measurement to read, not a test: nothing is asserted.

    .venv/bin/python api/scripts/benchmark_api.py [--requests 500] [--clients 2]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

API_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(API_DIR))  # so `app` imports from any working directory

from app.schemas.examples import TEST_CSV_FIRST_ROW  # noqa: E402

BODY = {"inputs": [TEST_CSV_FIRST_ROW]}
WARM_UP_REQUESTS = 20
START_TIMEOUT_S = 60


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def start_server(workers: int, port: int) -> subprocess.Popen[bytes]:
    """Run uvicorn with ``workers`` processes and wait until it is healthy."""
    command = [
        sys.executable, "-m", "uvicorn", "app.main:app", "--app-dir", str(API_DIR),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").is_success:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"uvicorn with {workers} worker(s) did not start")


def timed_requests(url: str, count: int) -> list[float]:
    """Send ``count`` one-row requests on one connection; return their latencies."""
    latencies = []
    with httpx.Client() as client:
        for _ in range(count):
            start = time.perf_counter()
            client.post(url, json=BODY).raise_for_status()
            latencies.append(time.perf_counter() - start)
    return latencies


def benchmark(workers: int, requests: int, clients: int) -> str:
    """One run: start the server, warm it up, measure, stop it; a line to print."""
    port = free_port()
    server = start_server(workers, port)
    url = f"http://127.0.0.1:{port}/api/v1/predict"
    try:
        timed_requests(url, WARM_UP_REQUESTS)
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            shares = [requests // clients] * clients
            runs = pool.map(timed_requests, [url] * clients, shares)
            latencies = [latency for run in runs for latency in run]
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"{workers} worker(s), {clients} clients, {len(latencies)} requests: "
        f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
        f"{len(latencies) / elapsed:.0f} requests/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    for workers in (1, 2):
        print(benchmark(workers, args.requests, args.clients), flush=True)


if __name__ == "__main__":
    main()
