"""The API under hostile bodies and load: 413 before parsing, 422 not 500 for deep
nesting, and a bounded load test on a real uvicorn server (loopback only)."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
PREDICT = "/api/v1/predict"
MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
def client(package_trained_dir: Path) -> Iterator[TestClient]:
    settings = Settings(trained_dir=package_trained_dir, max_body_bytes=MAX_BODY)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def first_row(real_data_dir: Path) -> dict:
    row = pd.read_csv(real_data_dir / "test.csv").head(1)
    return json.loads(row.to_json(orient="records"))[0]


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_oversized_body_gets_413(client, first_row, declared):
    # Given a body twice the limit, sent whole or streamed in chunks
    body = json.dumps({"inputs": [first_row] * 200}).encode()
    assert len(body) > 2 * MAX_BODY
    content = (
        body if declared else (body[i : i + 4096] for i in range(0, len(body), 4096))
    )
    # When it is posted
    response = client.post(
        PREDICT, content=content, headers={"Content-Type": "application/json"}
    )
    # Then 413, not a parse
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda row: nested(20_000), id="top-level-lists-20000"),
        pytest.param(
            lambda row: (
                json.dumps({"inputs": [row]})[:-3]
                + ', "LotArea": '
                + nested(900)
                + "}]}"
            ),
            id="cell-lists-900",
        ),
        pytest.param(
            lambda row: (
                json.dumps({"inputs": [row]})[:-3]
                + ', "LotArea": '
                + nested(20_000)
                + "}]}"
            ),
            id="cell-lists-20000",
        ),
        pytest.param(
            lambda row: '{"inputs": [' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "]}",
            id="row-objects-5000",
        ),
        pytest.param(
            lambda row: json.dumps({"inputs": [{**row, "LotArea": [[[[[1]]]]]}]}),
            id="cell-lists-5",
        ),
    ],
)
def test_deeply_nested_body_is_refused_not_a_500(client, first_row, body):
    # Given a body nested thousands deep (under the size limit)
    text = body(first_row)
    assert len(text) < MAX_BODY
    # When it is posted
    response = client.post(
        PREDICT, content=text, headers={"Content-Type": "application/json"}
    )
    # Then it is refused as the client's fault with a JSON detail, never a 500:
    # 422 when the JSON parses, 400 when Python's parser gives up on the depth
    # (FastAPI's "There was an error parsing the body")
    assert response.status_code in (400, 422), response.text[:300]
    assert "detail" in response.json()
    assert "Traceback" not in response.text


def test_body_too_deep_to_parse_gets_400_saying_so(client):
    # Given a body nested 20,000 deep: Python's JSON parser gives up on the depth
    # When it is posted
    response = client.post(
        PREDICT, content=nested(20_000), headers={"Content-Type": "application/json"}
    )
    # Then it is refused as a body that cannot be parsed (FastAPI's 400), not a 500
    assert response.status_code == 400
    assert response.json()["detail"] == "There was an error parsing the body"


def test_value_nested_too_deep_to_echo_is_named_not_echoed(client, first_row):
    # Given a row whose LotArea is a list nested 900 deep (it parses)
    body = json.dumps({"inputs": [first_row]})[:-3] + ', "LotArea": ' + nested(900)
    # When it is posted
    response = client.post(
        PREDICT, content=body + "}]}", headers={"Content-Type": "application/json"}
    )
    # Then 422 names the row and the column, without echoing the value back
    assert response.status_code == 422
    [error] = [e for e in response.json()["detail"] if "LotArea" in e["loc"]]
    assert error["input"] == "(nested too deeply to echo)"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(package_trained_dir: Path) -> Iterator[tuple[int, int]]:
    """A real uvicorn on 127.0.0.1 serving the session's model: (port, pid)."""
    from tests.parity.stages import free_port

    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app"]
    command += ["--app-dir", str(ROOT / "api"), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning"]
    env = {**os.environ, "HOUSE_PRICES_API_TRAINED_DIR": str(package_trained_dir)}
    process = subprocess.Popen(command, cwd=os.sep, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "uvicorn exited"
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/v1/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, "uvicorn did not answer"
                time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


REQUESTS, WORKERS, SECONDS = 1_500, 8, 20.0


def test_bounded_load_test_has_no_errors_and_no_leak(server, real_data_dir):
    # Given a real server, one warm-up request, and single-row to 20-row bodies
    port, pid = server
    rows = json.loads(
        pd.read_csv(real_data_dir / "test.csv").head(20).to_json(orient="records")
    )
    bodies = [json.dumps({"inputs": rows[: 1 + i % 20]}) for i in range(REQUESTS)]

    def post(body: str) -> tuple[int, float]:
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(
                "POST", PREDICT, body, {"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - start
        except OSError:
            return -1, time.perf_counter() - start
        finally:
            connection.close()

    assert post(bodies[0])[0] == 200
    rss_before = rss_kib(pid)
    # When REQUESTS requests are sent by WORKERS clients, stopping after SECONDS
    deadline = time.monotonic() + SECONDS
    results: list[tuple[int, float]] = []
    start = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        for chunk in range(0, REQUESTS, 100):
            if time.monotonic() > deadline:
                break
            results += pool.map(post, bodies[chunk : chunk + 100])
    elapsed = time.perf_counter() - start
    rss_after = rss_kib(pid)
    # Then (the figures printed, not asserted) no request failed, and the server
    # grew by less than a generous 100 MiB
    latencies = sorted(seconds for _, seconds in results)
    errors = sum(status != 200 for status, _ in results)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"\nload test: {len(results)} requests, {WORKERS} clients, {elapsed:.1f} s, "
        f"{len(results) / elapsed:.0f} req/s, p50 "
        f"{statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"errors {errors}, RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MiB"
    )
    assert errors == 0
    assert rss_after - rss_before < 100 * 1024


@pytest.mark.parametrize("depth", [20_000])
def test_real_server_answers_deep_nesting_and_oversized_bodies(server, depth):
    # Given the real server: a deeply nested body and one over the 4 MiB default
    port, _ = server
    answers = {}
    for name, body in {
        "nested": nested(depth).encode(),
        "oversized": b"[" + b"1," * (3 * 1024 * 1024) + b"1]",
    }.items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(
                "POST", PREDICT, body, {"Content-Type": "application/json"}
            )
            answers[name] = connection.getresponse().status
        except (BrokenPipeError, ConnectionResetError):
            answers[name] = "closed"  # answered 413 and closed while we still sent
        finally:
            connection.close()
    # Then refused (400 until the API maps a too-deep body to 422, see above) and
    # 413, and the server still serves
    assert answers["nested"] in (400, 422)
    assert answers["oversized"] in (413, "closed")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/api/v1/health")
    assert connection.getresponse().status == 200
