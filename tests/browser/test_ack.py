"""Acknowledging an order in headless Chromium: the panel on the order page, the record saved on
the device and downloaded, imported by the training unit and shown in its report; a new revision
asks again; the notice and the .jsonl download carry acknowledgements beside attempts; and the
xAPI statement reaches a real LRS (Ralph) and is rebuilt from it by `rollcall results import`.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import uuid
from pathlib import Path

import jsonschema
import pytest

from tests.browser.conftest import assert_no_blocking_violations, viewing

from generator.cli import main
from tests.browser.records_helpers import IDENTITY, STORE, answer_all, identify, stored
from tests.browser.xapi_lrs import PASSWORD, USER, free_port, lrs_site, ralph_auth, site_and_lrs, start_lrs  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "generator" / "schemas" / "acknowledgement.schema.json").read_text(encoding="utf-8"))
PANEL = "[data-rollcall='acknowledge']"
ACKNOWLEDGE = "http://activitystrea.ms/schema/1.0/acknowledge"


def validate(record: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(record)


def current_revision(results: Path, number: str = "418") -> tuple[str, str]:
    """(effective date, hash) of the order's current revision in the build's revision archive."""
    entry = json.loads((results / "revisions.json").read_text(encoding="utf-8"))["orders"][number]
    return entry["revisions"][entry["current"]]["effective"], entry["current"]


def acknowledgements(page) -> list[dict]:
    return [e for e in stored(page) if e["record"].get("format") == "rollcall-acknowledgement/1"]


def long_date(page, iso: str) -> str:
    return page.evaluate("iso => new Date(iso).toLocaleDateString('en-US', {year: 'numeric', month: 'long', day: 'numeric'})", iso)


def acknowledge_by_keyboard(page, name: str, employee_id: str) -> None:
    """Fill the panel's form from the keyboard alone and press Enter."""
    page.focus("[data-rollcall='ack-name']")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(employee_id)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-rollcall='ack-done']")


def test_acknowledge_order_418_save_download_import_and_report(page, site_url, built_site, tmp_path):
    results = built_site.parent
    revision, digest = current_revision(results)
    page.goto(site_url + "orders/418.html")
    panel = page.locator(PANEL)
    page.wait_for_selector(f"{PANEL}[data-state='form']")
    assert panel.is_visible() and panel.get_attribute("role") == "region"
    assert panel.get_attribute("data-revision-hash") == digest
    assert page.text_content("[data-rollcall='ack-statement']") == f"I have read and understand General Order 418 (revision effective {revision})."
    # both fields are required; errors in words, tied to their fields, announced; focus on the first
    page.click("[data-rollcall='ack-confirm']")
    assert page.text_content("[data-rollcall='ack-name-error']") == "Enter your name."
    assert page.get_attribute("[data-rollcall='ack-id']", "aria-describedby") == page.get_attribute("[data-rollcall='ack-id-error']", "id")
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "ack-name"
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='ack-status']\")?.textContent === 'Enter your name. Enter your employee ID.'")
    assert page.get_by_label("Employee ID", exact=True).get_attribute("data-rollcall") == "ack-id"
    assert acknowledgements(page) == []

    acknowledge_by_keyboard(page, "Dana <b>Ruiz</b>", "TP-4711")
    entries = acknowledgements(page)
    assert len(entries) == 1 and entries[0]["delivered"] == {"download": False, "lrs": False}
    record = entries[0]["record"]
    validate(record)
    assert record["employee"] == {"name": "Dana <b>Ruiz</b>", "id": "TP-4711"}
    assert record["order"] == {"number": "418", "title": "Social Media", "revision": revision, "revision_hash": digest}
    assert record["site"] == site_url + "orders/418.html"
    assert json.loads(page.evaluate(f"() => localStorage.getItem('{IDENTITY}')")) == {"name": "Dana <b>Ruiz</b>", "id": "TP-4711"}
    done = f"Acknowledged by Dana <b>Ruiz</b> on {long_date(page, record['acknowledged'])} (revision effective {revision})."
    assert page.text_content("[data-rollcall='ack-done']") == done
    assert page.locator(f"{PANEL} b").count() == 0  # text, never markup
    assert page.evaluate("() => document.activeElement.dataset.rollcall") == "ack-done"
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='ack-status']\")?.textContent.startsWith('Acknowledged by Dana')")
    # shown in the panel, so not also in the notice at the top of this page
    assert page.locator("[data-rollcall='pending']").count() == 0

    with page.expect_download() as info:
        page.click("[data-rollcall='ack-download']")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert json.loads(text) == record
    assert re.fullmatch(r"rollcall-acknowledgement-418-TP-4711-\d{4}-\d{2}-\d{2}\.json", info.value.suggested_filename)
    assert acknowledgements(page)[0]["delivered"]["download"] is True

    # a reload remembers it for this revision: no form, no notice
    page.reload()
    page.wait_for_selector(f"{PANEL}[data-state='acknowledged']")
    assert page.text_content("[data-rollcall='ack-done']") == done
    assert page.locator("[data-rollcall='ack-form'], [data-rollcall='ack-download']").count() == 0
    assert page.locator("[data-rollcall='pending']").count() == 0

    # the training unit imports the handed-in file and reports on it
    handed_in = tmp_path / info.value.suggested_filename
    handed_in.write_text(text, encoding="utf-8")
    db, keys, out = tmp_path / "results.sqlite", results / "answer-keys", tmp_path / "report"
    assert main(["results", "import", "--db", str(db), "--keys", str(keys), str(handed_in)]) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT id, employee_id, order_number, revision_hash FROM acknowledgements").fetchall() == [
            (record["id"], "TP-4711", "418", digest)]
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name\nTP-4711,Dana Ruiz\n88,Sam Lee\n", encoding="utf-8")
    assert main(["results", "report", "--db", str(db), "--keys", str(keys), "--roster", str(roster), "--out", str(out)]) == 0
    with (out / "acknowledgements.csv").open(encoding="utf-8") as handle:
        rows = {r["employee_id"]: (r["status"], r["acknowledged_revision_hash"]) for r in csv.DictReader(handle)}
    assert rows == {"TP-4711": ("current", digest), "88": ("never", "")}
    html = (out / "index.html").read_text(encoding="utf-8")
    assert f"Acknowledged</span> on {record['acknowledged'][:10]}" in html


