"""``GET /metrics``: what the traffic implies, read back with prometheus-client's
parser; the drift figures of the last rows priced; the metrics of several workers."""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from app.core.config import Settings
from app.core.metrics import DURATION_BUCKETS
from app.main import create_app
from app.schemas.examples import TEST_CSV_FIRST_ROW
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from regression_model.config import load_config
from regression_model.processing.data_manager import (
    load_metadata,
    metadata_path,
    pipeline_path,
)
from regression_model.train_pipeline import split_data

API_DIR = Path(__file__).resolve().parents[1]
WINDOW_ROWS = 1000
SERVER_TIMEOUT_S = 60

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient | httpx.Client, base: str = "") -> Samples:
    """Every sample of ``GET /metrics``: (name, labels) -> value."""
    response = client.get(f"{base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample ``name{labels}``, or 0 if there is none."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def named(samples: Samples, name: str) -> dict[frozenset[tuple[str, str]], float]:
    """Every sample called ``name``, by its labels."""
    return {labels: found for (n, labels), found in samples.items() if n == name}


def as_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as a JSON client sends them: a missing value is null."""
    frame = frame.astype(object)
    rows: list[dict[str, Any]] = frame.where(frame.notna(), None).to_dict("records")
    return rows


@pytest.fixture
def watched(api_settings: Settings) -> Iterator[TestClient]:
    """A fresh app (counts from zero) whose drift figures follow every request."""
    settings = api_settings.model_copy(
        update={"drift_refresh_seconds": 0.0, "drift_window_rows": WINDOW_ROWS}
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def training_rows(real_data_dir: Path) -> list[dict[str, Any]]:
    """The first rows of the training split, as JSON rows."""
    config = load_config()
    X_train, *_ = split_data(pd.read_csv(real_data_dir / "train.csv"), config)
    return as_rows(X_train.head(WINDOW_ROWS))


def test_rows_are_counted_priced_and_error(watched: TestClient) -> None:
    # Given three valid rows and one row the schema refuses
    refused = {**TEST_CSV_FIRST_ROW, "LotArea": "large"}

    # When they are posted in two requests
    priced = watched.post("/api/v1/predict", json={"inputs": [TEST_CSV_FIRST_ROW] * 3})
    error = watched.post("/api/v1/predict", json={"inputs": [refused]})

    # Then the rows and the requests are counted, the 422 with its status
    samples = scrape(watched)
    assert (priced.status_code, error.status_code) == (200, 422)
    assert value(samples, "house_prices_rows_total", outcome="priced") == 3
    assert value(samples, "house_prices_rows_total", outcome="error") == 1
    route = {"route": "/api/v1/predict", "method": "POST"}
    assert value(samples, "http_requests_total", **route, status="200") == 1
    assert value(samples, "http_requests_total", **route, status="422") == 1
    assert value(samples, "http_request_duration_seconds_count", **route) == 2


def test_prices_are_counted_in_the_price_histogram(watched: TestClient) -> None:
    # Given two rows priced
    answer = watched.post("/api/v1/predict", json={"inputs": [TEST_CSV_FIRST_ROW] * 2})
    prices = answer.json()["predictions"]

    # When the metrics are read
    samples = scrape(watched)

    # Then the histogram holds both prices, each in the bucket of its value
    name = "house_prices_predicted_price_dollars"
    assert value(samples, f"{name}_count") == 2
    assert value(samples, f"{name}_sum") == pytest.approx(sum(prices), rel=1e-12)
    assert value(samples, f"{name}_bucket", le="100000.0") == 0
    assert value(samples, f"{name}_bucket", le="125000.0") == 2


def test_warnings_are_counted_by_kind(watched: TestClient) -> None:
    # Given a row with a column the schema does not know, one given twice (by its
    # Kaggle name and its alias), a label training never had, and a row without
    # LotArea (imputed)
    odd = {
        **TEST_CSV_FIRST_ROW,
        "Colour": "red",
        "FirstFlrSF": TEST_CSV_FIRST_ROW["1stFlrSF"],
        "Neighborhood": "Atlantis",
    }
    short = {k: v for k, v in TEST_CSV_FIRST_ROW.items() if k != "LotArea"}

    # When they are priced, in two requests
    watched.post("/api/v1/predict", json={"inputs": [odd]})
    watched.post("/api/v1/predict", json={"inputs": [short]})

    # Then each warning is counted once, by its kind
    found = named(scrape(watched), "house_prices_input_warnings_total")
    assert found == {
        frozenset({("kind", "ignored_column")}): 1,
        frozenset({("kind", "repeated_column")}): 1,
        frozenset({("kind", "unseen_label")}): 1,
        frozenset({("kind", "imputed")}): 1,
    }


def test_route_label_is_the_template_and_unknown_paths_are_other(
    watched: TestClient,
) -> None:
    # Given requests to a static file, to an unknown address and a too large body
    watched.get("/static/app.js")
    watched.get("/no/such/page/12345")
    too_large = b"x" * (watched.app.state.settings.max_body_bytes + 1)  # type: ignore[attr-defined]
    watched.post("/api/v1/predict", content=too_large)

    # When the metrics are read
    routes = {
        dict(labels)["route"]: found
        for labels, found in named(scrape(watched), "http_requests_total").items()
    }

    # Then each is named by its template, never by the address sent
    assert routes == {"/static/{path}": 1, "other": 1, "/api/v1/predict": 1}
    samples = scrape(watched)
    assert (
        value(samples, "http_requests_total", route="other", method="GET", status="404")
        == 1
    )
    assert (
        value(
            samples,
            "http_requests_total",
            route="/api/v1/predict",
            method="POST",
            status="413",
        )
        == 1
    )


def test_duration_buckets_run_from_half_a_millisecond_to_five_seconds(
    watched: TestClient,
) -> None:
    # Given one request answered
    watched.get("/api/v1/health")

    # When the metrics are read
    found = named(scrape(watched), "http_request_duration_seconds_bucket")

    # Then its histogram has the buckets that resolve this API's times
    bounds = sorted(float(dict(labels)["le"]) for labels in found)
    assert bounds == [*DURATION_BUCKETS, math.inf]
    assert (DURATION_BUCKETS[0], DURATION_BUCKETS[-1]) == (0.0005, 5.0)


def test_model_info_names_the_model_served(
    watched: TestClient, trained_model: Path
) -> None:
    # Given the metadata of the model served
    metadata = load_metadata(trained_model)

    # When the metrics are read
    found = named(scrape(watched), "house_prices_model_info")

    # Then one series names its version and its plan's SHA-256, with value 1
    labels = frozenset(
        {("version", metadata["version"]), ("plan_sha256", metadata["plan_sha256"])}
    )
    assert found == {labels: 1.0}


def test_drift_is_small_for_training_rows_and_large_for_a_shifted_feature(
    watched: TestClient, training_rows: list[dict[str, Any]]
) -> None:
    # Given a window full of training rows
    watched.post("/api/v1/predict", json={"inputs": training_rows})
    calm = named(scrape(watched), "house_prices_feature_drift_psi")

    # When the same houses come back 1.5 times larger (the window is replaced)
    larger = [{**row, "GrLivArea": row["GrLivArea"] * 1.5} for row in training_rows]
    watched.post("/api/v1/predict", json={"inputs": larger})
    shifted = named(scrape(watched), "house_prices_feature_drift_psi")

    # Then every feature of the model has a figure, near 0 for the training rows,
    # above 0.25 for GrLivArea once shifted, while the other features stay calm
    features = {frozenset({("feature", f)}) for f in load_config().model.features}
    assert set(calm) == features == set(shifted)
    assert max(calm.values()) < 0.1
    grlivarea = frozenset({("feature", "GrLivArea")})
    assert shifted[grlivarea] > 0.25
    assert max(v for k, v in shifted.items() if k != grlivarea) < 0.1


def test_watching_never_changes_a_price(
    watched: TestClient, api_settings: Settings, kaggle_test_rows: list[Any]
) -> None:
    # Given an app that exports no metrics
    unwatched = api_settings.model_copy(update={"metrics_enabled": False})
    body = {"inputs": kaggle_test_rows[:200]}

    # When both price the same rows
    with TestClient(create_app(unwatched)) as plain:
        without = plain.post("/api/v1/predict", json=body)
        no_metrics = plain.get("/metrics")
    with_metrics = watched.post("/api/v1/predict", json=body)

    # Then the answers are the same bytes, and the plain app has no /metrics
    assert with_metrics.content == without.content
    assert no_metrics.status_code == 404


def test_a_model_without_reference_has_no_drift_series(
    trained_model: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a copy of the model whose metadata records no reference
    folder = tmp_path / "trained"
    shutil.copytree(trained_model, folder)
    path = metadata_path(pipeline_path(folder))
    metadata = json.loads(path.read_text(encoding="utf-8"))
    for key in ("reference_file", "reference_sha256"):
        metadata.pop(key, None)
    path.write_text(json.dumps(metadata), encoding="utf-8")
    settings = Settings(trained_dir=folder, drift_refresh_seconds=0.0)

    # When it serves a row
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        client.post("/api/v1/predict", json={"inputs": [TEST_CSV_FIRST_ROW]})
        samples = scrape(client)

    # Then its prices are counted, no drift series exists, and one line says why
    assert value(samples, "house_prices_rows_total", outcome="priced") == 1
    assert named(samples, "house_prices_feature_drift_psi") == {}
    lines = [r for r in caplog.records if "no training reference" in r.getMessage()]
    assert len(lines) == 1


@pytest.fixture
def two_workers(trained_model: Path, free_port: int, tmp_path: Path) -> Iterator[str]:
    """``python -m app.server --workers 2`` on 127.0.0.1 (temporary files in
    ``tmp_path``), stopped by its pid; its metrics folder is gone afterwards."""
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path),
        "HOUSE_PRICES_API_TRAINED_DIR": str(trained_model),
        "HOUSE_PRICES_API_DRAIN_SECONDS": "0",
        "HOUSE_PRICES_API_DRIFT_REFRESH_SECONDS": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "app.server", "--workers", "2"]
    server = subprocess.Popen(
        [*command, "--port", str(free_port)], cwd=API_DIR, env=env
    )
    base = f"http://127.0.0.1:{free_port}"
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT_S
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"{base}/api/v1/health/ready").is_success:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("python -m app.server --workers 2 did not start")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert list(tmp_path.glob("house-prices-metrics-*")) == []


def test_several_workers_report_one_sum(two_workers: str, tmp_path: Path) -> None:
    # Given 40 one-house requests, each on a new connection (so both workers get
    # some)
    for _ in range(40):
        httpx.post(
            f"{two_workers}/api/v1/predict", json={"inputs": [TEST_CSV_FIRST_ROW]}
        ).raise_for_status()

    # When /metrics is read twice (whichever worker answers)
    with httpx.Client() as client:
        first, second = scrape(client, two_workers), scrape(client, two_workers)

    # Then both scrapes count every row and request, and one model is named, from
    # the metrics folder the server made
    assert len(list(tmp_path.glob("house-prices-metrics-*"))) == 1
    for samples in (first, second):
        assert value(samples, "house_prices_rows_total", outcome="priced") == 40
        assert (
            value(
                samples,
                "http_requests_total",
                route="/api/v1/predict",
                method="POST",
                status="200",
            )
            == 40
        )
        assert len(named(samples, "house_prices_model_info")) == 1
