"""Attempt records in headless Chromium: who takes a scored quiz, the record saved and downloaded.

The identity step before a scored quiz (remembered on the device, operable by keyboard alone),
the record kept in localStorage the moment a quiz is submitted, the download that validates
against generator/schemas/attempt.schema.json and re-scores to the browser's percent, the notice
of records not handed in, unreadable stored data kept aside, and full storage said plainly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.browser.conftest import assert_no_blocking_violations, viewing

from generator.score import score_attempt
from tests.browser.records_helpers import IDENTITY, STORE, answer_all, identify, quiz_data, stored

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "generator" / "schemas" / "attempt.schema.json").read_text(encoding="utf-8"))
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def validate(record: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(record)


def test_identity_is_asked_before_a_scored_quiz_remembered_and_used(page, site_url):
    page.goto(site_url + "training/off-duty.html")
    page.wait_for_selector("[data-rollcall='identity']")
    assert page.locator(".rc-question").count() == 0
    # empty form: both errors in text, announced, focus on the first field
    page.click("[data-rollcall='start']")
    assert page.text_content("[data-rollcall='identity-name-error']") == "Enter your name."
    assert page.text_content("[data-rollcall='identity-id-error']") == "Enter your employee ID."
    assert page.get_attribute("[data-rollcall='identity-name']", "aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "identity-name"
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='quiz-status']\")?.textContent === 'Enter your name. Enter your employee ID.'")
    # the error is tied to its field
    assert page.get_attribute("[data-rollcall='identity-id']", "aria-describedby") == page.get_attribute("[data-rollcall='identity-id-error']", "id")
    # the name alone is not enough; spaces do not count
    page.fill("[data-rollcall='identity-name']", "  Dana Ruiz ")
    page.fill("[data-rollcall='identity-id']", "   ")
    page.click("[data-rollcall='start']")
    assert page.is_hidden("[data-rollcall='identity-name-error']")
    assert page.is_visible("[data-rollcall='identity-id-error']")
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "identity-id"
    page.fill("[data-rollcall='identity-id']", "TP-4711")
    page.click("[data-rollcall='start']")
    page.wait_for_selector(".rc-question")
    assert json.loads(page.evaluate(f"() => localStorage.getItem('{IDENTITY}')")) == {"name": "Dana Ruiz", "id": "TP-4711"}

    # next time (another quiz, after a reload) the device remembers: no form, a way to change
    page.goto(site_url + "training/on-duty.html")
    page.wait_for_selector("[data-rollcall='identity-known']")
    assert page.locator("[data-rollcall='identity']").count() == 0
    assert page.text_content("[data-rollcall='identity-known']") == "You are taking this quiz as Dana Ruiz, employee ID TP-4711."
    page.click("[data-rollcall='identity-change']")
    assert page.input_value("[data-rollcall='identity-name']") == ""  # another person starts clean
    page.click("[data-rollcall='identity-cancel']")
    assert page.text_content("[data-rollcall='identity-known-name']") == "Dana Ruiz"
    page.click("[data-rollcall='identity-change']")
    identify(page, "Sam O'Neil <Jr.>", "4 2/7")
    _, responses = answer_all(page, miss=0)
    record = stored(page)[0]["record"]
    assert record["employee"] == {"name": "Sam O'Neil <Jr.>", "id": "4 2/7"}
    assert record["quiz"]["id"] == "on-duty"
    assert {q: sorted(r) for q, r in record["responses"].items()} == {q: sorted(r) for q, r in responses.items()}


def test_finished_quiz_downloads_a_record_that_validates_and_rescores(page, site_url, built_site, tmp_path):
    page.goto(site_url + "training/off-duty.html")
    identify(page)
    page.evaluate("() => { window.__ids = []; document.addEventListener('rollcall:attempt', e => window.__ids.push(e.detail.attempt_id)); }")
    data, responses = answer_all(page, miss=2)
    # saved the moment it was submitted, before any download
    entries = stored(page)
    assert len(entries) == 1 and entries[0]["delivered"] == {"download": False, "lrs": False}
    saved = entries[0]["record"]
    attempt_id = page.evaluate("() => window.__ids[0]")
    assert saved["attempt_id"] == attempt_id and UUID4.match(attempt_id)
    assert page.text_content("[data-rollcall='record-storage']") == "Your record of this attempt is saved on this device."
    assert "shared folder" in page.text_content("[data-rollcall='record']")

    with page.expect_download() as info:
        page.click("[data-rollcall='record-download']")
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    record = json.loads(text)
    assert text.startswith('{\n  "format": "rollcall-attempt/1",')  # pretty-printed
    validate(record)
    assert record == saved
    assert re.fullmatch(r"rollcall-off-duty-TP-4711-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    assert record["employee"] == {"name": "Dana Ruiz", "id": "TP-4711"}
    assert record["quiz"] == {"id": "off-duty", "title": data["quiz"]["title"], "pass_mark": data["quiz"]["pass_mark"]}
    assert record["version"] == data["version"]
    assert record["site"] == site_url + "training/off-duty.html"
    assert set(record["responses"]) == set(record["questions"]) and len(record["questions"]) == data["quiz"]["draw"]
    # the training unit re-scores it from the responses: same result as the browser's
    questions = [q for q in data["questions"] if q["id"] in record["questions"]]
    rescored = score_attempt(questions, record["responses"], record["quiz"]["pass_mark"])
    browser_percent = float(page.get_attribute("[data-rollcall='quiz-result']", "data-percent"))
    assert rescored["percent"] == record["score"]["percent"] == browser_percent == 75.0
    assert rescored["passed"] is record["score"]["passed"] is False
    assert "scores" not in record["score"]
    # and the training unit's own import re-scores it, against the archived answer key
    from generator.cli import main
    import sqlite3
    handed_in = tmp_path / download.suggested_filename
    handed_in.write_text(text, encoding="utf-8")
    db = tmp_path / "results.sqlite"
    assert main(["results", "import", "--db", str(db), "--keys", str(built_site.parent / "answer-keys"), str(handed_in)]) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT attempt_id, percent, passed, tampered FROM attempts").fetchall() == [
            (attempt_id, browser_percent, 0, 0)]
    assert page.text_content("[data-rollcall='record-status']").startswith(f"Downloaded {download.suggested_filename}.")
    assert stored(page)[0]["delivered"]["download"] is True

    # a reload keeps it; downloaded, so no notice
    page.reload()
    page.wait_for_selector("[data-rollcall='identity-known']")
    assert stored(page)[0]["record"] == saved
    assert page.locator("[data-rollcall='pending']").count() == 0


def test_undelivered_records_survive_a_reload_and_the_notice_downloads_them(page, site_url):
    page.goto(site_url + "training/definitions.html")
    identify(page)
    answer_all(page, miss=1)
    first = stored(page)[0]["record"]
    page.reload()
    notice = page.locator("[data-rollcall='pending']")
    notice.wait_for()
    assert stored(page)[0]["record"] == first
    assert notice.get_attribute("role") == "region" and notice.get_attribute("aria-label") == "Quiz records to hand in"
    assert "1 quiz record on this device has not been handed in yet." in notice.text_content()
    assert "Definitions: scored quiz" in notice.text_content()
    page.wait_for_function("() => /not handed in yet/.test(document.getElementById('rc-live').textContent)")
    assert page.get_attribute("#rc-live", "aria-live") == "polite"

    # on every page, not only quizzes; a second record makes one .jsonl file
    second = dict(first, attempt_id="0b7f2d6e-5a0c-4c39-9d54-2f0c1b7a8e11", employee={"name": "Sam Lee", "id": "88"})
    page.evaluate(f"r => {{ const s = JSON.parse(localStorage.getItem('{STORE}')); s.push({{record: r, delivered: {{download: false, lrs: false}}}}); localStorage.setItem('{STORE}', JSON.stringify(s)); }}", second)
    page.goto(site_url + "index.html")
    notice.wait_for()
    assert "2 quiz records on this device have not been handed in yet." in notice.text_content()
    button = page.locator("[data-rollcall='pending-download']")
    assert button.text_content() == "Download the 2 records (one file)"
    button.focus()  # by keyboard
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".jsonl")
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["attempt_id"] for r in records] == [first["attempt_id"], second["attempt_id"]]
    for r in records:
        validate(r)
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "pending-done"
    assert [e["delivered"]["download"] for e in stored(page)] == [True, True]
    page.reload()
    page.wait_for_selector("h1")
    page.wait_for_timeout(200)
    assert page.locator("[data-rollcall='pending']").count() == 0


def test_unreadable_stored_data_is_kept_aside_not_deleted(page, site_url):
    garbage = '[{"record": {"attempt_id": "half-written'
    page.goto(site_url + "training/confidential.html")
    page.evaluate(f"g => localStorage.setItem('{STORE}', g)", garbage)
    page.reload()
    notice = page.locator("[data-rollcall='unreadable']")
    notice.wait_for()
    kept = page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('rollcall.attempts.unreadable.'))
                               .map(k => [k, localStorage.getItem(k)])""")
    assert len(kept) == 1 and kept[0][1] == garbage and re.fullmatch(r"rollcall\.attempts\.unreadable\.\d+", kept[0][0])
    assert kept[0][0] in notice.text_content() and "Nothing was deleted" in notice.text_content()

    # new attempts are saved as usual beside it
    identify(page)
    answer_all(page, miss=0)
    assert len(stored(page)) == 1
    assert page.evaluate(f"k => localStorage.getItem(k)", kept[0][0]) == garbage

    # the unreadable data can be downloaded for the training unit, and stays on the device
    page.reload()
    page.wait_for_selector("[data-rollcall='unreadable-download']")
    with page.expect_download() as info:
        page.click("[data-rollcall='unreadable-download']")
    assert garbage in Path(info.value.path()).read_text(encoding="utf-8")
    assert page.evaluate(f"k => localStorage.getItem(k)", kept[0][0]) == garbage


