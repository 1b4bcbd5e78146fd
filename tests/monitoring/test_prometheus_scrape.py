"""A real Prometheus scrapes a real API server and holds what the traffic implies.

Two processes on 127.0.0.1, each stopped by its pid, every wait bounded:

- ``python -m app.server`` serving the session's trained package model;
- Debian's ``prometheus`` with ``deploy/prometheus/prometheus.yml`` rendered for the
  test: a 1 s scrape interval, the server as its only target, its storage in a
  temporary folder, and the same ``alerts.yml``.

The test sends known traffic (one batch of test.csv houses whose ``GrLivArea`` is
1.5 times larger, one batch the schema refuses) and waits for a scrape that started
after it. Then it asks Prometheus's HTTP API (``/api/v1/query``) for the request,
row, price and drift series and compares them with what that traffic implies: the
counts sent, the prices answered, and the PSI the package computes offline for the
same rows.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from tests.monitoring.programs import ALERTS, PROMETHEUS_DIR, program
from tests.parity.stages import free_port

ROWS = 200
SHIFT = 1.5
START_TIMEOUT_S = 60
SCRAPE_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
JOB = "house-prices-api"
PREDICT = "/api/v1/predict"
REFUSED = b'{"inputs": [{"OverallQual": "very good"}]}'


def request(
    port: int, method: str, path: str, body: bytes | None = None
) -> tuple[int, bytes]:
    """One HTTP request to 127.0.0.1:``port``; ``(status, body)``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def answers(port: int, path: str) -> bool:
    try:
        return request(port, "GET", path)[0] == 200
    except OSError:
        return False


def start(
    command: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=os.sep, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def wait_until(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str
) -> None:
    """Poll ``ready`` until it is true; fail if ``process`` exits or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while not ready():
        assert process.poll() is None, f"{what} exited"
        assert time.monotonic() < deadline, f"{what} not ready in {START_TIMEOUT_S} s"
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process`` by its pid: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)


def rendered_config(api_port: int, folder: Path) -> Path:
    """deploy/prometheus/prometheus.yml with a 1 s interval and the test's server."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"].update(
        scrape_interval="1s", scrape_timeout="1s", evaluation_interval="1s"
    )
    config["rule_files"] = [str(PROMETHEUS_DIR / name) for name in config["rule_files"]]
    (job,) = config["scrape_configs"]
    job["static_configs"] = [{"targets": [f"127.0.0.1:{api_port}"]}]
    path = folder / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


@dataclass
class Scraped:
    """The traffic sent, its answers, and a way to ask Prometheus about them."""

    prometheus_port: int
    rows: pd.DataFrame
    prices: list[float | None]
    trained_dir: Path

    def query(self, promql: str) -> dict[str, float]:
        """An instant query: ``{label text: value}`` for every series it returns."""
        url = "/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        status, body = request(self.prometheus_port, "GET", url)
        answer = json.loads(body)
        assert (status, answer["status"]) == (200, "success"), answer
        return {
            json.dumps(series["metric"], sort_keys=True): float(series["value"][1])
            for series in answer["data"]["result"]
        }

    def value(self, promql: str) -> float:
        """The value of a query that must return exactly one series."""
        (found,) = self.query(promql).values()
        return found

    def rules(self) -> list[dict[str, Any]]:
        """The alert rules Prometheus loaded, with their ``health``."""
        status, body = request(self.prometheus_port, "GET", "/api/v1/rules")
        assert status == 200, body
        groups = json.loads(body)["data"]["groups"]
        return [rule for group in groups for rule in group["rules"]]

    def wait_for_scrape_after(self, moment: float) -> None:
        """Poll until Prometheus holds a scrape that started after ``moment``
        (seconds since the epoch), so it has seen everything sent before."""
        deadline = time.monotonic() + SCRAPE_TIMEOUT_S
        scraped_at = f'timestamp(up{{job="{JOB}"}})'
        while not any(at > moment for at in self.query(scraped_at).values()):
            assert time.monotonic() < deadline, f"no scrape in {SCRAPE_TIMEOUT_S} s"
            time.sleep(0.5)


