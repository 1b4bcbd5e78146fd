"""``GET /`` serves the browser form and its script (the browser test submits it)."""

from __future__ import annotations

import re
from typing import Any

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


def test_form_script_is_served_and_calls_the_explain_route(client: TestClient) -> None:
    # Given a running service
    # When the form's script is asked for
    response = client.get("/static/app.js")

    # Then it is served, and it posts to the explain route (price and reasons)
    assert response.status_code == 200
    assert "api/v1/explain" in response.text


def test_form_asks_only_for_model_inputs_and_offers_only_seen_labels(
    client: TestClient, model: Any
) -> None:
    # Given the form's fields and the labels its menus offer
    page = client.get("/").text
    fields = re.findall(r'<(?:input|select) name="([^"]+)"', page)
    menus = re.findall(r'<select name="([^"]+)"(.*?)</select>', page, re.DOTALL)

    # Then every field is an input of the model (no "Year built": not a feature)
    assert fields and set(fields) <= set(model.inputs)
    # and every label offered is one of its training data (no "Poor" kitchen),
    # an empty value standing for a missing one
    for name, options in menus:
        if name not in model.tables:
            continue
        offered = set(re.findall(r'<option value="([^"]*)"', options)) - {""}
        assert offered <= set(model.tables[name]), name
