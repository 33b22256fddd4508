"""A large department in headless Chromium: "Can I…?" with an order picker that loads only the
chosen order's tree, and quizzes whose questions come from a data file per module, over
http:// and from file://, with attempt records still made."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from generator.build import build_site
from generator.render.quizzes import INLINE_MODULES_MAX
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_department  # noqa: E402

ORDERS = max(25, INLINE_MODULES_MAX + 1)  # more than the picker lists at once, more modules than inline
READY = "[data-rollcall='can-i'][data-ready='true']"
QUIZ_READY = "[data-rollcall='quiz'][data-ready='true']"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    write_department(root, ORDERS, scenarios=ORDERS * 6)
    site = root / "site"
    build_site(root, site, today=dt.date(2026, 11, 25), archive=root / "answer-keys")
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def large_url(large_site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(large_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def heading(page) -> str:
    return page.text_content(".rc-can-i-heading")


def tap_until_answer(page) -> list[str]:
    """Tap the first answer of every question until a verdict is shown; return the values."""
    values = []
    while page.locator("[data-rollcall='can-i-answer']").count() == 0:
        option = page.locator("[data-rollcall='can-i-option']").first
        values.append(option.get_attribute("data-value"))
        before = page.get_attribute(READY, "data-path")
        option.click()
        page.wait_for_function("b => { const r = document.querySelector(\"[data-rollcall='can-i']\"); "
                               "return r.dataset.path !== undefined && r.dataset.path !== b; }", arg=before)
    return values


def test_the_page_lists_orders_and_carries_no_tree(large_site: Path):
    html = (large_site / "can-i.html").read_text(encoding="utf-8")
    data = json.loads(html.split('data-rollcall="can-i-data">', 1)[1].split("</script>", 1)[0])
    assert "trees" not in data and len(data["orders"]) == ORDERS
    first = data["orders"][0]
    assert first == {"order": "100", "title": first["title"], "src": "assets/can-i/100.js"}
    script = (large_site / first["src"]).read_text(encoding="utf-8")
    assert script.startswith('(window.RollcallCanI = window.RollcallCanI || {})["100"] = {')
    assert len(html) < 40_000  # the trees are in the data files, not in the page


def test_pick_an_order_by_typing_then_answer(page, large_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(large_url + "can-i.html")
    page.wait_for_selector(READY)
    assert heading(page) == "Which General Order is it about?"
    assert page.locator("[data-rollcall='can-i-option']").count() == 20
    assert "Showing 20 of" in page.text_content("[data-rollcall='can-i-count']")
    assert not [u for u in requests if "/assets/can-i/" in u]  # no tree loaded before a choice
    page.fill("[data-rollcall='can-i-find']", "GO 112")
    page.wait_for_function("() => document.querySelectorAll(\"[data-rollcall='can-i-option']\").length === 1")
    assert page.text_content("[data-rollcall='can-i-count']") == "1 order matches."
    page.click("[data-rollcall='can-i-option'][data-value='112']")
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path === '#order=112'")
    assert page.url.endswith("can-i.html#order=112")
    # the tree's first question, not the order picker (waited for: it is drawn after the path is set)
    page.wait_for_function("() => { const q = document.querySelector(\"[data-rollcall='can-i-question']\"); return q && q.dataset.fact && q.dataset.fact !== 'order'; }")
    assert [u.rsplit("/", 1)[1] for u in requests if "/assets/can-i/" in u] == ["112.js"]
    values = tap_until_answer(page)
    answer = page.locator("[data-rollcall='can-i-answer']")
    assert answer.get_attribute("data-verdict") in {"permitted", "prohibited", "permitted_with_authorization", "required", "no_rule"}
    assert "General Order 112" in answer.text_content()
    if answer.get_attribute("data-verdict") != "no_rule":
        href = answer.locator("figure.rc-quote a.rc-quote-link").first.get_attribute("href")
        assert href.startswith("orders/112.html#112.")
    # The address reopens the same answer in a fresh page, loading only that order.
    url, text = page.url, answer.text_content()
    assert "can-i.html#order=112&" in url and len(values) == url.count("&")
    fresh = page.context.new_page()
    fresh.goto(url)
    fresh.wait_for_selector(READY + " [data-rollcall='can-i-answer']")
    assert fresh.text_content("[data-rollcall='can-i-answer']") == text
    # Back steps to the previous question, then to the order's first question and the list.
    for _ in values:
        page.go_back()
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path === '#order=112'")
    page.go_back()
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'Which General Order is it about?'")


def test_a_words_search_and_no_match(page, large_site: Path, large_url):
    data = json.loads((large_site / "can-i.html").read_text(encoding="utf-8")
                      .split('data-rollcall="can-i-data">', 1)[1].split("</script>", 1)[0])
    title = data["orders"][7]["title"]
    page.goto(large_url + "can-i.html")
    page.wait_for_selector(READY)
    page.fill("[data-rollcall='can-i-find']", title.lower())
    labels = page.locator("[data-rollcall='can-i-option']").all_text_contents()
    assert f"GO {data['orders'][7]['order']}: {title}" in labels
    page.fill("[data-rollcall='can-i-find']", "zzzz no such order")
    assert page.locator("[data-rollcall='can-i-option']").count() == 0
    assert page.text_content("[data-rollcall='can-i-count']") == "No order matches “zzzz no such order”."


def test_the_order_pages_link_opens_its_first_question(page, large_url):
    page.goto(large_url + "orders/105.html")
    page.click("[data-rollcall='can-i-link']")
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path === '#order=105'")
    # the tree's first question, not the order picker (waited for: it is drawn after the path is set)
    page.wait_for_function("() => { const q = document.querySelector(\"[data-rollcall='can-i-question']\"); return q && q.dataset.fact && q.dataset.fact !== 'order'; }")
    page.click("[data-rollcall='can-i-back']")
    page.wait_for_function("() => document.querySelector('.rc-can-i-heading')?.textContent === 'Which General Order is it about?'")


def test_picker_by_keyboard(page, large_url):
    page.goto(large_url + "can-i.html")
    page.wait_for_selector(READY)
    page.focus("[data-rollcall='can-i-find']")
    page.keyboard.type("GO 104")
    page.wait_for_function("() => document.querySelectorAll(\"[data-rollcall='can-i-option']\").length === 1")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.value") == "104"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path === '#order=104'")
    page.wait_for_function("() => document.activeElement.matches('.rc-can-i-heading')")


def test_can_i_and_a_quiz_from_a_file_share(page, large_site: Path):
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    page.goto((large_site / "can-i.html").as_uri() + "#order=103")
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='can-i']\")?.dataset.path === '#order=103'")
    tap_until_answer(page)
    page.goto((large_site / "training" / "go-103-practice.html").as_uri())
    page.wait_for_selector(QUIZ_READY + " .rc-question")
    assert outside == []


def test_quiz_pages_carry_settings_and_share_a_data_file(large_site: Path):
    html = (large_site / "training" / "go-100.html").read_text(encoding="utf-8")
    data = json.loads(html.split('data-rollcall="quiz-data">', 1)[1].split("</script>", 1)[0])
    assert data["questions"] == [] and {k: data["load"][k] for k in ("src", "key")} == {"src": "../assets/quizzes/go-100.js", "key": "go-100"}
    assert data["quiz"]["id"] == "go-100" and data["quiz"]["mode"] == "scored"
    practice = (large_site / "training" / "go-100-practice.html").read_text(encoding="utf-8")
    practice_data = json.loads(practice.split('data-rollcall="quiz-data">', 1)[1].split("</script>", 1)[0])
    assert practice_data["load"] == data["load"]  # one data file, with one digest, for both pages
    assert (large_site / "assets" / "quizzes" / "go-100.js").exists()
    assert (large_site / "assets" / "quizzes" / "final.js").exists()


def test_a_data_file_from_another_build_is_not_used(page, large_url, large_site: Path):
    """A page and a data file whose digests differ (one cached from an earlier build) would pair
    questions with the wrong page: the quiz says it cannot be read instead."""
    script = (large_site / "assets" / "quizzes" / "go-103.js").read_text(encoding="utf-8")
    digest = json.loads(script.split("] = ", 1)[1].rstrip().rstrip(";"))["digest"]
    stale = script.replace(f'"digest":"{digest}"', '"digest":"0000000000000000"')
    assert stale != script
    page.route("**/assets/quizzes/go-103.js", lambda route: route.fulfill(body=stale, content_type="text/javascript"))
    page.goto(large_url + "training/go-103-practice.html")
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='quiz-stage']\")?.textContent.includes('could not be read')")
    assert page.locator(".rc-question").count() == 0


def test_practice_feedback_from_the_data_file(page, large_url):
    page.goto(large_url + "training/go-101-practice.html")
    page.wait_for_selector(QUIZ_READY + " .rc-question")
    data = json.loads(page.text_content("[data-rollcall='quiz-data']"))  # filled in once loaded
    assert data["questions"] and "load" not in data
    qid = page.get_attribute(".rc-question", "data-question-id")
    question = next(q for q in data["questions"] if q["id"] == qid)
    for oid in question["answer"]:
        page.check(f".rc-question input[value='{oid}']")
    page.click("[data-rollcall='check']")
    assert page.text_content(".rc-feedback-verdict") == "Correct."
    assert page.locator(".rc-feedback figure.rc-quote").count() >= 1


def test_scored_quiz_from_the_data_file_is_recorded(page, large_url):
    page.goto(large_url + "training/go-102.html")
    page.wait_for_selector("[data-rollcall='identity']")
    page.fill("[data-rollcall='identity-name']", "Dana Ruiz")
    page.fill("[data-rollcall='identity-id']", "TP-4711")
    page.click("[data-rollcall='start']")
    data = json.loads(page.text_content("[data-rollcall='quiz-data']"))
    for index in range(data["quiz"]["draw"]):
        qid = page.get_attribute(".rc-question", "data-question-id")
        question = next(q for q in data["questions"] if q["id"] == qid)
        for oid in question["answer"]:
            page.check(f".rc-question input[value='{oid}']")
        page.click("[data-rollcall='review']" if index == data["quiz"]["draw"] - 1 else "[data-rollcall='next']")
    page.click("[data-rollcall='submit']")
    assert page.get_attribute("[data-rollcall='quiz-result']", "data-percent") == "100"
    page.wait_for_selector("[data-rollcall='record']")
    stored = json.loads(page.evaluate("() => localStorage.getItem('rollcall.attempts.v1')"))
    record = stored[-1]["record"]
    assert record["quiz"] == {"id": "go-102", "title": data["quiz"]["title"], "pass_mark": data["quiz"]["pass_mark"]}
    assert record["version"] == data["version"]


def test_the_picker_has_no_serious_accessibility_violation(page, large_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(large_url + "can-i.html")
    page.wait_for_selector(READY)
    page.fill("[data-rollcall='can-i-find']", "GO 1")
    violations = Axe().run(page).response["violations"]
    blocking = [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]
    assert blocking == []
