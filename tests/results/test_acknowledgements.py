"""Acknowledgement records: import beside attempts, checked against the revision archive, never
overwritten; and the report's acknowledgement matrix and "needs retraining" list, worked out by hand."""

from __future__ import annotations

import copy
import csv
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.cli import main
from generator.results.acknowledgement import parse_acknowledgement
from tests.results.conftest import KEY, RIGHT, VERSION, make_record

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "generator" / "schemas" / "acknowledgement.schema.json").read_text())
OLD, CURRENT = "1111111111111111", "b677a7457b2e4903"
OLD_KEY, CURRENT_KEY = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"
REVISIONS = {
    "format": "rollcall-revisions/1",
    "orders": {"418": {"title": "Social Media", "current": CURRENT, "revisions": {
        OLD: {"effective": "2011-04-06", "first_built": "2026-01-02"},
        CURRENT: {"effective": "2018-04-03", "first_built": "2026-11-25"},
    }}},
}


def ack(employee: tuple[str, str], revision_hash: str = CURRENT, *, when: str = "2026-11-23T09:00:00.000Z",
        ack_id: str | None = None, revision: str | None = None, number: str = "418") -> dict[str, Any]:
    """An acknowledgement as acknowledge.js writes it."""
    effective = {OLD: "2011-04-06", CURRENT: "2018-04-03"}.get(revision_hash, "2018-04-03")
    return {
        "format": "rollcall-acknowledgement/1",
        "id": ack_id or str(uuid.uuid4()),
        "employee": {"name": employee[1], "id": employee[0]},
        "order": {"number": number, "title": "Social Media", "revision": revision or effective, "revision_hash": revision_hash},
        "acknowledged": when,
        "site": "http://training.example.org/orders/418.html",
    }


@pytest.fixture
def project(tmp_path: Path, keys_dir: Path) -> Path:
    """Answer keys (one from before revisions were recorded, one on the old and one on the current
    revision of GO 418) and the revision archive beside them."""
    for version, digest in ((OLD_KEY, OLD), (CURRENT_KEY, CURRENT)):
        key = copy.deepcopy(KEY)
        key["version"] = version
        key["orders"] = {"418": {"title": "Social Media", "revision": REVISIONS["orders"]["418"]["revisions"][digest]["effective"],
                                 "revision_hash": digest}}
        for quiz in key["quizzes"].values():
            quiz["orders"] = ["418"]
        (keys_dir / f"{version}.json").write_text(json.dumps(key))
    (keys_dir.parent / "revisions.json").write_text(json.dumps(REVISIONS))
    return tmp_path


def run(project: Path, keys_dir: Path, *paths: Path) -> int:
    return main(["--root", str(project), "results", "import", "--db", str(project / "r.sqlite"), "--keys", str(keys_dir), *map(str, paths)])


def stored(project: Path, sql: str = "SELECT id, employee_id, revision_hash, acknowledged FROM acknowledgements ORDER BY employee_id") -> list:
    with sqlite3.connect(project / "r.sqlite") as db:
        return db.execute(sql).fetchall()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_acknowledgements_import_beside_attempts_from_json_jsonl_and_folders(project, keys_dir, capsys):
    a, b, c = ack(("100", "Dana Ruiz")), ack(("200", "Ben Adeyemi"), OLD), ack(("300", "Eve Park"))
    folder = project / "dropbox"
    folder.mkdir()
    (folder / "dana.json").write_text(json.dumps(a, indent=2))
    write_jsonl(folder / "mixed.jsonl", [make_record(("200", "Ben Adeyemi"), RIGHT), b])
    (folder / "list.json").write_text(json.dumps([c, make_record(("300", "Eve Park"), RIGHT)]))
    assert run(project, keys_dir, folder) == 0
    assert stored(project) == [(a["id"], "100", CURRENT, "2026-11-23T09:00:00.000Z"), (b["id"], "200", OLD, "2026-11-23T09:00:00.000Z"),
                               (c["id"], "300", CURRENT, "2026-11-23T09:00:00.000Z")]
    assert stored(project, "SELECT count(*) FROM attempts") == [(2,)]
    assert capsys.readouterr().out.splitlines() == [
        "Imported 2 new attempt(s); 0 already imported; 0 rejected; 0 with an edited score (flagged, counted as re-scored).",
        "Imported 3 new acknowledgement(s); 0 already imported; 0 rejected (0 naming an order revision that was never published); "
        "0 with the id of a different acknowledgement already imported (flagged; the first is kept).",
    ]


