"""`rollcall results import`: idempotent, re-scores everything, rejects bad records one by one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema

from generator.cli import main
from generator.results.record import KeyIndex, parse_record, rescore
from tests.results.conftest import KEY, RIGHT, VERSION

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "generator" / "schemas" / "attempt.schema.json").read_text())


def run_import(tmp_path, keys_dir, *paths, capsys=None):
    code = main(["--root", str(tmp_path), "results", "import", "--db", str(tmp_path / "r.sqlite"), "--keys", str(keys_dir), *map(str, paths)])
    return code


def rows(tmp_path, sql="SELECT employee_id, percent, passed, tampered FROM attempts ORDER BY employee_id"):
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        return db.execute(sql).fetchall()


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_import_rescores_and_stores_each_attempt(tmp_path, keys_dir, record, capsys):
    a = write(tmp_path / "a.json", record(("100", "Dana Ruiz"), RIGHT))
    b = write(tmp_path / "b.json", record(("200", "Ben Adeyemi"), {"m/a/verdict": ["prohibited"], "m/b/select_all": ["o1", "o3"]}))
    assert run_import(tmp_path, keys_dir, a, b) == 0
    assert rows(tmp_path) == [("100", 100.0, 1, 0), ("200", 33.33, 0, 0)]
    assert capsys.readouterr().out == ("Imported 2 new attempt(s); 0 already imported; 0 rejected; "
                                       "0 with an edited score (flagged, counted as re-scored).\n")


def test_importing_the_same_record_twice_counts_once(tmp_path, keys_dir, record, capsys):
    one = record(("100", "Dana Ruiz"), RIGHT)
    a = write(tmp_path / "a.json", one)
    copy = write(tmp_path / "copy.json", one)
    assert run_import(tmp_path, keys_dir, a, copy) == 0
    assert run_import(tmp_path, keys_dir, a) == 0
    assert rows(tmp_path, "SELECT count(*) FROM attempts") == [(1,)]
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Imported 1 new attempt(s); 1 already imported;")
    assert out[1].startswith("Imported 0 new attempt(s); 1 already imported;")


def test_edited_score_is_flagged_and_the_rescored_value_counts(tmp_path, keys_dir, record, capsys):
    forged = record(("300", "Eve Park"), {"m/a/verdict": ["permitted"]}, claimed={"total": 3, "percent": 100, "passed": True})
    path = write(tmp_path / "forged.json", forged)
    assert run_import(tmp_path, keys_dir, path) == 0
    assert rows(tmp_path, "SELECT percent, passed, stored_percent, stored_passed, tampered FROM attempts") == [(0.0, 0, 100.0, 1, 1)]
    out = capsys.readouterr().out
    assert f"  edited score: forged.json: attempt {forged['attempt_id']} claims 100%, re-scored 0%" in out


def test_malformed_and_wrong_version_records_are_rejected_and_the_rest_imported(tmp_path, keys_dir, record, capsys):
    good = record(("100", "Dana Ruiz"), RIGHT)
    no_employee = record(("101", "X"), RIGHT)
    del no_employee["employee"]
    other_version = record(("102", "Y"), RIGHT)
    other_version["version"] = "fedcba9876543210"
    unknown_question = record(("103", "Z"), RIGHT)
    unknown_question["questions"].append("m/zz/verdict")
    lines = "\n".join(json.dumps(r) for r in (good, no_employee, other_version, unknown_question)) + "\n{broken\n"
    batch = tmp_path / "batch.jsonl"
    batch.write_text(lines)
    (tmp_path / "notes.json").write_text("{ not json")
    assert run_import(tmp_path, keys_dir, batch, tmp_path / "notes.json") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "batch.jsonl:2: not an attempt record: Object missing required field `employee`",
        f"batch.jsonl:3: taken on version fedcba9876543210, which has no archived answer key in {keys_dir}",
        f"batch.jsonl:4: question 'm/zz/verdict' is not in version {VERSION}",
        "batch.jsonl:5: not valid JSON (object keys must be strings (byte 1))",
        "notes.json: not valid JSON (object keys must be strings (byte 2))",
    ]
    assert rows(tmp_path, "SELECT employee_id FROM attempts") == [("100",)]
    assert rows(tmp_path, "SELECT count(*) FROM rejections") == [(5,)]


def test_folder_import_reads_json_and_jsonl(tmp_path, keys_dir, record, capsys):
    folder = tmp_path / "dropbox"
    (folder / "sub").mkdir(parents=True)
    write(folder / "one.json", record(("100", "Dana Ruiz"), RIGHT))
    (folder / "sub" / "two.jsonl").write_text(json.dumps(record(("200", "Ben"), RIGHT)) + "\n")
    write(folder / "list.json", [record(("300", "Eve"), RIGHT), record(("400", "Al"), RIGHT)])
    assert run_import(tmp_path, keys_dir, folder) == 0
    assert rows(tmp_path, "SELECT count(*) FROM attempts") == [(4,)]


def test_hand_checks_agree_with_the_published_schema(record):
    base = record(("100", "Dana Ruiz"), RIGHT)
    variants = [base]
    for mutate in [
        lambda r: r.pop("score"), lambda r: r.update(extra=1), lambda r: r.update(format="rollcall-attempt/2"),
        lambda r: r.update(attempt_id="123"), lambda r: r["employee"].update(id=""), lambda r: r["employee"].update(age=3),
        lambda r: r["quiz"].update(pass_mark=101), lambda r: r.update(version="abc"), lambda r: r.update(questions=[]),
        lambda r: r["responses"].update({"m/a/verdict": [1]}), lambda r: r.update(questions=[3, 4]), lambda r: r["score"].update(max=0), lambda r: r["score"].update(passed="yes"),
        lambda r: r["score"].update(percent=-1), lambda r: r.update(site=5), lambda r: r.update(site="http://x/"),
        lambda r: r.update(questions="abc"), lambda r: r["quiz"].update(pass_mark=True),
    ]:
        variant = json.loads(json.dumps(base))
        mutate(variant)
        variants.append(variant)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    key = KeyIndex(KEY)

    def accepted(r) -> bool:
        return not isinstance(parse_record(r), str)

    for variant in variants:
        assert accepted(variant) == validator.is_valid(variant), variant


def test_fast_rescore_agrees_with_the_shared_scorer(record):
    from generator.score import score_attempt

    key = KeyIndex(KEY)
    for responses in (RIGHT, {}, {"m/b/select_all": ["o1", "o3", "o2"]}, {"m/b/select_all": ["o3"], "m/c/clause": ["418.05.H", "x"]},
                      {"m/a/verdict": ["prohibited", "prohibited"], "m/b/select_all": ["o1", "o1"]}):
        r = record(("1", "A"), responses)
        expected = score_attempt([{"id": q, **KEY["questions"][q]} for q in r["questions"]], responses, 80.0)
        got = rescore(parse_record(r), key)
        assert (got.percent, got.passed, got.scores) == (expected["percent"], expected["passed"], [expected["scores"][q] for q in r["questions"]])
