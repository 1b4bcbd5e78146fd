"""A real browser submits the form and sees the price, its range, warnings and chart.

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


def test_submitting_the_form_shows_the_price_its_range_warnings_and_chart(
    live_url: str, chromium: str, feature_words: dict[str, str]
) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        console: list[str] = []
        page.on("console", lambda entry: console.append(entry.text))

        # Given the form, filled in for a large, good house in Northridge Heights,
        # with the lot area left empty
        page.goto(live_url)
        page.select_option("select[name=OverallQual]", "8")
        page.fill("input[name=GrLivArea]", "2200")
        page.select_option("select[name=Neighborhood]", "NridgHt")
        page.select_option("select[name=GarageCars]", "3")
        page.fill("input[name=LotArea]", "")

        # When it is submitted
        with page.expect_response("**/api/v1/explain") as answer:
            page.click("button[type=submit]")
        body = answer.value.json()

        # Then the page shows the API's price, in dollars, and the model version
        price = body["predictions"][0]
        explanation = body["explanations"][0]
        expect(page.locator("#price")).to_have_text(
            f"Predicted price: ${price:,.0f} (model {regression_model.__version__})"
        )
        # and its range, with the sentence that says what it means
        span = explanation["price_range"]
        expect(page.locator("#range")).to_have_text(
            f"Range: ${span['low']:,.0f} to ${span['high']:,.0f}"
        )
        expect(page.locator("#range-meaning")).to_be_visible()
        expect(page.locator("#range-meaning")).to_contain_text("8 in 10")
        # and what was read differently from what was typed: only the empty lot
        # area, in words (not the inputs the form never asks for)
        expect(page.locator("#warnings")).to_be_visible()
        expect(page.locator("#warning-list li")).to_have_text(
            ["Lot size: left empty, so filled in as a missing value"]
        )
        # and a bar per largest contribution, labelled with its feature and percent
        largest = sorted(
            explanation["contributions"], key=lambda c: -abs(c["contribution"])
        )[:8]
        bars = page.locator("#chart svg g.bar")
        expect(bars).to_have_count(8)
        imputed = set(explanation["imputed"])
        words = feature_words
        assert bars.locator("text.label").all_text_contents() == [
            f"{words[c['feature']]} (imputed)"
            if c["feature"] in imputed
            else words[c["feature"]]
            for c in largest
        ]
        expect(bars.filter(has_text="Lot size (imputed)")).to_have_count(1)
        first = bars.first.locator("text.value").text_content() or ""
        assert first.endswith(" %")
        expect(page.locator("#chart svg rect")).to_have_count(8)
        expect(page.locator("#chart-caption")).to_contain_text("exp(contribution)")
        # and the page broke no rule of its Content-Security-Policy
        assert not [text for text in console if "Content Security Policy" in text]
        browser.close()
