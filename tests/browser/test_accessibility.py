"""axe-core in headless Chromium: no serious or critical violation on the built site.

Every page at desktop and phone width in the light and the dark ("slate") scheme, the search
dialog with results (also with a result focused, which tints it), and a permalink target with
its focused Copy button. Needs `axe-playwright-python==0.1.8` (it bundles axe-core).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import VIEWPORTS, assert_no_blocking_violations, viewing

PAGES = ["index.html", "orders/418.html", "glossary.html"]
SCHEMES = {"light": "default", "dark": "slate"}  # emulated prefers-color-scheme -> Material scheme
SEARCH_INPUT = "input.md-search__input"


@pytest.fixture(params=[(v, s) for v in VIEWPORTS for s in SCHEMES], ids=lambda p: f"{p[0]}-{p[1]}")
def view(request, browser):
    """A page at one width in one colour scheme; yields (page, viewport name, scheme name)."""
    viewport, scheme = request.param
    with viewing(browser, viewport, scheme) as page:
        yield page, viewport, scheme


def open_page(page, url: str, scheme: str) -> None:
    page.goto(url)
    if "/orders/" in url:
        page.wait_for_selector(".rc-copy")  # our widgets are mounted, so axe sees them
    # The palette follows prefers-color-scheme; make sure the scheme under test is the one shown.
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]


def type_search(page, query: str) -> None:
    if page.is_visible(SEARCH_INPUT):
        page.focus(SEARCH_INPUT)
    else:  # phone layout: the search icon opens the dialog
        page.click("label[for='__search']")
        page.wait_for_selector(SEARCH_INPUT, state="visible")
    page.keyboard.type(query, delay=15)  # Material searches on keyup
    page.wait_for_function(
        """q => document.querySelector('input.md-search__input').value === q
            && /matching document/.test(document.querySelector('.md-search-result__meta').textContent)
            && document.querySelector('.md-search-result__item') !== null""",
        arg=query,
    )
    page.wait_for_timeout(150)  # let the result list settle


def test_search_dialog_has_a_name_on_every_page(built_site: Path):
    """site_overrides/main.html names Material's search dialog (axe `aria-dialog-name`)."""
    for path in PAGES:
        html = (built_site / path).read_text(encoding="utf-8")
        dialogs = re.findall(r'<div class="md-search"[^>]*>', html)
        assert dialogs == ['<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'], (path, dialogs)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_violations(axe, view, site_url, path):
    page, viewport, scheme = view
    open_page(page, site_url + path, scheme)
    assert_no_blocking_violations(axe, page, f"{path} ({viewport}, {scheme})")


def test_search_results_have_no_serious_violations(axe, view, site_url):
    page, viewport, scheme = view
    open_page(page, site_url + "orders/418.html", scheme)
    type_search(page, "selfie")
    assert_no_blocking_violations(axe, page, f"search results for 'selfie' ({viewport}, {scheme})")
    page.keyboard.press("ArrowDown")  # focus the first result: Material tints its background
    page.wait_for_function("() => document.activeElement.matches('.md-search-result__link')")
    page.wait_for_timeout(300)  # the tint fades in
    assert_no_blocking_violations(axe, page, f"search, first result focused ({viewport}, {scheme})")


def test_permalink_target_and_focused_copy_button(axe, view, site_url):
    page, viewport, scheme = view
    open_page(page, site_url + "orders/418.html#418.05.G", scheme)
    page.focus("[id='418.05.G'] .rc-copy")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # from the keyboard, so :focus-visible applies
    assert page.evaluate("() => document.activeElement.matches('.rc-copy:focus-visible')")
    assert_no_blocking_violations(axe, page, f"orders/418.html#418.05.G, Copy focused ({viewport}, {scheme})")


def _answer_first_question_wrong(page) -> None:
    import json

    data = json.loads(page.text_content("[data-rollcall='quiz-data']"))
    qid = page.get_attribute(".rc-question", "data-question-id")
    question = next(q for q in data["questions"] if q["id"] == qid)
    wrong = next(o["id"] for o in question["options"] if o["id"] not in question["answer"])
    page.check(f".rc-question input[value='{wrong}']")


def test_training_overview_has_no_serious_violations(axe, view, site_url):
    page, viewport, scheme = view
    open_page(page, site_url + "training/index.html", scheme)
    assert_no_blocking_violations(axe, page, f"training/index.html ({viewport}, {scheme})")


def test_practice_feedback_has_no_serious_violations(axe, view, site_url):
    page, viewport, scheme = view
    open_page(page, site_url + "training/off-duty-practice.html", scheme)
    page.wait_for_selector(".rc-question")
    _answer_first_question_wrong(page)
    page.click("[data-rollcall='check']")
    page.wait_for_selector("[data-rollcall='feedback']")
    assert_no_blocking_violations(axe, page, f"practice feedback ({viewport}, {scheme})")


def test_scored_review_and_results_have_no_serious_violations(axe, view, site_url):
    page, viewport, scheme = view
    open_page(page, site_url + "training/definitions.html", scheme)
    page.fill("[data-rollcall='identity-name']", "Dana Ruiz")  # a scored quiz asks who takes it
    page.fill("[data-rollcall='identity-id']", "TP-4711")
    page.click("[data-rollcall='start']")
    _answer_first_question_wrong(page)
    page.click("[data-rollcall='next']")
    for _ in range(4):
        page.click("[data-rollcall='next']")
    page.click("[data-rollcall='review']")
    assert_no_blocking_violations(axe, page, f"review before submit ({viewport}, {scheme})")
    page.click("[data-rollcall='submit']")
    page.wait_for_selector("[data-rollcall='quiz-result']")
    assert_no_blocking_violations(axe, page, f"quiz results ({viewport}, {scheme})")


CAN_I_STATES = {
    "first-question": "",
    "middle-question": "#act=post_content&duty=off_duty",
    "prohibited": "#act=post_content&duty=off_duty&content=department_insignia&permission=verbal_chief_or_designee",
    "permitted": "#act=identify_as_employee",
    "with-authorization": "#act=post_official&permission=unknown",
    "required": "#act=learn_of_violation",
    "no-rule": "#act=moderate_official&role=employee",
}


def test_can_i_has_no_serious_violations(axe, view, site_url):
    """Every kind of step: the first and a later question, and each kind of answer (their
    verdict colours differ), reached by changing the hash in one page."""
    page, viewport, scheme = view
    open_page(page, site_url + "can-i.html", scheme)
    page.wait_for_selector("[data-rollcall='can-i'][data-ready='true']")
    for name, hash_ in CAN_I_STATES.items():
        page.evaluate("h => { location.hash = h; }", hash_)
        page.wait_for_function("h => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path === h", arg=hash_)
        assert_no_blocking_violations(axe, page, f"can-i.html{hash_} ({name}, {viewport}, {scheme})")
