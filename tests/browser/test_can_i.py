""""Can I…?" in headless Chromium: paths to a verdict by mouse and by keyboard, the URL as the
path (share, reopen, back and forward), the live region, phone width, and a file share."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.load import load_library
from tests.conftest import ROOT

READY = "[data-rollcall='can-i'][data-ready='true']"
STATUS = "[data-rollcall='can-i-status']"
UNIFORM = ["post_content", "off_duty", "department_insignia", "verbal_chief_or_designee"]
UNIFORM_HASH = "#act=post_content&duty=off_duty&content=department_insignia&permission=verbal_chief_or_designee"
UNIFORM_WHY = ("Prohibited because the photo shows department uniforms, patches, badges, logos or vehicles, and it is not "
               "the case that the Chief or a designee granted permission in writing (418.05.E).")


@pytest.fixture(scope="module")
def order():
    return load_library(ROOT).order("418")


def clause_text(order, citation: str) -> str:
    return next(u for u in order.units() if u.citation == citation).text


def open_helper(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY)


def heading(page) -> str:
    return page.text_content(".rc-can-i-heading")


def choose(page, *values: str) -> None:
    """Tap answers in turn, each time waiting for the next step to be shown."""
    for value in values:
        before = page.get_attribute(READY, "data-path")
        page.click(f"[data-rollcall='can-i-option'][data-value='{value}']")
        page.wait_for_function("b => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path !== b", arg=before)


def wait_for_status(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector(\"[data-rollcall='can-i-status']\")?.textContent.includes(t)", arg=text)


def focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.textContent")


def test_uniform_photo_with_verbal_permission_is_prohibited_with_the_clause_quoted(page, site_url, order):
    open_helper(page, site_url + "can-i.html")
    assert heading(page) == "What are you about to do?"
    labels = page.locator("[data-rollcall='can-i-option']").all_text_contents()
    assert labels == [label for _, label in order.fact("act").values]
    choose(page, *UNIFORM)
    answer = page.locator("[data-rollcall='can-i-answer']")
    assert answer.get_attribute("data-verdict") == "prohibited"
    assert heading(page) == "Prohibited"
    assert page.text_content("[data-rollcall='can-i-why']") == "Why: " + UNIFORM_WHY
    quote = answer.locator("figure.rc-quote[data-citation='418.05.E']")
    assert quote.locator("blockquote p").all_text_contents() == [clause_text(order, "418.05.E")]
    link = quote.locator("a.rc-quote-link")
    assert link.text_content() == "GO 418.05.E: Photos of uniforms, patches, badges, logos or vehicles"
    assert page.url.endswith("can-i.html" + UNIFORM_HASH)
    # Scenarios to practise on, the very situation first, linking to its module's practice page.
    first = answer.locator("[data-rollcall='can-i-practice'] a").first
    assert first.text_content() == "A uniform selfie posted with only the Chief's verbal permission violates 418.05.E"
    assert first.get_attribute("href") == "training/off-duty-practice.html"
    link.click()
    page.wait_for_url("**/orders/418.html#418.05.E")


def test_the_quoted_clause_links_to_its_permalink(page, site_url):
    open_helper(page, site_url + "can-i.html" + UNIFORM_HASH)
    href = page.get_attribute("figure.rc-quote a.rc-quote-link", "href")
    assert href == "orders/418.html#418.05.E"


def test_personal_browsing_on_duty_is_prohibited_by_418_04_D(page, site_url, order):
    open_helper(page, site_url + "can-i.html")
    choose(page, "access_site", "on_duty", "personal")
    assert heading(page) == "Prohibited"
    assert page.locator("figure.rc-quote").evaluate_all("els => els.map(e => e.dataset.citation)") == ["418.04.D"]
    assert page.locator("figure.rc-quote blockquote p").all_text_contents() == [clause_text(order, "418.04.D")]


def test_a_coworkers_violating_post_must_be_reported(page, site_url):
    open_helper(page, site_url + "can-i.html")
    choose(page, "learn_of_violation")  # one tap: nothing else matters
    assert heading(page) == "Required: you must act"
    assert page.get_attribute("[data-rollcall='can-i-answer']", "data-verdict") == "required"
    assert page.get_attribute("figure.rc-quote", "data-citation") == "418.05.H"
    assert "shall promptly notify his/her supervisor" in page.text_content("figure.rc-quote blockquote")
    assert page.url.endswith("can-i.html#act=learn_of_violation")


def test_where_no_rule_decides_it_says_so_and_points_to_a_supervisor(page, site_url):
    open_helper(page, site_url + "can-i.html")
    choose(page, "moderate_official", "employee")
    assert heading(page) == "No rule decides this"
    assert page.get_attribute("[data-rollcall='can-i-answer']", "data-verdict") == "no_rule"
    why = page.text_content("[data-rollcall='can-i-why']")
    assert "No rule of General Order 418 decides this situation" in why and "Ask your supervisor before you act." in why
    assert page.locator("figure.rc-quote").count() == 0
    for verdict in ("Permitted", "Prohibited", "Required"):
        assert verdict not in page.text_content("[data-rollcall='can-i-answer']")
    wait_for_status(page, "Ask your supervisor")


def test_unknown_permission_says_permitted_only_with_authorization(page, site_url):
    open_helper(page, site_url + "can-i.html")
    choose(page, "post_content", "off_duty", "department_insignia")
    assert page.locator("[data-rollcall='can-i-option']").last.text_content() == "I don't know yet"
    choose(page, "unknown")
    assert heading(page) == "Permitted only with authorization"
    assert page.url.endswith("#act=post_content&duty=off_duty&content=department_insignia&permission=unknown")


def test_keyboard_alone_reaches_a_verdict(page, site_url):
    open_helper(page, site_url + "can-i.html")
    # From the top of the page, Tab to the first answer button.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.rollcall") == "can-i-option":
            break
    assert page.evaluate("() => document.activeElement.dataset.value") == "post_content"
    page.keyboard.press("Tab")  # the second answer: open or use a site
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.textContent === 'Are you on duty or off duty?'")
    page.keyboard.press("Tab")  # focus was moved to the question heading; Tab reaches the first answer
    assert focused_text(page) == "On duty (during duty hours)"
    page.keyboard.press("Space")
    page.wait_for_function("() => document.activeElement.textContent === 'Is it for personal use or for official department business?'")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.textContent === 'Prohibited'")
    assert page.evaluate("() => document.activeElement.matches('.rc-can-i-heading')")
    wait_for_status(page, "Answer: Prohibited. Prohibited because during duty hours employees may not access social networking sites for personal use (418.04.D).")
    # Back by keyboard too.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.rollcall") == "can-i-back":
            break
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.textContent === 'Is it for personal use or for official department business?'")


def test_the_answer_is_announced_in_the_live_region(page, site_url):
    open_helper(page, site_url + "can-i.html")
    status = page.locator(STATUS)
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    choose(page, *UNIFORM)
    wait_for_status(page, "Answer: Prohibited. " + UNIFORM_WHY)


def test_the_answers_url_reopens_the_same_answer(browser, site_url):
    first = browser.new_context().new_page()
    open_helper(first, site_url + "can-i.html")
    choose(first, *UNIFORM)
    url, answer = first.url, first.text_content("[data-rollcall='can-i-answer']")
    first.context.close()
    fresh = browser.new_context().new_page()
    open_helper(fresh, url)
    assert fresh.text_content("[data-rollcall='can-i-answer']") == answer
    wait_for_status(fresh, UNIFORM_WHY)
    fresh.context.close()


def test_back_and_forward_step_through_the_questions(page, site_url):
    open_helper(page, site_url + "can-i.html")
    choose(page, "post_content", "off_duty")
    assert heading(page) == "What does it show or contain?"
    page.go_back()
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'Are you on duty or off duty?'")
    assert page.url.endswith("can-i.html#act=post_content")
    assert page.evaluate("() => document.activeElement.matches('.rc-can-i-heading')")
    page.go_back()
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'What are you about to do?'")
    page.go_forward()
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'Are you on duty or off duty?'")
    # The page was not fetched again: the helper that answered is the one still mounted.
    page.evaluate("() => { document.querySelector(\"[data-rollcall='can-i']\").dataset.probe = 'same'; }")
    choose(page, "off_duty", "negative_about_department")
    assert heading(page) == "Prohibited"
    page.go_back()
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'What does it show or contain?'")
    assert page.get_attribute(READY, "data-probe") == "same"


def test_back_and_start_again_buttons(page, site_url):
    open_helper(page, site_url + "can-i.html" + UNIFORM_HASH)  # a shared link: no earlier step in history
    assert page.locator("[data-rollcall='can-i-back']").count() == 1
    page.click("[data-rollcall='can-i-back']")
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'Who gave permission, and in what form?'")
    assert page.url.endswith("#act=post_content&duty=off_duty&content=department_insignia")
    page.click("[data-rollcall='can-i-restart']")
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'What are you about to do?'")
    assert page.url.endswith("can-i.html")
    assert page.locator("[data-rollcall='can-i-back'], [data-rollcall='can-i-restart']").count() == 0


def test_entry_points_lead_to_the_first_question(page, site_url):
    page.goto(site_url + "orders/418.html")
    page.click("[data-rollcall='can-i-link']")
    page.wait_for_selector(READY)
    assert heading(page) == "What are you about to do?"
    assert page.url.endswith("can-i.html")  # #order=418 names the only order: nothing to ask
    page.goto(site_url + "index.html")
    page.click("[data-rollcall='can-i-link']")
    page.wait_for_selector(READY)
    assert heading(page) == "What are you about to do?"


def test_a_link_with_an_unknown_answer_says_so_and_asks_from_there(page, site_url):
    open_helper(page, site_url + "can-i.html#act=post_content&duty=sometimes")
    assert heading(page) == "Are you on duty or off duty?"
    assert "duty = sometimes" in page.text_content(".rc-can-i-notice")


def test_phone_one_handed_big_buttons_and_no_sideways_scrolling(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_helper(page, site_url + "can-i.html#act=post_content&duty=off_duty")
    boxes = [page.locator(sel).nth(i).bounding_box() for sel in ("[data-rollcall='can-i-option']", ".rc-can-i-actions .md-button")
             for i in range(page.locator(sel).count())]
    assert len(boxes) == 14
    assert all(box["height"] >= 44 for box in boxes), boxes
    assert all(box["width"] >= 300 for box in boxes[:12])  # answers span the width
    page.tap("[data-rollcall='can-i-option'][data-value='others_work']")
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent.startsWith('Did the author')")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    context.close()


def test_works_from_a_file_share(page, built_site: Path):
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    open_helper(page, (built_site / "can-i.html").as_uri())
    choose(page, *UNIFORM)
    assert heading(page) == "Prohibited"
    assert page.url.endswith("can-i.html" + UNIFORM_HASH)
    page.go_back()
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'Who gave permission, and in what form?'")
    open_helper(page, (built_site / "can-i.html").as_uri() + "#act=learn_of_violation")
    assert heading(page) == "Required: you must act"
    assert outside == []


def test_the_page_walks_the_embedded_tree_only(built_site: Path):
    """No rule logic in the browser: the script reads verdicts from the data, never rules."""
    script = (ROOT / "site_overrides" / "assets" / "javascripts" / "can-i.js").read_text(encoding="utf-8")
    for word in ("unless", "when", "prohibited", "permitted_with_authorization"):
        assert not re.search(rf"[\"']{word}[\"']", script), word
    html = (built_site / "can-i.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'data-rollcall="can-i-data">(.*?)</script>', html, re.S).group(1))
    keys: set[str] = set()

    def collect(value):
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    assert not keys & {"rules", "when", "unless", "because"}