def json_rows(frame: pd.DataFrame) -> bytes:
    """The frame as a request body, missing cells as JSON ``null``."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return json.dumps({"inputs": records}).encode()


@pytest.fixture(scope="module")
def scraped(
    package_trained_dir: Path,
    real_data_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Scraped]:
    """A server and a Prometheus scraping it, after the test's traffic."""
    prometheus = program("prometheus")
    folder = tmp_path_factory.mktemp("prometheus")
    api_port, prometheus_port = free_port(), free_port()
    api = start(
        [sys.executable, "-m", "app.server", "--host", "127.0.0.1"]
        + ["--port", str(api_port)],
        {
            **os.environ,
            "HOUSE_PRICES_API_TRAINED_DIR": str(package_trained_dir),
            # The drift gauges after every request, not at most every 5 s.
            "HOUSE_PRICES_API_DRIFT_REFRESH_SECONDS": "0",
        },
        folder / "api.log",
    )
    scraper = None
    try:
        wait_until(lambda: answers(api_port, "/api/v1/health/ready"), api, "the API")
        scraper = start(
            [
                prometheus,
                f"--config.file={rendered_config(api_port, folder)}",
                f"--storage.tsdb.path={folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{prometheus_port}",
            ],
            dict(os.environ),
            folder / "prometheus.log",
        )
        wait_until(lambda: answers(prometheus_port, "/-/ready"), scraper, "Prometheus")

        rows = pd.read_csv(real_data_dir / "test.csv").head(ROWS)
        rows["GrLivArea"] = rows["GrLivArea"] * SHIFT
        status, body = request(api_port, "POST", PREDICT, json_rows(rows))
        assert status == 200, body
        assert request(api_port, "POST", PREDICT, REFUSED)[0] == 422

        sent = Scraped(
            prometheus_port, rows, json.loads(body)["predictions"], package_trained_dir
        )
        sent.wait_for_scrape_after(time.time())
        yield sent
    finally:
        if scraper is not None:
            stop(scraper)
        stop(api)


def test_prometheus_scrapes_the_server_and_its_model(scraped: Scraped) -> None:
    # Given a Prometheus scraping the server every second
    # When it is asked whether the target answers and which model it serves
    up = scraped.value(f'up{{job="{JOB}"}}')
    model_info = scraped.query("house_prices_model_info")

    # Then the target is up and exactly one model version is served
    assert up == 1.0
    assert list(model_info.values()) == [1.0]
    (labels,) = [json.loads(text) for text in model_info]
    assert labels["version"] and len(labels["plan_sha256"]) == 64


def test_prometheus_counts_the_requests_by_route_and_status(scraped: Scraped) -> None:
    # Given one batch priced (200) and one refused by the schema (422)
    route = f'job="{JOB}", route="{PREDICT}", method="POST"'

    # When Prometheus is asked for the request counter
    priced = scraped.value(f'http_requests_total{{{route}, status="200"}}')
    refused = scraped.value(f'http_requests_total{{{route}, status="422"}}')
    timed = scraped.value(f"sum(http_request_duration_seconds_count{{{route}}})")

    # Then each request is counted once under its route template and status
    assert (priced, refused, timed) == (1.0, 1.0, 2.0)


def test_prometheus_counts_the_rows_priced_and_refused(scraped: Scraped) -> None:
    # Given the rows sent: those the API priced, those it refused
    n_priced = sum(price is not None for price in scraped.prices)
    n_refused = 1 + len(scraped.prices) - n_priced

    # When Prometheus is asked for the row counter
    rows = 'house_prices_rows_total{outcome="%s"}'
    priced = scraped.value(rows % "priced")
    refused = scraped.value(rows % "error")

    # Then it holds the same counts
    assert (priced, refused) == (n_priced, n_refused)


def test_prometheus_holds_the_histogram_of_the_prices_answered(
    scraped: Scraped,
) -> None:
    # Given the prices the API answered
    prices = [price for price in scraped.prices if price is not None]

    # When Prometheus is asked for the price histogram's count and sum
    count = scraped.value("house_prices_predicted_price_dollars_count")
    total = scraped.value("house_prices_predicted_price_dollars_sum")
    above_all = scraped.value('house_prices_predicted_price_dollars_bucket{le="+Inf"}')

    # Then it counted every price once, and their sum is the prices' sum
    assert count == above_all == len(prices)
    assert total == pytest.approx(math.fsum(prices), rel=1e-12)


def test_prometheus_holds_the_drift_the_package_computes_for_the_same_rows(
    scraped: Scraped,
) -> None:
    # Given the PSI the package computes offline for the rows priced
    from regression_model.monitoring.drift import psi_by_feature
    from regression_model.monitoring.reference import load_reference

    reference = load_reference(scraped.trained_dir)
    assert reference is not None
    priced = scraped.rows[[price is not None for price in scraped.prices]]
    expected = psi_by_feature(reference, priced)

    # When Prometheus is asked for the drift gauges
    found: dict[str, Any] = {
        json.loads(labels)["feature"]: value
        for labels, value in scraped.query("house_prices_feature_drift_psi").items()
    }

    # Then every feature has its gauge with the package's PSI, and the larger
    # GrLivArea stands out above the alert's 0.25
    assert found == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert found["GrLivArea"] > 0.25


def test_prometheus_evaluates_the_alert_rules_on_the_real_series(
    scraped: Scraped,
) -> None:
    # Given Prometheus loaded alerts.yml beside the configuration
    # When it has evaluated the rules at least once (every second here)
    deadline = time.monotonic() + SCRAPE_TIMEOUT_S
    rules = scraped.rules()
    while any(rule["health"] == "unknown" for rule in rules) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.5)
        rules = scraped.rules()

    # Then every one of the five evaluates without error, and none fires yet (the
    # drift alert waits 15 minutes and 500 rows)
    assert {rule["name"]: rule["health"] for rule in rules} == dict.fromkeys(
        ALERTS, "ok"
    )
    assert scraped.query("ALERTS") == {}
