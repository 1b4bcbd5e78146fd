"""``async def`` or ``def`` for a CPU-bound route? Measured, not argued.

The same pricing route is served two ways by uvicorn (1 worker, 127.0.0.1):

- ``def``: FastAPI runs the handler in its thread pool, so the event loop stays free
  to accept connections and answer other requests while a batch is priced;
- ``async def``: the handler runs *on* the event loop; pricing never awaits anything,
  so while it runs the loop can do nothing else.

Against each, 4 clients post batches of test.csv rows in a loop (the CPU-bound load)
while one more client asks ``GET /api/v1/health`` every 20 ms (what a load balancer or a
one-house user does). The script prints the batches priced per second and the health
check's p50/p99 latency under that load. A measurement to read, not a test.

    .venv/bin/python api/scripts/benchmark_async.py [--seconds 8] [--rows 500]

It serves the package's trained model (``make run-package`` first) or ``--trained-dir``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import benchmark_api  # this folder's API benchmark: its server start
import httpx
import pandas as pd
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[2]
TEST_CSV = ROOT / "data" / "test.csv"
START_TIMEOUT_S = 60
LOAD_CLIENTS = 4
LABELS = {"def": "def", "async": "async def"}
HEALTH_PERIOD_S = 0.02


def build_app(mode: str) -> FastAPI:
    """The pricing route as ``def`` (mode "def") or ``async def`` (mode "async")."""
    from regression_model.predict import load_model, make_prediction

    trained_dir = os.environ.get("BENCHMARK_TRAINED_DIR") or None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.model = load_model(Path(trained_dir) if trained_dir else None)
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/api/v1/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    if mode == "def":

        @app.post("/price")
        def price_in_thread_pool(rows: list[dict[str, Any]]) -> dict[str, int]:
            result = make_prediction(rows, model=app.state.model)
            return {"priced": len(result["predictions"])}

    else:

        @app.post("/price")
        async def price_on_the_event_loop(rows: list[dict[str, Any]]) -> dict[str, int]:
            result = make_prediction(rows, model=app.state.model)
            return {"priced": len(result["predictions"])}

    return app


def start_server(mode: str, port: int, trained_dir: str) -> subprocess.Popen[bytes]:
    """Serve ``build_app(mode)`` with uvicorn in a subprocess; wait until healthy."""
    return benchmark_api.start_server(
        f"benchmark_async:{mode.upper()}_APP",
        Path(__file__).resolve().parent,
        1,
        port,
        options=["--factory"],
        env={**os.environ, "BENCHMARK_TRAINED_DIR": trained_dir},
    )


def DEF_APP() -> FastAPI:  # noqa: N802 - uvicorn --factory target
    return build_app("def")


def ASYNC_APP() -> FastAPI:  # noqa: N802 - uvicorn --factory target
    return build_app("async")


def measure(url: str, body: bytes, seconds: float) -> dict[str, float]:
    """Load the pricing route from 4 clients; time health checks meanwhile."""
    stop = time.monotonic() + seconds
    batches = [0] * LOAD_CLIENTS
    errors = [0] * (LOAD_CLIENTS + 1)

    def load(index: int) -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                response = client.post(
                    f"{url}/price",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                batches[index] += response.is_success
                errors[index] += not response.is_success

    health: list[float] = []

    def probe() -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                start = time.perf_counter()
                response = client.get(f"{url}/api/v1/health")
                health.append(time.perf_counter() - start)
                errors[-1] += not response.is_success
                time.sleep(HEALTH_PERIOD_S)

    threads = [threading.Thread(target=load, args=(i,)) for i in range(LOAD_CLIENTS)]
    threads.append(threading.Thread(target=probe))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(health, n=100)
    return {
        "batches_per_s": sum(batches) / seconds,
        "health_p50_ms": cuts[49] * 1000,
        "health_p99_ms": cuts[98] * 1000,
        "health_checks": len(health),
        "errors": sum(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument(
        "--rows", type=int, default=500, choices=range(1, 1001), metavar="N"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, choices=range(1, 11), metavar="N"
    )
    parser.add_argument("--trained-dir", default="")
    args = parser.parse_args()
    frame = pd.read_csv(TEST_CSV).head(args.rows)
    body = frame.to_json(orient="records").encode()
    json.loads(body)  # a valid JSON list of rows
    results: dict[str, list[dict[str, float]]] = {"def": [], "async": []}
    for _ in range(args.rounds):  # interleaved: the machine's load hits both alike
        for mode in results:
            port = benchmark_api.free_port()
            server = start_server(mode, port, args.trained_dir)
            try:
                url = f"http://127.0.0.1:{port}"
                measure(url, body, 1.0)  # warm-up
                results[mode].append(measure(url, body, args.seconds))
            finally:
                server.terminate()
                server.wait(timeout=30)
    print(
        f"{LOAD_CLIENTS} clients posting {args.rows}-row batches for {args.seconds} s"
    )
    print("while 1 client checks GET /api/v1/health every 20 ms; medians:")
    print(
        f"{'route':<12}{'batches/s':>10}{'health p50':>12}{'health p99':>12}{'err':>5}"
    )
    for mode, runs in results.items():
        row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"{LABELS[mode]:<12}{row['batches_per_s']:>10.1f}"
            f"{row['health_p50_ms']:>10.1f}ms{row['health_p99_ms']:>10.1f}ms"
            f"{row['errors']:>5.0f}"
        )


if __name__ == "__main__":
    main()