def test_unknown_or_forged_revisions_and_malformed_records_are_rejected_with_file_and_line(project, keys_dir, capsys):
    good = ack(("100", "Dana Ruiz"))
    unknown_hash = ack(("101", "Forger One"), "9999999999999999")
    wrong_date = ack(("102", "Forger Two"), CURRENT, revision="2024-01-01")  # a real hash, another date
    unknown_order = ack(("103", "Forger Three"), number="999")
    extra_field = ack(("104", "Extra"))
    extra_field["order"]["approved"] = True
    naive_time = ack(("105", "No Zone"), when="2026-11-23T09:00:00")
    batch = write_jsonl(project / "batch.jsonl", [good, unknown_hash, wrong_date, unknown_order, extra_field, naive_time])
    assert run(project, keys_dir, batch) == 1
    captured = capsys.readouterr()
    revisions = keys_dir.parent / "revisions.json"
    assert captured.err.splitlines() == [
        f"batch.jsonl:2: acknowledgement {unknown_hash['id']}: GO 418 has no published revision 9999999999999999 in {revisions} (unknown or forged)",
        f"batch.jsonl:3: acknowledgement {wrong_date['id']}: GO 418 revision {CURRENT} took effect on 2018-04-03, not 2024-01-01 (forged)",
        f"batch.jsonl:4: acknowledgement {unknown_order['id']}: GO 999 is not in the revision archive {revisions} (unknown or forged)",
        "batch.jsonl:5: not an acknowledgement record: Object contains unknown field `approved` - at `$.order`",
        "batch.jsonl:6: not an acknowledgement record: Expected `datetime` with a timezone component - at `$.acknowledged`",
    ]
    assert captured.out.splitlines()[-1] == (
        "Imported 1 new acknowledgement(s); 0 already imported; 5 rejected (3 naming an order revision that was never published); "
        "0 with the id of a different acknowledgement already imported (flagged; the first is kept).")
    assert captured.out.splitlines()[0].startswith("Imported 0 new attempt(s); 0 already imported; 0 rejected;")
    assert [row[1] for row in stored(project)] == ["100"]
    assert stored(project, "SELECT count(*) FROM rejections") == [(5,)]


def test_without_a_revision_archive_every_acknowledgement_is_rejected(tmp_path, keys_dir, capsys):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(ack(("100", "Dana Ruiz"))))
    assert run(tmp_path, keys_dir, path) == 1
    assert "there is no revision archive at" in capsys.readouterr().err
    assert stored(tmp_path, "SELECT count(*) FROM acknowledgements") == [(0,)]


def test_the_same_acknowledgement_twice_counts_once(project, keys_dir, capsys):
    one = ack(("100", "Dana Ruiz"))
    a = project / "a.json"
    a.write_text(json.dumps(one))
    again = dict(one, acknowledged="2026-11-23T09:00:00+00:00", site="http://lrs-view/")  # the same instant, written otherwise
    b = write_jsonl(project / "b.jsonl", [again])
    assert run(project, keys_dir, a, b) == 0
    assert run(project, keys_dir, a) == 0
    assert stored(project, "SELECT count(*) FROM acknowledgements") == [(1,)]
    lines = [line for line in capsys.readouterr().out.splitlines() if "acknowledgement(s)" in line]
    assert lines[0].startswith("Imported 1 new acknowledgement(s); 1 already imported; 0 rejected")
    assert lines[1].startswith("Imported 0 new acknowledgement(s); 1 already imported; 0 rejected")


