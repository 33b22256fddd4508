"""Revision pages in Chromium: what changed and superseded revisions read well and pass axe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

import pytest

from generator.build import build_site
from tests.conftest import serving
from tests.test_revisions import make_revised_project

from tests.browser.conftest import VIEWPORTS, assert_no_blocking_violations, viewing


@pytest.fixture(scope="module")
def revised_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("revised")
    project = make_revised_project(folder / "project")
    build_site(project, folder / "site", today=dt.date(2027, 2, 1), archive=folder / "keys")
    with serving(folder / "site") as url:
        yield url



CHANGES = "orders/418/changes-2027-01-01.html"
VIEWS = [(CHANGES, v, s) for v in VIEWPORTS for s in ("light", "dark")] + [
    (path, v, s) for path in ("orders/418/2018-04-03.html", "standards.html") for v, s in (("desktop", "light"), ("phone", "dark"))
]
"""The what-changed page (its own colours for removed and added words) in every view; the others,
which reuse the order page's and the tables' styles, at desktop-light and phone-dark."""


@pytest.mark.parametrize("path, viewport, scheme", VIEWS)
def test_revision_pages_have_no_serious_accessibility_violations(browser, axe, revised_url: str, path: str, viewport: str, scheme: str) -> None:
    with viewing(browser, viewport, scheme) as page:
        page.goto(revised_url + path)
        assert_no_blocking_violations(axe, page, f"{path} ({viewport}, {scheme})")
        overflow = page.evaluate("document.querySelector('.md-content').scrollWidth - document.querySelector('.md-content').clientWidth")
        assert overflow <= 1, f"{path} is wider than the screen at {viewport} width by {overflow}px"


def test_history_links_lead_from_the_order_to_what_changed_and_back(page, revised_url: str) -> None:
    page.goto(revised_url + "orders/418.html")
    history = page.locator("[data-rollcall='revision-history']")
    history.get_by_role("link", name="What changed").click()
    page.wait_for_url("**/changes-2027-01-01.html")
    assert page.locator("h1").inner_text().startswith("GO 418: what changed on January 01, 2027")
    change = page.locator("[data-citation='418.05.A']")
    assert change.locator("del").first.inner_text() == "sites."
    assert "written permission" in change.locator("ins").first.inner_text()
    change.get_by_role("link", name="(earlier text)").click()
    page.wait_for_url("**/2018-04-03.html#418.05.A")
    assert page.locator("[data-rollcall='superseded']").is_visible()
    page.locator("[data-rollcall='superseded']").get_by_role("link", name="read the current order").click()
    page.wait_for_url("**/orders/418.html")
    assert page.locator("[data-rollcall='superseded']").count() == 0
