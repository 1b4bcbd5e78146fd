"""A real browser submits the form and sees the price, its range, warnings and chart.

Headless Debian ``chromium`` driven by Playwright. Without Chromium the test is
skipped on a developer's machine, but fails in CI (where ``$CI`` is set).
"""

from __future__ import annotations

from typing import Any

import regression_model
from playwright.sync_api import expect, sync_playwright


def test_submitting_the_form_shows_the_price_its_range_warnings_and_chart(
    live_url: str, chromium: dict[str, Any], feature_words: dict[str, str]
) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium)
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
