"""``/docs`` and ``/redoc`` load Swagger UI and ReDoc from this service, not a CDN.

The pages name their scripts, styles and icon by same-origin paths, each path
answers with the file and its content type, and a browser with every other host
blocked still renders Swagger UI's operations (skipped without Chromium, except in
CI).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Route, expect, sync_playwright

API_PATHS = [
    "/api/v1/explain",
    "/api/v1/health",
    "/api/v1/health/live",
    "/api/v1/health/ready",
    "/api/v1/predict",
]
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
ASSET = re.compile(r'(?:src|href)="([^"]*)"')


def assets(html: str) -> list[str]:
    """The URLs a page's ``<script src>`` and ``<link href>`` name."""
    return ASSET.findall(html)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "/docs",
            [
                "/docs/static/swagger-ui.css",
                "/docs/static/favicon.png",
                "/docs/static/swagger-ui-bundle.js",
            ],
        ),
        ("/redoc", ["/docs/static/favicon.png", "/docs/static/redoc.standalone.js"]),
    ],
)
def test_docs_page_names_only_files_of_this_service(
    client: TestClient, page: str, expected: list[str]
) -> None:
    # Given a docs page
    # When it is fetched
    response = client.get(page)
    # Then it is HTML naming its files by paths on this service, and no other host
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert assets(response.text) == expected
    assert "http" not in response.text.lower()
    assert "cdn" not in response.text.lower()


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_each_file_a_docs_page_names_is_served_with_its_content_type(
    client: TestClient, page: str
) -> None:
    # Given the files a docs page names
    urls = assets(client.get(page).text)
    assert urls
    for url in urls:
        # When each is fetched
        response = client.get(url)
        # Then it is there, not empty, with the content type of its kind
        assert response.status_code == 200, url
        assert response.content, url
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type == MEDIA_TYPES[url[url.rindex(".") :]], url


def test_openapi_schema_lists_only_the_api_routes(client: TestClient) -> None:
    # Given the app, whose docs pages are its own routes
    # When its OpenAPI schema is fetched
    schema = client.get("/openapi.json").json()
    # Then it documents the API's routes and nothing of the docs pages
    assert sorted(schema["paths"]) == API_PATHS
    assert schema == client.app.openapi()  # type: ignore[attr-defined]


def test_swagger_ui_renders_the_operations_with_every_other_host_blocked(
    live_url: str, chromium: dict[str, Any]
) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium)
        page = browser.new_page()
        blocked: list[str] = []

        def only_this_service(route: Route) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        # Given a browser that can reach 127.0.0.1 and nothing else
        page.route("**/*", only_this_service)
        # When it opens the docs
        page.goto(f"{live_url}docs")
        # Then Swagger UI shows each operation of the API
        operations = page.locator(".opblock .opblock-summary-path")
        expect(operations).to_have_count(len(API_PATHS))
        assert sorted(operations.all_text_contents()) == API_PATHS
        # and it asked no other host for anything
        assert blocked == []
        browser.close()
