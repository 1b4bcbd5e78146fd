"""What watching the model costs: the API with its metrics on and off, in one run.

Beyond the course (its sequel monitors a model service with Prometheus). Starts
``app.main:app`` twice with uvicorn (1 worker each, 127.0.0.1): once as served, with
``/metrics``, the request and row counters and the drift window; once with
``HOUSE_PRICES_API_METRICS_ENABLED=false``. Then ``POST /api/v1/predict`` (one house)
from 8 concurrent clients, on both servers in every round (interleaved, so a busy
machine slows both alike), as ``benchmark_api.py --url`` does; it prints requests/s,
p50 and p99 for each and the ratio of their throughputs. The servers are stopped by
their pid. A measurement to read, not a test: nothing is asserted.

    .venv/bin/python api/scripts/benchmark_metrics.py --trained-dir DIR \
        [--clients 8] [--requests 3000] [--rounds 5]

The drift window needs a model trained with its reference (any model the package
trains today): without one there is no drift to compute, and the script says so.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import benchmark_api  # this folder's API benchmark: its server start and timing
import httpx

API_DIR = Path(__file__).resolve().parents[1]
SWITCHES = {"metrics on": "true", "metrics off": "false"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trained-dir", type=Path, help="the trained folder to serve")
    parser.add_argument("--requests", type=int, default=3000, metavar="N")
    parser.add_argument("--rounds", type=int, default=5, metavar="N")
    parser.add_argument("--clients", type=int, default=8, metavar="N")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.trained_dir:
        env["HOUSE_PRICES_API_TRAINED_DIR"] = str(args.trained_dir.resolve())
    urls: dict[str, str] = {}
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for name, enabled in SWITCHES.items():
            port = benchmark_api.free_port()
            switched = {**env, "HOUSE_PRICES_API_METRICS_ENABLED": enabled}
            servers.append(
                benchmark_api.start_server(
                    "app.main:app", API_DIR, 1, port, env=switched
                )
            )
            urls[name] = f"http://127.0.0.1:{port}"
        rates = benchmark_api.compare_servers(
            urls, args.requests, args.rounds, args.clients
        )
        scrape = httpx.get(urls["metrics on"] + "/metrics").text
    finally:
        for server in servers:
            benchmark_api.stop(server)
    ratio = rates["metrics on"] / rates["metrics off"]
    drift = "house_prices_feature_drift_psi{" in scrape
    print(
        f"\nmetrics on / off: {ratio:.3f}x the {args.clients}-client throughput "
        f"(a cost of {1 - ratio:.1%}); drift window: "
        f"{'on' if drift else 'off (the model has no training reference)'}"
    )


if __name__ == "__main__":
    main()
