"""The health routes: ``/health`` (versions), ``/health/live``, ``/health/ready``."""

from __future__ import annotations

import app
import pytest
import regression_model
from app.api.routes import health
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient


def test_health_reports_api_name_and_both_versions(client: TestClient) -> None:
    # Given a running service
    # When its health is asked for
    response = client.get("/api/v1/health")

    # Then it names the API, its version and the version of the model it serves
    assert response.status_code == 200
    assert response.json() == {
        "name": "House Prices API",
        "api_version": app.__version__,
        "model_version": regression_model.__version__,
    }


def test_live_answers_200_while_the_process_answers(client: TestClient) -> None:
    # Given a running service
    # When a liveness probe asks
    response = client.get("/api/v1/health/live")

    # Then it is alive
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_ready_answers_200_once_the_model_is_loaded(client: TestClient) -> None:
    # Given a service whose lifespan loaded the model
    # When a router asks whether to send it requests
    response = client.get("/api/v1/health/ready")

    # Then it is ready
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_ready_answers_503_draining_while_the_replica_drains(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a replica that got SIGTERM (the server sets the flag)
    monkeypatch.setattr(health.replica, "draining", True)

    # When a router asks whether it is ready, and a liveness probe whether it lives
    ready = client.get("/api/v1/health/ready")
    live = client.get("/api/v1/health/live")

    # Then the router is told to stop sending, and the process still answers
    assert ready.status_code == 503
    assert ready.json() == {"status": "draining"}
    assert live.status_code == 200


def test_ready_answers_503_starting_before_the_model_is_loaded(
    api_settings: Settings,
) -> None:
    # Given an app whose lifespan has not run (no model in its state)
    not_started = TestClient(create_app(api_settings))

    # When a router asks
    response = not_started.get("/api/v1/health/ready")

    # Then it is not ready yet, and says why
    assert response.status_code == 503
    assert response.json() == {"status": "starting"}


@pytest.mark.parametrize(
    "path", ["/api/v1/health", "/api/v1/health/live", "/api/v1/health/ready"]
)
def test_head_answers_each_health_path_with_200_and_no_body(
    client: TestClient, path: str
) -> None:
    # Given a running service
    # When a load balancer probes with HEAD
    response = client.head(path)

    # Then it gets GET's status and no body
    assert response.status_code == 200
    assert response.content == b""


def test_head_on_ready_answers_503_while_draining(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a draining replica
    monkeypatch.setattr(health.replica, "draining", True)

    # When a load balancer probes with HEAD
    response = client.head("/api/v1/health/ready")

    # Then it gets the 503 too
    assert response.status_code == 503


def test_the_schema_documents_live_and_ready_with_the_503(
    client: TestClient,
) -> None:
    # Given the service's OpenAPI schema
    paths = client.get("/openapi.json").json()["paths"]

    # When its probes are looked up
    live, ready = paths["/api/v1/health/live"], paths["/api/v1/health/ready"]

    # Then each is one GET (HEAD is not listed twice), ready with its 503 and body
    assert list(live) == ["get"] and list(ready) == ["get"]
    assert set(live["get"]["responses"]) == {"200"}
    not_ready = ready["get"]["responses"]["503"]["content"]["application/json"]
    assert not_ready["schema"] == {"$ref": "#/components/schemas/Readiness"}
