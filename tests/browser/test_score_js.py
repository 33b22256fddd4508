"""The browser scorer (score.js) in Chromium against the same vectors as the Python scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "tests" / "vectors" / "scoring.json").read_text())["cases"]
SCORE_JS = (ROOT / "site_overrides" / "assets" / "javascripts" / "score.js").read_text()


@pytest.fixture(scope="module")
def scorer_page(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>score</title>")
    page.add_script_tag(content=SCORE_JS)
    yield page
    page.close()


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_browser_scorer_matches_vector(scorer_page, case):
    result = scorer_page.evaluate("c => Rollcall.score.attempt(c.questions, c.responses, c.pass_mark)", case)
    expected = case["expected"]
    assert result["scores"] == pytest.approx(expected["scores"])
    assert result["total"] == pytest.approx(expected["total"])
    assert (result["max"], result["percent"], result["passed"]) == (expected["max"], expected["percent"], expected["passed"])
