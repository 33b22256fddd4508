"""`rollcall results report` on a small data set whose every number is worked out by hand."""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

import pytest

from generator.cli import main
from generator.results.analysis import item_stats
from tests.results.conftest import RIGHT


@pytest.fixture
def reported(tmp_path, keys_dir, record, capsys):
    records = [
        record(("100", "Dana Ruiz"), RIGHT, finished="2026-11-20T10:05:00Z"),
        record(("200", "Ben Adeyemi"), {"m/a/verdict": ["prohibited"], "m/b/select_all": ["o1", "o3"]}, finished="2026-11-20T11:05:00Z"),
        record(("200", "Ben Adeyemi"), RIGHT, finished="2026-11-21T09:05:00Z"),
        record(("300", "Eve <b>Park</b>"), {"m/a/verdict": ["permitted"], "m/b/select_all": ["o1"], "m/c/clause": ["418.05.H"]},
               finished="2026-11-22T09:05:00Z", claimed={"percent": 90.0, "passed": True}),
    ]
    drop = tmp_path / "drop.jsonl"
    drop.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name\n100,Dana Ruiz\n200,Ben Adeyemi\n300,Eve Park\n400,Al Moreno\n")
    db = tmp_path / "r.sqlite"
    assert main(["results", "import", "--db", str(db), "--keys", str(keys_dir), str(drop)]) == 0
    out = tmp_path / "report"
    assert main(["results", "report", "--db", str(db), "--keys", str(keys_dir), "--roster", str(roster), "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"Report of 4 attempts by 4 employees: {out / 'index.html'}"
    return out


def read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open() as handle:
        return list(csv.DictReader(handle))


def test_matrix_has_latest_and_best_attempt(reported):
    rows = {(r["employee_id"], r["quiz"]): r for r in read(reported, "matrix.csv")}
    assert rows[("200", "photos")] == {"employee_id": "200", "name": "Ben Adeyemi", "quiz": "photos", "attempts": "2",
                                       "latest_percent": "100", "latest_finished": "2026-11-21T09:05:00Z", "latest_passed": "yes",
                                       "best_percent": "100", "best_finished": "2026-11-21T09:05:00Z", "passed": "yes"}
    assert rows[("300", "photos")]["best_percent"] == "50" and rows[("300", "photos")]["passed"] == "no"
    assert rows[("400", "photos")]["attempts"] == "0"
    assert rows[("100", "final")]["passed"] == "no"


def test_not_passed_lists_roster_people_without_a_pass(reported):
    rows = [(r["employee_id"], r["quiz"], r["status"]) for r in read(reported, "not-passed.csv")]
    assert rows == [
        ("300", "Photos quiz", "best 50%"), ("400", "Photos quiz", "not attempted"),
        ("100", "Final test", "not attempted"), ("200", "Final test", "not attempted"),
        ("300", "Final test", "not attempted"), ("400", "Final test", "not attempted"),
    ]


def test_clause_miss_rates(reported):
    rows = [(r["clause"], r["asked"], r["missed"], r["miss_rate_percent"]) for r in read(reported, "clause-misses.csv")]
    assert rows == [("418.05.F", "4", "2", "50.0"), ("418.05.E", "8", "3", "37.5"), ("418.05.H", "4", "1", "25.0")]


def test_item_analysis_on_first_attempts(reported):
    items = {r["question"]: r for r in read(reported, "items.csv")}
    # first attempts: Dana (1, 1, 1), Ben (1, 0, 0), Eve (0, 0.5, 1)
    x, y = [1, 1, 0], [2, 0, 1.5]
    assert items["m/a/verdict"]["first_attempts"] == "3"
    assert items["m/a/verdict"]["facility"] == "66.7"
    assert items["m/a/verdict"]["discrimination"] == f"{100 * statistics.correlation(x, y):.1f}" == "-27.7"
    assert "very likely needs checking (discrimination < 30)" in items["m/a/verdict"]["flags"]
    assert items["m/b/select_all"]["facility"] == "50.0"


def test_item_stats_match_moodle_definitions():
    stats = item_stats([1, 0, 1, 1, 0], [4, 1, 3, 4, 2])
    assert stats.facility == 60.0
    assert stats.discrimination == pytest.approx(100 * statistics.correlation([1, 0, 1, 1, 0], [4, 1, 3, 4, 2]))
    assert stats.efficiency == pytest.approx(100.0)  # already ordered like the best possible pairing
    assert item_stats([1, 1], [2, 3]).discrimination is None  # no variance: nothing to say


def test_html_report_escapes_names_and_has_charts(reported):
    html = (reported / "index.html").read_text()
    assert "Eve <b>Park</b>" not in html and "Eve &lt;b&gt;Park&lt;/b&gt;" in html
    assert html.count("<svg") == 2 and "http://" not in html and "https://" not in html
    assert "1 attempt(s) claimed a score that re-scoring does not give" in html