def test_a_different_record_with_a_stored_id_is_flagged_and_never_stored_over_the_first(project, keys_dir, capsys):
    first = ack(("100", "Dana Ruiz"), OLD, when="2026-01-05T08:00:00.000Z")
    (project / "first.json").write_text(json.dumps(first))
    assert run(project, keys_dir, project / "first.json") == 0
    before = stored(project, "SELECT * FROM acknowledgements")
    # same id, now claiming the current revision, later; and another person under the same id
    claims = [dict(first, order=dict(first["order"], revision="2018-04-03", revision_hash=CURRENT), acknowledged="2026-11-23T09:00:00.000Z"),
              dict(first, employee={"name": "Sam Lee", "id": "88"})]
    path = write_jsonl(project / "later.jsonl", claims)
    capsys.readouterr()
    assert run(project, keys_dir, path) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"later.jsonl:1: acknowledgement {first['id']} was already imported saying something else; the first one is kept",
        f"later.jsonl:2: acknowledgement {first['id']} was already imported saying something else; the first one is kept",
    ]
    assert "0 rejected (0 naming an order revision that was never published); 2 with the id of a different acknowledgement" in captured.out
    assert stored(project, "SELECT * FROM acknowledgements") == before
    # within one import as well: the first one read wins
    other = ack(("200", "Ben Adeyemi"))
    both = write_jsonl(project / "both.jsonl", [other, dict(other, employee={"name": "Ben Adeyemi", "id": "201"})])
    assert run(project, keys_dir, both) == 1
    assert stored(project, f"SELECT employee_id FROM acknowledgements WHERE id = '{other['id']}'") == [("200",)]


def test_hand_checks_agree_with_the_published_schema():
    base = ack(("100", "Dana Ruiz"))
    variants = [base, dict(base, site=None)]
    for mutate in [
        lambda r: r.pop("order"), lambda r: r.pop("site"), lambda r: r.update(extra=1), lambda r: r.update(format="rollcall-acknowledgement/2"),
        lambda r: r.update(id="123"), lambda r: r.update(id=str(uuid.uuid4()).upper()), lambda r: r["employee"].update(id=""),
        lambda r: r["employee"].update(name="x" * 201), lambda r: r["employee"].update(age=3), lambda r: r["order"].update(number=""),
        lambda r: r["order"].update(number=418), lambda r: r["order"].update(revision="3 April 2018"), lambda r: r["order"].update(revision_hash="B677A7457B2E4903"),
        lambda r: r["order"].update(revision_hash="b677"), lambda r: r["order"].pop("title"), lambda r: r["order"].update(extra="x"),
        lambda r: r.update(acknowledged=5), lambda r: r.update(site=5), lambda r: r.update(employee="Dana"),
    ]:
        variant = json.loads(json.dumps(base))
        mutate(variant)
        variants.append(variant)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for variant in variants:
        assert (not isinstance(parse_acknowledgement(variant), str)) == validator.is_valid(variant), variant


# ------------------------------------------------------------------------------------- report

