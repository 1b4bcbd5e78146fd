"""``GET /api/v1/health`` says the service is up and which versions answer."""

from __future__ import annotations

import app
import regression_model
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