def test_a_new_revision_is_offered_again_and_each_person_acknowledges_for_themselves(page, site_url):
    page.goto(site_url + "orders/418.html")
    page.wait_for_selector(f"{PANEL}[data-ready='true']")
    digest = page.get_attribute(PANEL, "data-revision-hash")
    older = {"format": "rollcall-acknowledgement/1", "id": str(uuid.uuid4()), "employee": {"name": "Dana Ruiz", "id": "TP-4711"},
             "order": {"number": "418", "title": "Social Media", "revision": "2011-04-06", "revision_hash": "0123456789abcdef"},
             "acknowledged": "2016-05-02T14:00:00.000Z", "site": site_url + "orders/418.html"}
    someone_else = dict(older, id=str(uuid.uuid4()), employee={"name": "Sam Lee", "id": "88"},
                        order=dict(older["order"], revision=page.get_attribute(PANEL, "data-revision"), revision_hash=digest))
    page.evaluate("""([key, idKey, records]) => {
        localStorage.setItem(key, JSON.stringify(records.map(r => ({record: r, delivered: {download: true, lrs: false}}))));
        localStorage.setItem(idKey, JSON.stringify({name: 'Dana Ruiz', id: 'TP-4711'}));
    }""", [STORE, IDENTITY, [older, someone_else]])
    page.reload()
    page.wait_for_selector(f"{PANEL}[data-state='ask']")
    assert page.text_content("[data-rollcall='ack-older']") == (
        f"You acknowledged the revision effective 2011-04-06 on {long_date(page, older['acknowledged'])}. "
        "This order has changed since: read this revision and acknowledge it.")
    assert page.text_content("[data-rollcall='ack-identity']") == "You are acknowledging as Dana Ruiz, employee ID TP-4711."
    confirm = page.locator("[data-rollcall='ack-confirm']")
    assert confirm.text_content() == "Acknowledge General Order 418"
    assert confirm.get_attribute("aria-describedby") == page.get_attribute("[data-rollcall='ack-statement']", "id")
    confirm.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-rollcall='ack-done']")
    assert page.text_content("[data-rollcall='ack-done']").startswith("Acknowledged by Dana Ruiz on ")
    mine = [e["record"] for e in acknowledgements(page) if e["record"]["employee"]["id"] == "TP-4711"]
    assert [r["order"]["revision_hash"] for r in mine] == ["0123456789abcdef", digest]  # the older one is kept

    # "Not you?": another employee acknowledges for themselves; the device then remembers them
    page.click("[data-rollcall='ack-someone-else']")
    page.click("[data-rollcall='ack-cancel']")
    assert page.text_content("[data-rollcall='ack-done']").startswith("Acknowledged by Dana Ruiz on ")
    page.click("[data-rollcall='ack-someone-else']")
    acknowledge_by_keyboard(page, "Ana Gómez", "TP-0042")
    assert page.text_content("[data-rollcall='ack-done']").startswith("Acknowledged by Ana Gómez on ")
    assert len(acknowledgements(page)) == 4