BROKEN_STORAGE = {
    "full": ("""
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
            if (key === 'rollcall.attempts.v1') throw new DOMException('full', 'QuotaExceededError');
            return setItem.call(this, key, value);
        };""", "its browser storage is full"),
    "unavailable": ("""
        Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});""",
                    "its browser storage is turned off or unavailable"),
}


@pytest.mark.parametrize("problem", sorted(BROKEN_STORAGE))
def test_storage_problems_are_said_plainly_and_the_download_still_works(browser, site_url, problem):
    script, words = BROKEN_STORAGE[problem]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(script)
    page = context.new_page()
    try:
        page.goto(site_url + "training/on-duty.html")
        identify(page)
        answer_all(page, miss=0)
        shown = page.locator("[data-rollcall='record-storage']")
        assert shown.get_attribute("data-problem") == problem
        assert f"This device could not save your record: {words}." in shown.text_content()
        page.wait_for_function("w => document.querySelector(\"[data-rollcall='quiz-status']\")?.textContent.includes(w)", arg=words)
        with page.expect_download() as info:
            page.click("[data-rollcall='record-download']")
        validate(json.loads(Path(info.value.path()).read_text(encoding="utf-8")))
    finally:
        context.close()


def test_practice_mode_asks_for_no_identity_and_records_nothing(page, site_url):
    page.goto(site_url + "training/off-duty-practice.html")
    page.wait_for_selector("[data-rollcall='quiz'][data-ready='true'] .rc-question")
    assert page.locator("[data-rollcall='identity'], [data-rollcall='identity-known']").count() == 0
    data = quiz_data(page)
    question = next(q for q in data["questions"] if q["id"] == page.get_attribute(".rc-question", "data-question-id"))
    page.check(f".rc-question input[value='{question['answer'][0]}']")
    page.click("[data-rollcall='check']")
    page.wait_for_selector("[data-rollcall='feedback']")
    assert page.evaluate(f"() => localStorage.getItem('{STORE}')") is None
    assert page.evaluate(f"() => localStorage.getItem('{IDENTITY}')") is None


