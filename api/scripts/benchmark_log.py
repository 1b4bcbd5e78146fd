"""What the prediction log costs: the API with logging on and off, in one run.

Beyond the course (its sequel logs predictions into PostgreSQL). Starts
``app.main:app`` with uvicorn (1 worker each, 127.0.0.1): once with
``HOUSE_PRICES_API_PREDICTION_LOG_ENABLED=false``, once logging into a SQLite file
in a temporary folder and, with ``--postgres-url``, once more logging into that
PostgreSQL database. Then ``POST /api/v1/predict`` (one house) from 8 concurrent
clients on every server in every round (interleaved, so a busy machine slows all
alike), as ``benchmark_api.py --url`` does. It prints requests/s, p50 and p99 for
each, the rows each log wrote per second and lost, and the ratio of throughputs.
Last, the writer alone: how many rows per second one ``PredictionLog`` writes when
given 100-row entries of test.csv as fast as it takes them. The servers are
stopped by their pid. A measurement to read, not a test: nothing is asserted.

    .venv/bin/python api/scripts/benchmark_log.py --trained-dir DIR \
        [--clients 8] [--requests 3000] [--rounds 5] \
        [--postgres-url postgresql+psycopg://user@127.0.0.1:5432/database]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import benchmark_api  # this folder's API benchmark: its server start and timing
import httpx
import pandas as pd
from app.db.log import LogEntry, PredictionLog, make_engine
from app.db.migrate import upgrade
from sqlalchemy import text

API_DIR = Path(__file__).resolve().parents[1]
LOST = re.compile(r"^house_prices_prediction_log_lost_rows_total (\S+)$", re.M)
WRITER_ROWS, ENTRY_ROWS = 50_000, 100


def logged_rows(url: str) -> int:
    """How many rows the log at ``url`` holds."""
    engine = make_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT count(*) FROM predictions")).scalar()
    engine.dispose()
    return int(found or 0)


def emptied(url: str) -> str:
    """``url``, migrated and with no rows, so the count is this run's."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        for table in ("predictions", "shadow_predictions", "prediction_requests"):
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()
    return url


def serve(
    logs: dict[str, str | None], env: dict[str, str]
) -> tuple[dict[str, str], list[subprocess.Popen[bytes]]]:
    """One server per log (``None``: logging off): their urls and processes."""
    urls: dict[str, str] = {}
    servers: list[subprocess.Popen[bytes]] = []
    for name, url in logs.items():
        port = benchmark_api.free_port()
        switched = {**env, "HOUSE_PRICES_API_PREDICTION_LOG_ENABLED": str(bool(url))}
        if url:
            switched["HOUSE_PRICES_API_PREDICTION_LOG_URL"] = url
        servers.append(
            benchmark_api.start_server("app.main:app", API_DIR, 1, port, env=switched)
        )
        urls[name] = f"http://127.0.0.1:{port}"
    return urls, servers


def interleaved(
    urls: dict[str, str], requests: int, rounds: int, clients: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, float]]:
    """``/predict`` on every server, round after round: latencies, requests/s per
    round and seconds under load, by server."""
    latencies: dict[str, list[float]] = {name: [] for name in urls}
    rates: dict[str, list[float]] = {name: [] for name in urls}
    seconds = dict.fromkeys(urls, 0.0)
    for url in urls.values():
        benchmark_api.timed_requests(
            url + "/api/v1/predict", benchmark_api.WARM_UP_REQUESTS
        )
    for round_ in range(rounds):
        order = list(urls.items())
        for name, url in order if round_ % 2 == 0 else order[::-1]:
            found, per_second = benchmark_api.concurrent_requests(
                url + "/api/v1/predict", requests // rounds, clients
            )
            latencies[name] += found
            rates[name].append(per_second)
            seconds[name] += len(found) / per_second
    return latencies, rates, seconds


def writer_rows_per_second(url: str) -> float:
    """Rows per second one ``PredictionLog`` writes, given 100-row entries of
    test.csv as fast as it takes them."""
    rows = pd.read_csv(benchmark_api.TEST_CSV).head(ENTRY_ROWS)
    inputs = [
        {k: v for k, v in r.items() if pd.notna(v)} for r in rows.to_dict("records")
    ]
    log = PredictionLog(emptied(url), queue_rows=WRITER_ROWS + ENTRY_ROWS)
    start = time.perf_counter()
    log.start()
    for i in range(WRITER_ROWS // ENTRY_ROWS):
        log.record(
            LogEntry(
                request_id=f"{i:032x}",
                at=datetime.now(UTC),
                model_version="0.0.0",
                plan_sha256="0" * 64,
                rows=inputs,
                prices=[100_000.0] * ENTRY_ROWS,
                errors=[],
                warnings=[],
            )
        )
    log.stop(timeout=600)
    return log.written / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trained-dir", type=Path, help="the trained folder to serve")
    parser.add_argument("--requests", type=int, default=3000, metavar="N")
    parser.add_argument("--rounds", type=int, default=5, metavar="N")
    parser.add_argument("--clients", type=int, default=8, metavar="N")
    parser.add_argument("--postgres-url", help="also log into this PostgreSQL database")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.trained_dir:
        env["HOUSE_PRICES_API_TRAINED_DIR"] = str(args.trained_dir.resolve())
    with tempfile.TemporaryDirectory(prefix="prediction-log-") as folder:
        logs: dict[str, str | None] = {
            "logging off": None,
            "SQLite": emptied(f"sqlite:///{Path(folder) / 'predictions.sqlite3'}"),
        }
        if args.postgres_url:
            logs["PostgreSQL"] = emptied(args.postgres_url)
        urls, servers = serve(logs, env)
        lost: dict[str, float] = {}
        try:
            latencies, rates, seconds = interleaved(
                urls, args.requests, args.rounds, args.clients
            )
            for name, base in urls.items():
                found = LOST.search(httpx.get(base + "/metrics").text)
                lost[name] = float(found.group(1)) if found else 0.0
        finally:
            for server in servers:
                benchmark_api.stop(server)  # SIGTERM: the log writes what it holds
        report(logs, latencies, rates, seconds, lost, args.clients)
        for name, url in logs.items():
            if url:
                print(f"{name} writer alone: {writer_rows_per_second(url):,.0f} rows/s")


def report(
    logs: dict[str, str | None],
    latencies: dict[str, list[float]],
    rates: dict[str, list[float]],
    seconds: dict[str, float],
    lost: dict[str, float],
    clients: int,
) -> None:
    """The table of the run, and each log's cost against logging off."""
    ms = benchmark_api.ms
    print(f"| server | {clients} clients: req/s | p50 | p99 | rows logged/s | lost |")
    print("|---|---|---|---|---|---|")
    throughput = {name: statistics.median(found) for name, found in rates.items()}
    for name, url in logs.items():
        found = latencies[name]
        written = "-"
        if url:
            rows = logged_rows(url) - benchmark_api.WARM_UP_REQUESTS
            written = f"{rows / seconds[name]:,.0f}"
        print(
            f"| {name} | {throughput[name]:,.0f} | "
            f"{ms(benchmark_api.quantile(found, 50))} | "
            f"{ms(benchmark_api.quantile(found, 99))} | {written} | "
            f"{lost[name]:.0f} |"
        )
    for name, url in logs.items():
        if url:
            ratio = throughput[name] / throughput["logging off"]
            print(
                f"{name} on / off: {ratio:.3f}x the {clients}-client throughput "
                f"(a cost of {1 - ratio:.1%})"
            )


if __name__ == "__main__":
    main()