@pytest.fixture
def reported(project, keys_dir, capsys) -> Path:
    def attempt(employee, version, passed, finished):
        r = make_record(employee, RIGHT if passed else {}, finished=finished)
        r["version"] = version
        return r

    records = [
        attempt(("100", "Dana Ruiz"), OLD_KEY, True, "2026-01-10T10:05:00Z"),            # last pass on the old revision
        attempt(("200", "Ben Adeyemi"), OLD_KEY, True, "2026-01-10T11:05:00Z"),
        attempt(("200", "Ben Adeyemi"), CURRENT_KEY, True, "2026-11-24T11:05:00Z"),      # passed again since: fine
        attempt(("300", "Eve <script>Park</script>"), VERSION, True, "2026-02-01T09:05:00Z"),  # key older than revisions: unknown
        attempt(("400", "Al Moreno"), OLD_KEY, True, "2026-01-11T09:05:00Z"),
        attempt(("400", "Al Moreno"), CURRENT_KEY, False, "2026-11-24T09:05:00Z"),       # failed on the new one: still retrain
        ack(("100", "Dana Ruiz"), CURRENT, when="2026-11-23T09:00:00.000Z"),
        ack(("100", "Dana Ruiz"), CURRENT, when="2026-11-24T09:00:00.000Z"),               # again: the first date stands
        ack(("200", "Ben Adeyemi"), OLD, when="2026-01-05T09:00:00.000Z"),
        ack(("300", "Eve <script>Park</script>"), OLD, when="2026-01-05T10:00:00.000Z"),
        ack(("300", "Eve <script>Park</script>"), CURRENT, when="2026-11-20T10:00:00.000Z"),
    ]
    drop = write_jsonl(project / "drop.jsonl", records)
    roster = project / "roster.csv"
    roster.write_text("employee_id,name\n100,Dana Ruiz\n200,Ben Adeyemi\n300,Eve <script>Park</script>\n400,Al Moreno\n500,Jo Quinn\n")
    assert run(project, keys_dir, drop) == 0
    out = project / "report"
    assert main(["results", "report", "--db", str(project / "r.sqlite"), "--keys", str(keys_dir), "--roster", str(roster), "--out", str(out)]) == 0
    capsys.readouterr()
    return out


def read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_acknowledgement_matrix_current_older_never(reported):
    rows = {r["employee_id"]: r for r in read(reported, "acknowledgements.csv")}
    assert set(rows) == {"100", "200", "300", "400", "500"}
    assert {k: (r["order"], r["current_revision"], r["status"], r["acknowledged_revision"], r["acknowledged"]) for k, r in rows.items()} == {
        "100": ("418", "2018-04-03", "current", "2018-04-03", "2026-11-23T09:00:00.000Z"),
        "200": ("418", "2018-04-03", "older", "2011-04-06", "2026-01-05T09:00:00.000Z"),
        "300": ("418", "2018-04-03", "current", "2018-04-03", "2026-11-20T10:00:00.000Z"),
        "400": ("418", "2018-04-03", "never", "", ""),
        "500": ("418", "2018-04-03", "never", "", ""),
    }
    assert rows["200"]["acknowledged_revision_hash"] == OLD


def test_needs_retraining_lists_last_passes_on_an_earlier_revision(reported):
    rows = [(r["employee_id"], r["quiz"], r["passed"], r["passed_on_revision"], r["current_revision"]) for r in read(reported, "needs-retraining.csv")]
    old, current = f"GO 418 effective 2011-04-06 ({OLD})", f"GO 418 effective 2018-04-03 ({CURRENT})"
    assert rows == [
        ("400", "Photos quiz", "2026-01-11", old, current),
        ("100", "Photos quiz", "2026-01-10", old, current),
        ("300", "Photos quiz", "2026-02-01", "unknown (answer key from before revisions were recorded)", current),
    ]


def test_html_report_shows_both_tables_escaped(reported):
    html = (reported / "index.html").read_text(encoding="utf-8")
    assert "<script>Park" not in html and "Eve &lt;script&gt;Park&lt;/script&gt;" in html
    matrix = html.split('id="acknowledgements"', 1)[1].split('id="retraining"', 1)[0]
    assert matrix.count('data-status="current"') == 2 and matrix.count('data-status="older"') == 1 and matrix.count('data-status="never"') == 2
    assert "Acknowledged</span> on 2026-11-23" in matrix
    assert "Only an earlier revision</span>: effective 2011-04-06, acknowledged on 2026-01-05" in matrix
    retraining = html.split('id="retraining"', 1)[1].split("<h2", 1)[0]
    assert retraining.count("<tr>") == 4  # header and three people
    assert "http://" not in html and "https://" not in html