def test_identity_form_by_keyboard_alone(page, site_url):
    page.goto(site_url + "training/confidential.html")
    page.wait_for_selector("[data-rollcall='identity']")
    # real labels: each input is found by its visible label
    assert page.get_by_label("Name", exact=True).get_attribute("data-rollcall") == "identity-name"
    assert page.get_by_label("Employee ID", exact=True).get_attribute("data-rollcall") == "identity-id"
    page.focus(".rc-scoring summary")  # the control just before the form
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "identity-name"
    page.keyboard.type("Dana Ruiz")
    page.keyboard.press("Enter")  # Enter submits: the missing ID is reported and focused
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "identity-id"
    assert page.text_content("[data-rollcall='identity-id-error']") == "Enter your employee ID."
    page.keyboard.type("TP-4711")
    page.keyboard.press("Enter")
    page.wait_for_selector(".rc-question")
    assert page.evaluate("() => document.activeElement.classList.contains('rc-question-heading')")
    # remembered: Start is a button; "Not you? Change" opens the form with focus in it
    page.reload()
    page.wait_for_selector("[data-rollcall='identity-known']")
    page.focus("[data-rollcall='start']")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "identity-change"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "identity-name"
    page.keyboard.type("Sam Lee")
    page.keyboard.press("Tab")
    page.keyboard.type("88")
    page.keyboard.press("Enter")
    page.wait_for_selector(".rc-question")
    assert json.loads(page.evaluate(f"() => localStorage.getItem('{IDENTITY}')")) == {"name": "Sam Lee", "id": "88"}


def test_record_download_works_from_a_file_share(page, built_site: Path):
    page.goto((built_site / "training" / "definitions.html").as_uri())
    identify(page)
    answer_all(page, miss=0)
    with page.expect_download() as info:
        page.click("[data-rollcall='record-download']")
    record = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    validate(record)
    assert record["site"].startswith("file://") and record["score"]["percent"] == 100



@pytest.mark.parametrize("viewport, scheme", [("desktop", "light"), ("phone", "dark")])
def test_identity_form_and_notice_have_no_serious_violations(axe, browser, site_url, viewport, scheme):
    with viewing(browser, viewport, scheme) as page:
        page.goto(site_url + "training/on-duty.html")
        page.wait_for_selector("[data-rollcall='identity']")
        page.click("[data-rollcall='start']")  # errors shown
        assert_no_blocking_violations(axe, page, "identity form with errors")
        identify(page)
        answer_all(page, miss=0)
        page.goto(site_url + "index.html")
        page.wait_for_selector("[data-rollcall='pending']")
        assert_no_blocking_violations(axe, page, "records-to-hand-in notice")
