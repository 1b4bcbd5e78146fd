"""What a shadow model costs the live answer: latency without, with a sleeping and
with a real candidate, interleaved in one run.

Run after training: ``python api/scripts/benchmark_shadow.py [--requests N]
[--rows R] [--trained-dir DIR] [--candidate-dir DIR] [--sleep-seconds S]``. Three
apps serve the same live model, in this process (FastAPI's ``TestClient``), each
with its prediction log in a temporary folder:

- ``none``: no shadow;
- ``sleeping``: a shadow whose candidate sleeps ``--sleep-seconds`` (default 0.05 s)
  before it prices: a slow candidate, whose queue fills and skips requests;
- ``real``: a shadow pricing with the candidate (``--candidate-dir``, by default the
  live model's folder again), competing with the live model for the interpreter.

They take turns, request by request (none, sleeping, real, none, ...), so a busy
machine slows all alike. Prints the median and 99th percentile of each, and its
median over ``none``'s: a ratio to read, not a test (nothing is asserted). Beyond
the course.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from regression_model.config import default_trained_dir

TEST_CSV = Path(__file__).resolve().parents[2] / "data" / "test.csv"
KINDS = ("none", "sleeping", "real")


def json_rows(count: int) -> list[dict[str, Any]]:
    """The first ``count`` rows of test.csv as a client sends them."""
    frame = pd.read_csv(TEST_CSV).head(count).astype(object)
    rows: list[dict[str, Any]] = frame.where(frame.notna(), None).to_dict("records")
    return rows


def make_sleep(shadow: Any, seconds: float) -> None:
    """Make ``shadow``'s candidate sleep ``seconds`` before each request it prices."""
    price = shadow.price

    def slow(*args: Any) -> Any:
        time.sleep(seconds)
        return price(*args)

    shadow.price = slow


def shadow_of(client: TestClient) -> Any:
    """The shadow of the client's app (None without one)."""
    return getattr(client.app.state, "shadow", None)  # type: ignore[attr-defined]


def percentile(times: list[float], share: float) -> float:
    """The ``share`` quantile of ``times`` (nearest rank)."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Command line: measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per app")
    parser.add_argument("--rows", type=int, default=10, help="rows per request")
    parser.add_argument("--trained-dir", type=Path, default=None)
    parser.add_argument("--candidate-dir", type=Path, default=None)
    parser.add_argument("--sleep-seconds", type=float, default=0.05)
    args = parser.parse_args(argv)
    live = args.trained_dir or default_trained_dir()
    candidate = args.candidate_dir or live
    body = {"inputs": json_rows(args.rows)}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        clients: dict[str, TestClient] = {}
        for kind in KINDS:
            settings = Settings(
                trained_dir=live,
                prediction_log_dir=folder / kind,
                shadow_model_dir=None if kind == "none" else candidate,
            )
            clients[kind] = stack.enter_context(TestClient(create_app(settings)))
        make_sleep(shadow_of(clients["sleeping"]), args.sleep_seconds)
        times: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for _ in range(args.requests):
            for kind, client in clients.items():
                start = time.perf_counter()
                response = client.post("/api/v1/predict", json=body)
                times[kind].append(time.perf_counter() - start)
                response.raise_for_status()
        shadows = {kind: shadow_of(client) for kind, client in clients.items()}
        base = statistics.median(times["none"])
        print(f"{args.requests} requests of {args.rows} rows per app, interleaved")
        print(
            f"{'shadow':<10}{'p50 ms':>10}{'p99 ms':>10}{'p50/none':>10}{'skipped':>9}"
        )
        for kind in KINDS:
            median = statistics.median(times[kind])
            shadow = shadows[kind]
            print(
                f"{kind:<10}{median * 1e3:>10.2f}"
                f"{percentile(times[kind], 0.99) * 1e3:>10.2f}"
                f"{median / base:>10.2f}"
                f"{'-' if shadow is None else shadow.skipped:>9}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
