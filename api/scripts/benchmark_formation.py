"""Time one replica alone, one behind the router, and two behind it, in one run.

Starts two replicas (``python -m app.server`` processes on 127.0.0.1, one worker
each) and one HAProxy (``/usr/sbin/haproxy``) with a minimal config like the
formation's (deploy/haproxy/: least connections, a health check on the readiness
path, retries on another replica), listening on two ports: one routes to replica 1
only, the other to both. Then it posts one house to ``POST /api/v1/predict``:

- one client in sequence, direct and through the router: the router's own cost per
  request is the gap between the two medians;
- 8 and 32 concurrent clients against each of the three targets: requests/s, p50,
  p99, failed requests.

The targets are measured interleaved, round after round, so a busy machine slows
them alike. The clients are raw keep-alive sockets spread over a few processes (a
Python HTTP client in one process would be the bottleneck before the server is).
Every load is bounded in requests and seconds; every process is stopped by its pid,
also on error (their logs go to a temporary folder, removed at the end). A
measurement to read, not a test: nothing is asserted.

    .venv/bin/python api/scripts/benchmark_formation.py [--requests 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
from app.schemas.examples import TEST_CSV_FIRST_ROW

API_DIR = Path(__file__).resolve().parents[1]
PREDICT = "/api/v1/predict"
START_TIMEOUT_S = 60
WARM_UP_REQUESTS = 200
ROUTER_CONFIG = """\
global
    nbthread 1
    maxconn 4096
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    option http-buffer-request
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    balance leastconn
    option httpchk GET {check_path}
    http-check expect status 200
    default-server inter 1s fall 2 rise 1 check
frontend one
    bind 127.0.0.1:{one}
    default_backend one
frontend two
    bind 127.0.0.1:{two}
    default_backend two
backend one
    server replica1 127.0.0.1:{replica1}
backend two
    server replica1 127.0.0.1:{replica1}
    server replica2 127.0.0.1:{replica2}
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until_answers(url: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``url`` answers 200, or fail if ``process`` exits first."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited: {process.returncode}")
        try:
            if httpx.get(url, timeout=2).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S} s")


@contextmanager
def running(command: list[str], url: str, log: Path) -> Iterator[None]:
    """Run ``command`` (its output to ``log``) until the block ends; stop it by its
    pid, also on error."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=API_DIR, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_answers(url, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request_bytes(port: int) -> bytes:
    """One keep-alive ``POST /api/v1/predict`` of one house, encoded once."""
    body = json.dumps({"inputs": [TEST_CSV_FIRST_ROW]}).encode()
    head = (
        f"POST {PREDICT} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def read_response(stream: socket.socket) -> int:
    """Read one whole response from ``stream``: its status code."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = stream.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response's headers")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        int(line.split(":", 1)[1])
        for line in lines
        if line.lower().startswith("content-length:")
    )
    while len(body) < length:
        chunk = stream.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside the response's body")
        body += chunk
    return int(lines[0].split()[1])


def one_client(port: int, count: int, deadline: float) -> tuple[list[float], int]:
    """Up to ``count`` requests on one connection until ``deadline``: latencies,
    failures (an answer other than 200, or a broken connection, which reopens)."""
    payload = request_bytes(port)
    latencies: list[float] = []
    failures = 0
    stream = socket.create_connection(("127.0.0.1", port))
    stream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while len(latencies) + failures < count and time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                stream.sendall(payload)
                status = read_response(stream)
            except OSError:
                failures += 1
                stream.close()
                stream = socket.create_connection(("127.0.0.1", port))
                continue
            latencies.append(time.perf_counter() - start)
            failures += status != 200
    finally:
        stream.close()
    return latencies, failures


