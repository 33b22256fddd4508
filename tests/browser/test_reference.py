"""The policy reference in headless Chromium: search, permalinks, copy citation, offline."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

SEARCH_INPUT = "input.md-search__input"


def open_search(page) -> None:
    if page.is_visible(SEARCH_INPUT):
        page.focus(SEARCH_INPUT)
    else:  # phone layout: the search icon opens the dialog
        page.click("label[for='__search']")
        page.wait_for_selector(SEARCH_INPUT, state="visible")


def search(page, query: str) -> list[str]:
    """Type a query as a person does and return the anchors of the section results, in order."""
    open_search(page)
    page.fill(SEARCH_INPUT, "")
    page.keyboard.type(query, delay=15)  # Material searches on keyup
    page.wait_for_function(
        """q => {
            const input = document.querySelector('input.md-search__input');
            const meta = document.querySelector('.md-search-result__meta');
            return input.value === q && meta && /matching document|No matching/.test(meta.textContent)
                && document.querySelector('.md-search-result__list') !== null;
        }""",
        arg=query,
    )
    page.wait_for_timeout(150)  # let the result list settle after the meta line
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    return [urlsplit(h).fragment for h in hrefs if urlsplit(h).fragment]


@pytest.fixture
def order_page(page, site_url):
    page.goto(site_url + "orders/418.html")
    return page


@pytest.mark.parametrize("query, first", [("418.05.G", "418.05.G"), ("05.E", "418.05.E"), ("5.E", "418.05.E"),
                                          ("418.04.C.3", "418.04.C.3"), ("418.05", "418.05")])
def test_citation_search_puts_that_unit_first(order_page, query, first):
    assert search(order_page, query)[0] == first


@pytest.mark.parametrize("query, clause", [
    ("selfie", "418.05.E"),
    ("picture of my cruiser", "418.05.E"),
    ("crime scene photo", "418.05.F"),
    ("lawsuit", "418.05.D"),
    ("check facebook on break", "418.04.D"),
    ("confidential investigation", "418.05.G"),
])
def test_everyday_words_find_the_governing_clause_first(order_page, query, clause):
    assert search(order_page, query)[0] == clause


def test_search_results_point_at_the_clause_anchor(order_page, site_url):
    search(order_page, "selfie")
    order_page.click(".md-search-result__item a[href*='#418.05.E']")
    order_page.wait_for_function("() => location.hash === '#418.05.E'")
    assert order_page.evaluate("() => { const r = document.getElementById('418.05.E').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")


def test_opening_a_permalink_scrolls_to_the_clause(page, site_url):
    page.goto(site_url + "orders/418.html#418.05.G.3")
    page.wait_for_timeout(300)
    top = page.evaluate("() => document.getElementById('418.05.G.3').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] - 100  # in view (the page may end below it)
    assert page.evaluate("() => scrollY") > 1000  # the page really scrolled down to it
    assert page.evaluate("() => getComputedStyle(document.getElementById('418.05.G.3')).borderLeftStyle") == "solid"


def test_copy_button_copies_citation_with_link(browser, site_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + "orders/418.html")
    button = page.locator("[id='418.05.E'] .rc-copy")
    assert button.get_attribute("aria-label") == "Copy citation 418.05.E with its link"
    button.click()
    expected = f"GO 418.05.E (Social Media): {site_url}orders/418.html#418.05.E"
    page.wait_for_function("() => document.getElementById('rc-live').textContent.startsWith('Copied')")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    assert page.text_content("#rc-live") == f"Copied {expected}"
    context.close()


def test_copy_buttons_mount_after_navigating_from_home(page, site_url):
    page.goto(site_url + "index.html")
    page.click(".rc-orders table a >> nth=0")
    page.wait_for_selector("[id='418.05.H'] .rc-copy")
    assert page.locator(".rc-copy").count() == 35


def _visit_recording_requests(page, url: str, origin: str) -> list[str]:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not (r.url.startswith(origin) or r.url.startswith("data:")) else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return outside


@pytest.mark.parametrize("path", ["index.html", "orders/418.html", "glossary.html"])
def test_no_request_leaves_the_site_origin(page, site_url, path):
    outside = _visit_recording_requests(page, site_url + path, site_url)
    search(page, "selfie")
    assert outside == []


def test_search_works_from_file_share_without_network(page, built_site: Path):
    url = (built_site / "orders" / "418.html").as_uri()
    outside = _visit_recording_requests(page, url, "file://")
    assert search(page, "418.05.G")[0] == "418.05.G"
    assert outside == []


def test_phone_width_reads_without_sideways_scrolling(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "orders/418.html#418.05.G")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert search(page, "5.E")[0] == "418.05.E"
    context.close()


def test_copy_buttons_are_there_from_a_file_share(page, built_site: Path):
    page.goto((built_site / "orders" / "418.html").as_uri())
    page.wait_for_selector("[id='418.05.H'] .rc-copy")
    assert page.locator(".rc-copy").count() == 35
