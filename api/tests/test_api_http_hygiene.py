"""HTTP hygiene: limits before work, HEAD where GET is, security headers on the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient

PREDICT = "/api/v1/predict"


@pytest.fixture(scope="module")
def small_body_client(trained_model: Path) -> Iterator[TestClient]:
    """A service that accepts bodies of at most 2,000 bytes."""
    settings = Settings(trained_dir=trained_model, max_body_bytes=2000)
    with TestClient(create_app(settings)) as client:
        yield client


def test_body_over_the_limit_gets_413_from_its_length(
    small_body_client: TestClient,
) -> None:
    # Given a body of 5,000 bytes, announced in its Content-Length
    body = json.dumps({"inputs": [{"GrLivArea": 1500}] * 250}).encode()
    assert len(body) > 2000

    # When it is posted
    response = small_body_client.post(
        PREDICT, content=body, headers={"Content-Type": "application/json"}
    )

    # Then the answer is 413, naming the limit, before any row was read
    assert response.status_code == 413
    assert "2000 bytes" in response.json()["detail"]


def test_streamed_body_over_the_limit_gets_413(small_body_client: TestClient) -> None:
    # Given a body sent in chunks, without a Content-Length
    def chunks() -> Iterator[bytes]:
        yield b'{"inputs": ['
        for _ in range(300):
            yield b'{"GrLivArea": 1500},'
        yield b'{"GrLivArea": 1500}]}'

    # When it is posted
    response = small_body_client.post(
        PREDICT, content=chunks(), headers={"Content-Type": "application/json"}
    )

    # Then the answer is 413 as soon as the limit is passed
    assert response.status_code == 413


def test_body_under_the_limit_is_priced(small_body_client: TestClient) -> None:
    # Given a small body
    # When it is posted
    response = small_body_client.post(PREDICT, json={"inputs": [{"GrLivArea": 1500}]})
    # Then it is priced as usual
    assert response.status_code == 200
    assert response.json()["predictions"][0] > 0


def test_default_body_limit_admits_a_full_batch_of_test_rows(
    kaggle_test_rows: list[dict[str, object]],
) -> None:
    # Given the default settings and the largest batch they accept, of real rows
    settings = Settings()
    body = json.dumps({"inputs": kaggle_test_rows[: settings.max_batch_rows]})
    # When its size is compared with the body limit
    # Then the body limit never refuses a batch the row limit accepts
    assert len(body.encode()) < settings.max_body_bytes


@pytest.mark.parametrize("path", ["/", "/api/v1/health"])
def test_head_is_answered_where_get_is(client: TestClient, path: str) -> None:
    # Given a route that answers GET
    # When it is asked with HEAD
    response = client.head(path)
    # Then it answers 200 with no body
    assert response.status_code == 200
    assert response.content == b""


def test_page_forbids_inline_scripts_and_other_origins(client: TestClient) -> None:
    # Given the form page
    # When it is fetched
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    # Then its CSP allows scripts and styles from this origin only, and the page has
    # no inline script or style for a CSP to block
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text
    assert "<style>" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_api_answers_carry_the_security_headers(client: TestClient) -> None:
    # Given an API route
    # When it answers
    response = client.get("/api/v1/health")
    # Then the browser is told not to sniff its content type
    assert response.headers["x-content-type-options"] == "nosniff"


def test_docs_page_still_loads_its_ui_without_a_csp(client: TestClient) -> None:
    # Given the interactive docs, which start Swagger UI from an inline script
    # When they are fetched
    response = client.get("/docs")
    # Then no CSP blocks them
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers


def test_no_redirect_is_built_from_the_host_header(client: TestClient) -> None:
    # Given a path with a trailing slash and a Host header naming another site
    # When it is requested
    response = client.get(
        "/api/v1/health/", headers={"Host": "evil.example"}, follow_redirects=False
    )
    # Then the answer is a plain 404: no redirect, so no Location to that host
    assert response.status_code == 404
    assert "location" not in response.headers