def client_process(
    port: int, clients: int, count: int, seconds: float
) -> tuple[list[float], int]:
    """``clients`` threads sharing ``count`` requests, bounded by ``seconds``."""
    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(clients) as pool:
        runs = list(
            pool.map(
                one_client,
                [port] * clients,
                [count // clients] * clients,
                [deadline] * clients,
            )
        )
    return [t for found, _ in runs for t in found], sum(f for _, f in runs)


def load(
    pool: multiprocessing.pool.Pool,
    port: int,
    clients: int,
    count: int,
    seconds: float,
    processes: int,
) -> tuple[list[float], int, float]:
    """``clients`` clients over ``processes`` processes: latencies, failures, req/s."""
    share = max(1, clients // processes)
    start = time.perf_counter()
    runs = pool.starmap(
        client_process, [(port, share, count // processes, seconds)] * processes
    )
    elapsed = time.perf_counter() - start
    latencies = [t for found, _ in runs for t in found]
    return latencies, sum(f for _, f in runs), len(latencies) / elapsed


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 0.0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=2000,
        metavar="N",
        help="requests per target and client count, in all rounds",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, choices=range(1, 11), metavar="N"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=10.0,
        help="the most one target's load may take in one round",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=2,
        choices=range(1, 9),
        metavar="N",
        help="client processes",
    )
    parser.add_argument(
        "--check-path",
        default="/api/v1/health/ready",
        help="the path the router health-checks",
    )
    args = parser.parse_args()  # fmt: skip
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    ports = {name: free_port() for name in ("replica1", "replica2", "one", "two")}
    config = ROUTER_CONFIG.format(check_path=args.check_path, **ports)
    server = [sys.executable, "-m", "app.server", "--host", "127.0.0.1", "--port"]
    targets = {
        "1 replica, direct": ports["replica1"],
        "1 replica, router": ports["one"],
        "2 replicas, router": ports["two"],
    }
    share = max(args.processes, args.requests // args.rounds)
    results: dict[tuple[str, int], list[float]] = {}
    failed: dict[tuple[str, int], int] = {}
    rates: dict[tuple[str, int], list[float]] = {}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        (folder / "haproxy.cfg").write_text(config)
        for name in ("replica1", "replica2"):
            url = f"http://127.0.0.1:{ports[name]}{args.check_path}"
            log = folder / f"{name}.log"
            stack.enter_context(running([*server, str(ports[name])], url, log))
        url = f"http://127.0.0.1:{ports['two']}{args.check_path}"
        command = [haproxy, "-db", "-f", str(folder / "haproxy.cfg")]
        stack.enter_context(running(command, url, folder / "haproxy.log"))
        pool = stack.enter_context(multiprocessing.get_context("spawn").Pool(8))
        deadline = time.monotonic() + args.seconds
        for port in ports.values():  # every path warm, both replicas' models loaded
            one_client(port, WARM_UP_REQUESTS, deadline)
        for _ in range(args.rounds):  # interleaved: every target in every round
            for clients in (1, 8, 32):
                for name, port in targets.items():
                    if clients == 1 and name.startswith("2"):
                        continue
                    processes = 1 if clients == 1 else args.processes
                    found, failures, rate = load(
                        pool, port, clients, share, args.seconds, processes
                    )
                    key = (name, clients)
                    results[key] = results.get(key, []) + found
                    failed[key] = failed.get(key, 0) + failures
                    rates[key] = [*rates.get(key, []), rate]
    print("| target | clients | req/s | p50 | p99 | failed |")
    print("|---|---|---|---|---|---|")
    for name, clients in results:
        key = (name, clients)
        print(
            f"| {name} | {clients} | {statistics.median(rates[key]):,.0f} | "
            f"{ms(quantile(results[key], 50))} | {ms(quantile(results[key], 99))} | "
            f"{failed[key]} |"
        )
    direct = quantile(results[("1 replica, direct", 1)], 50)
    routed = quantile(results[("1 replica, router", 1)], 50)
    print(f"\nrouter's cost per request (1 client, p50 gap): {ms(routed - direct)}")
    for clients in (8, 32):
        two = statistics.median(rates[("2 replicas, router", clients)])
        one = statistics.median(rates[("1 replica, router", clients)])
        print(f"{clients} clients: 2 replicas serve {two / one:.2f}x one (router)")


if __name__ == "__main__":
    main()
