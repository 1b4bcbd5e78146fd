"""``GET /`` serves the browser form and its script (the browser test submits it)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_root_serves_the_html_form(client: TestClient) -> None:
    # Given a running service
    # When the root page is asked for
    response = client.get("/")

    # Then it is an HTML page with the form and its main fields
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for field in ('id="house-form"', 'name="OverallQual"', 'name="GrLivArea"'):
        assert field in response.text


def test_form_script_is_served_and_calls_the_predict_route(client: TestClient) -> None:
    # Given a running service
    # When the form's script is asked for
    response = client.get("/static/app.js")

    # Then it is served, and it posts to the predict route
    assert response.status_code == 200
    assert "api/v1/predict" in response.text