def test_notice_and_jsonl_carry_acknowledgements_beside_attempts(page, site_url, built_site, tmp_path):
    page.goto(site_url + "training/definitions.html")
    identify(page)
    answer_all(page, miss=1)
    page.goto(site_url + "orders/418.html")
    page.wait_for_selector(f"{PANEL}[data-state='ask']")  # the quiz's identity is known here too
    page.click("[data-rollcall='ack-confirm']")
    page.wait_for_selector("[data-rollcall='ack-done']")
    # the order page's notice lists the attempt only; the home page lists both
    notice = page.locator("[data-rollcall='pending']")
    notice.wait_for()
    assert "1 quiz record on this device has not been handed in yet." in notice.text_content()
    page.goto(site_url + "index.html")
    notice.wait_for()
    assert notice.get_attribute("aria-label") == "Records to hand in"
    assert "2 records on this device have not been handed in yet." in notice.text_content()
    assert "Acknowledgement of General Order 418 (revision effective 2018-04-03)" in notice.text_content()
    with page.expect_download() as info:
        page.click("[data-rollcall='pending-download']")
    assert info.value.suggested_filename.endswith(".jsonl")
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["format"] for line in lines) == ["rollcall-acknowledgement/1", "rollcall-attempt/1"]
    handed_in = tmp_path / "records.jsonl"
    handed_in.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "results.sqlite"
    assert main(["results", "import", "--db", str(db), "--keys", str(built_site.parent / "answer-keys"), str(handed_in)]) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM attempts").fetchone() == (1,)
        assert connection.execute("SELECT employee_id FROM acknowledgements").fetchall() == [("TP-4711",)]



@pytest.mark.parametrize("viewport, scheme", [("desktop", "light"), ("phone", "dark")])
def test_acknowledgement_panel_has_no_serious_violations(axe, browser, site_url, viewport, scheme):
    with viewing(browser, viewport, scheme) as page:
        page.goto(site_url + "orders/418.html")
        page.wait_for_selector(f"{PANEL}[data-state='form']")
        page.click("[data-rollcall='ack-confirm']")
        assert_no_blocking_violations(axe, page, "acknowledgement form with errors")
        acknowledge_by_keyboard(page, "Dana Ruiz", "TP-4711")
        assert_no_blocking_violations(axe, page, "acknowledged, with its download")


def test_acknowledgement_reaches_the_lrs_and_is_imported_from_it(page, site_and_lrs, tmp_path):
    site, lrs = site_and_lrs
    page.goto(site + "orders/418.html")
    page.wait_for_selector(f"{PANEL}[data-state='form']")
    page.fill("[data-rollcall='ack-name']", "Dana Ruiz")
    page.fill("[data-rollcall='ack-id']", "TP-4711")
    page.click("[data-rollcall='ack-confirm']")
    page.wait_for_function("() => (document.querySelector(\"[data-rollcall='lrs-status']\") || {dataset: {}}).dataset.state === 'sent'", timeout=20000)
    assert page.text_content("[data-rollcall='lrs-status']") == "Sent to the training record store."
    entry = acknowledgements(page)[0]
    assert entry["delivered"]["lrs"] is True
    record = entry["record"]
    statements = lrs.statements()
    assert len(statements) == 1
    s = statements[0]
    object_id = f"{site}orders/418.html?revision={record['order']['revision']}"
    assert s["verb"]["id"] == ACKNOWLEDGE and s["verb"]["display"] == {"en-US": "acknowledged"}
    assert s["object"]["id"] == object_id
    assert s["object"]["definition"]["name"] == {"en-US": "General Order 418: Social Media"}
    assert s["id"] == str(uuid.uuid5(uuid.UUID(record["id"]), ACKNOWLEDGE + " " + object_id))
    assert s["actor"] == {"objectType": "Agent", "name": "Dana Ruiz", "account": {"homePage": site.rstrip("/"), "name": "TP-4711"}}
    assert s["context"]["registration"] == record["id"] and s["context"]["revision"] == record["order"]["revision_hash"]
    assert s["context"]["extensions"]["urn:rollcall:order"] == record["order"]

    # rebuilt from the LRS, checked against the project's revision archive; the same
    # acknowledgement handed in as a file as well counts once
    db, keys = tmp_path / "results.sqlite", tmp_path / "project" / "results" / "answer-keys"
    args = ["results", "import", "--db", str(db), "--keys", str(keys)]
    assert main(args + ["--from-lrs", lrs.url, "--lrs-user", USER, "--lrs-password", PASSWORD]) == 0
    handed_in = tmp_path / "ack.json"
    handed_in.write_text(json.dumps(record), encoding="utf-8")
    assert main(args + [str(handed_in)]) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT id, employee_id, employee_name, revision, revision_hash FROM acknowledgements").fetchall() == [
            (record["id"], "TP-4711", "Dana Ruiz", record["order"]["revision"], record["order"]["revision_hash"])]
