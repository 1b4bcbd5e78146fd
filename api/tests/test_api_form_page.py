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


def test_every_model_input_has_words_for_the_chart(
    model: Any, feature_words: dict[str, str]
) -> None:
    # Given the words the form's script gives each input
    # Then every input and every feature of the model has them
    assert set(model.inputs) <= set(feature_words)
    assert set(model.features) <= set(feature_words)


def test_introduction_names_once_each_input_the_form_does_not_ask_for(
    client: TestClient, model: Any, feature_words: dict[str, str]
) -> None:
    # Given the page and the model inputs it has no field for
    page = client.get("/").text
    fields = set(re.findall(r'<(?:input|select) name="([^"]+)"', page))
    not_asked = [column for column in model.inputs if column not in fields]
    intro = re.search(r'<p class="note" id="not-asked">(.*?)</p>', page, re.DOTALL)

    # Then the introduction counts them and names each in words, once
    assert intro is not None
    text = " ".join(intro.group(1).split())
    assert f"reads {len(not_asked)} inputs" in text
    for column in not_asked:
        words = re.escape(feature_words[column].lower())
        assert len(re.findall(rf"(?:^|, |: ){words}(?=[,.])", text)) == 1, column
