"""Attempts sent to a real Learning Record Store (xAPI 1.0.3) from headless Chromium.

The LRS is Ralph (PyPI `ralph-malph[cli,lrs]`) on loopback with its filesystem backend: the
project is built with `extra: rollcall: xapi:` pointing at it, a scored quiz is taken in the
browser, and the statements are read back from Ralph. Also: resending is idempotent, and a record
finished while the LRS is down is sent once it answers. Statement ids are checked against
Python's uuid.uuid5, for crypto.subtle and for record.js's own SHA-1.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest

from generator.score import score_question
from tests.browser.records_helpers import answer_all, identify
from tests.browser.xapi_lrs import PASSWORD, USER, free_port, lrs_site, ralph_auth, site_and_lrs, start_lrs  # noqa: F401 - fixtures

VERBS = "http://adlnet.gov/expapi/verbs/"


def take_quiz(page, url: str, miss: int) -> dict:
    """Identify, answer every question (the first `miss` wrong), submit; return the quiz data."""
    page.goto(url)
    identify(page)
    data, _ = answer_all(page, miss)
    page.wait_for_selector("[data-rollcall='lrs-status']")
    return data


def stored_entries(page) -> list[dict]:
    return json.loads(page.evaluate("() => localStorage.getItem('rollcall.attempts.v1')") or "[]")


def wait_lrs_state(page, state: str, timeout: float = 20000) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("s => document.querySelector(\"[data-rollcall='lrs-status']\")?.dataset.state === s", arg=state, timeout=timeout)
    except PlaywrightTimeout:
        shown = page.text_content("[data-rollcall='lrs-status']")
        pytest.fail(f"LRS state never became {state!r}: {shown!r}")


def check_statements(statements: list[dict], record: dict, data: dict, site: str, browser_percent: float) -> None:
    """The statements of one record, as the LRS holds them."""
    attempt = record["attempt_id"]
    quiz_iri = f"{site}training/{record['quiz']['id']}"
    by_verb: dict[str, list[dict]] = {}
    for s in statements:
        by_verb.setdefault(s["verb"]["id"].removeprefix(VERBS), []).append(s)
    passed = record["score"]["passed"]
    assert sorted((verb, len(group)) for verb, group in by_verb.items()) == sorted(
        [("answered", len(record["questions"])), ("passed" if passed else "failed", 1), ("completed", 1)])
    questions = {q["id"]: q for q in data["questions"]}
    for s in statements:
        assert s["actor"] == {"objectType": "Agent", "name": "Dana Ruiz", "account": {"homePage": site.rstrip("/"), "name": "TP-4711"}}
        assert s["context"]["registration"] == attempt
        assert s["context"]["revision"] == data["version"]
        assert s["id"] == str(uuid.uuid5(uuid.UUID(attempt), s["verb"]["id"] + " " + s["object"]["id"]))  # deterministic
        assert s["timestamp"].startswith(record["finished"][:19])
    answered = {s["object"]["id"].split("#", 1)[1]: s for s in by_verb["answered"]}
    assert set(answered) == set(record["questions"])
    for qid, s in answered.items():
        q = questions[qid]
        expected = score_question(q, record["responses"][qid])
        definition = s["object"]["definition"]
        assert s["object"]["id"] == f"{quiz_iri}#{qid}"
        assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert definition["interactionType"] == "choice"
        assert definition["correctResponsesPattern"] == ["[,]".join(q["answer"])]
        assert definition["choices"] == [{"id": o["id"], "description": {"en-US": o["text"]}} for o in q["options"]]
        assert s["result"]["response"] == "[,]".join(record["responses"][qid])
        assert s["result"]["success"] is (expected == 1)
        assert s["result"]["score"]["scaled"] == pytest.approx(expected)
        assert s["context"]["contextActivities"]["parent"][0]["id"] == quiz_iri
    for verb in ("passed" if passed else "failed", "completed"):
        s = by_verb[verb][0]
        assert s["object"]["id"] == quiz_iri
        assert s["result"]["score"]["scaled"] == pytest.approx(browser_percent / 100)
        assert s["result"]["success"] is passed
        assert s["result"]["completion"] is True
        assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?", s["result"]["duration"]) and s["result"]["duration"] != "PT"


def test_scored_quiz_reaches_the_lrs_once(page, site_and_lrs):
    site, lrs = site_and_lrs
    data = take_quiz(page, site + "training/off-duty.html", miss=2)
    wait_lrs_state(page, "sent")
    assert page.text_content("[data-rollcall='lrs-status']") == "Sent to the training record store."
    # the settings reached the page intact, escaped inside their script element
    config = json.loads(page.text_content("#rollcall-config"))
    assert config == {"xapi": {"endpoint": lrs.url, "username": USER, "password": PASSWORD}}
    entry = stored_entries(page)[0]
    record = entry["record"]
    assert entry["delivered"]["lrs"] is True
    browser_percent = float(page.get_attribute("[data-rollcall='quiz-result']", "data-percent"))
    assert browser_percent == record["score"]["percent"] == 75.0
    statements = lrs.statements(registration=record["attempt_id"])
    check_statements(statements, record, data, site, browser_percent)
    assert len(lrs.statements()) == len(statements) == 10

    # sent once: a reload sends nothing new; a record marked unsent is sent again, harmlessly
    page.reload()
    page.wait_for_selector("[data-rollcall='identity-known']")
    assert page.locator("[data-rollcall='pending']").count() == 0
    page.evaluate("""() => { const s = JSON.parse(localStorage.getItem('rollcall.attempts.v1'));
                             s[0].delivered.lrs = false; localStorage.setItem('rollcall.attempts.v1', JSON.stringify(s)); }""")
    page.reload()
    page.wait_for_function("() => JSON.parse(localStorage.getItem('rollcall.attempts.v1'))[0].delivered.lrs === true", timeout=20000)
    assert len(lrs.statements()) == 10


def test_record_finished_while_the_lrs_is_down_is_sent_when_it_answers(browser, lrs_site, start_lrs):
    lrs_port = free_port()  # nobody listens here yet
    site = lrs_site(lrs_port)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        data = take_quiz(page, site + "training/definitions.html", miss=0)
        wait_lrs_state(page, "retry")
        assert page.text_content("[data-rollcall='lrs-status']").startswith("Not sent yet; will retry.")
        record = stored_entries(page)[0]["record"]
        assert stored_entries(page)[0]["delivered"] == {"download": False, "lrs": False}
        # on the next page it is listed as not handed in, with its state
        page.goto(site + "index.html")
        notice = page.locator("[data-rollcall='pending']")
        notice.wait_for()
        assert "Not sent to the training record store yet; will retry." in notice.text_content()

        lrs = start_lrs(lrs_port, site.rstrip("/"))
        page.evaluate("() => { window.__online = 0; window.addEventListener('online', () => window.__online++); }")
        context.set_offline(True)  # the browser comes back online: record.js tries again at once
        context.set_offline(False)
        page.wait_for_function("() => window.__online === 1")
        page.wait_for_function("() => JSON.parse(localStorage.getItem('rollcall.attempts.v1'))[0].delivered.lrs === true", timeout=30000)
        page.wait_for_function("() => !document.querySelector(\"[data-rollcall='pending']\")")
        statements = lrs.statements(registration=record["attempt_id"])
        check_statements(statements, record, data, site, 100.0)
    finally:
        context.close()


def test_statement_ids_are_uuid5_with_and_without_crypto_subtle(page, site_url):
    page.goto(site_url + "index.html")
    page.wait_for_function("() => window.Rollcall && window.Rollcall.records")
    namespace = "6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f"
    names = ["", "http://adlnet.gov/expapi/verbs/completed http://x/training/final",
             "answered é 418.05.G.3 ✓ " + "x" * 120]  # multi-byte text, several SHA-1 blocks
    for name in names:
        expected = str(uuid.uuid5(uuid.UUID(namespace), name))
        subtle, fallback = page.evaluate("""([ns, name]) => Promise.all([Rollcall.records.uuid5(ns, name, false),
                                                                         Rollcall.records.uuid5(ns, name, true)])""", [namespace, name])
        assert subtle == fallback == expected, name
    ids = page.evaluate("() => Array.from({length: 50}, () => Rollcall.newAttemptId())")
    assert len(set(ids)) == 50 and all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids)
    durations = page.evaluate("""() => [['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.000Z'],
                                        ['2026-01-01T10:00:00.000Z', '2026-01-01T10:12:03.456Z'],
                                        ['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z']]
                                       .map(p => Rollcall.records.duration(p[0], p[1]))""")
    assert durations == ["PT0S", "PT12M3.46S", "PT1H"]


def test_training_unit_imports_attempts_from_the_lrs_and_rescores_them(page, site_and_lrs, tmp_path, ralph_auth):
    from generator.cli import main

    site, lrs = site_and_lrs
    take_quiz(page, site + "training/off-duty.html", miss=2)
    wait_lrs_state(page, "sent")
    record = stored_entries(page)[0]["record"]
    db = tmp_path / "results.sqlite"
    keys = tmp_path / "project" / "results" / "answer-keys"
    args = ["results", "import", "--db", str(db), "--keys", str(keys), "--from-lrs", lrs.url, "--lrs-user", USER, "--lrs-password", PASSWORD]
    assert main(args) == 0
    assert main(args) == 0  # again: nothing new
    import sqlite3
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT attempt_id, employee_id, employee_name, quiz_id, percent, passed, tampered FROM attempts").fetchall()
    assert rows == [(record["attempt_id"], "TP-4711", "Dana Ruiz", "off-duty", 75.0, 0, 0)]
