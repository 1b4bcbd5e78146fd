"""A real browser opens the form, submits it and sees the price the API gave.

Headless Debian ``chromium`` driven by Playwright. Without Chromium the test is
skipped on a developer's machine, but fails in CI (where ``$CI`` is set).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
import regression_model
import uvicorn
from app.core.config import Settings
from app.main import create_app
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 30


@pytest.fixture
def chromium() -> str:
    """The path of Debian's ``chromium``."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: apt-get install chromium")
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    return path


@pytest.fixture
def live_url(api_settings: Settings, free_port: int) -> Iterator[str]:
    """The service, served by uvicorn in a thread on 127.0.0.1."""
    config = uvicorn.Config(
        create_app(api_settings), host="127.0.0.1", port=free_port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{free_port}/"
    server.should_exit = True
    thread.join(timeout=10)


def test_submitting_the_form_shows_the_predicted_price(
    live_url: str, chromium: str
) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        page = browser.new_page()

        # Given the form, filled in for a large, good house in Northridge Heights
        page.goto(live_url)
        page.select_option("select[name=OverallQual]", "8")
        page.fill("input[name=GrLivArea]", "2200")
        page.select_option("select[name=Neighborhood]", "NridgHt")
        page.select_option("select[name=GarageCars]", "3")

        # When it is submitted
        with page.expect_response("**/api/v1/predict") as answer:
            page.click("button[type=submit]")
        body = answer.value.json()

        # Then the page shows the API's price, in dollars, and the model version
        price = body["predictions"][0]
        expect(page.locator("#result")).to_have_text(
            f"Predicted price: ${price:,.0f} (model {regression_model.__version__})"
        )
        browser.close()
