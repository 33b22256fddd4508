"""Revisions of an order: history in the order file, what changed, `rollcall diff`, the site pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build_site
from generator.cli import main
from generator.diff import compare
from generator.errors import RollcallError
from generator.load import load_library

from tests.conftest import ROOT, bundled_order_text

FIXTURE = ROOT / "tests" / "fixtures" / "revisions"
"""General Order 418 revised (invented revision effective 2027-01-01), with the bundled text kept
as its 2018-04-03 revision."""

CHANGED_ANSWERS = "expect: {verdict: permitted, clause: 418.05.A}"


@pytest.fixture
def revised(tmp_path: Path) -> Path:
    return make_revised_project(tmp_path / "revised")


def make_revised_project(project: Path) -> Path:
    """A project holding the revised order and the bundled scenarios, updated where the revision
    changes their answers (the two that identify as an employee now need written permission)."""
    shutil.copytree(FIXTURE / "policy", project / "policy")
    shutil.copytree(ROOT / "scenarios", project / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "site_overrides").symlink_to(ROOT / "site_overrides")
    off_duty = project / "scenarios" / "off-duty.yaml"
    text = off_duty.read_text(encoding="utf-8")
    assert text.count(CHANGED_ANSWERS) == 2
    off_duty.write_text(text.replace(CHANGED_ANSWERS, "expect: {verdict: permitted_with_authorization, clause: 418.05.A}"), encoding="utf-8")
    return project


def order_with_history(tmp_path: Path, history: str, effective: str = "2018-04-03") -> Path:
    text = bundled_order_text()
    text = re.sub(r"(?m)^history:\n(  .*\n|    .*\n)+", "", text)
    text = text.replace("effective: 2018-04-03\n", f"effective: {effective}\nhistory:\n{history}", 1)
    (tmp_path / "policy").mkdir(exist_ok=True)
    (tmp_path / "policy" / "go-418.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems_of(root: Path) -> list[str]:
    with pytest.raises(RollcallError) as caught:
        load_library(root)
    return [str(p) for p in caught.value.problems]


# --- the history in the order file -------------------------------------------------------------

def test_bundled_order_names_the_2011_order_it_amends_without_its_text() -> None:
    order = load_library(ROOT).order("418")
    assert order is not None
    assert [(r.revision, r.order) for r in order.history] == [("2011-04-06", None)]
    assert "not held" in (order.history[0].note or "")


def test_revision_held_in_its_own_file_is_loaded_and_hashed() -> None:
    order = load_library(FIXTURE).order("418")
    assert order is not None and order.revision == "2027-01-01"
    earlier = order.history[1]
    assert earlier.revision == "2018-04-03" and earlier.order is not None
    assert earlier.revision_hash == load_library(ROOT).order("418").revision_hash  # the bundled text
    assert earlier.revision_hash != order.revision_hash


def test_revision_dated_before_the_previous_one_is_refused(tmp_path: Path) -> None:
    root = order_with_history(tmp_path, "  - {effective: 2012-01-01, note: lost}\n  - {effective: 2011-04-06, note: lost}\n")
    [problem] = problems_of(root)
    assert re.match(r"policy/go-418\.yaml:\d+: history: revision effective 2011-04-06 precedes the revision before it \(2012-01-01", problem)


def test_two_revisions_on_the_same_date_are_refused(tmp_path: Path) -> None:
    root = order_with_history(tmp_path, "  - {effective: 2011-04-06, note: lost}\n  - {effective: 2011-04-06, note: lost}\n")
    assert any("two revisions take effect on 2011-04-06" in p for p in problems_of(root))
    root = order_with_history(tmp_path, "  - {effective: 2018-04-03, note: lost}\n")
    assert any("the same day as the current one" in p for p in problems_of(root))


def test_history_later_than_the_current_revision_is_refused(tmp_path: Path) -> None:
    root = order_with_history(tmp_path, "  - {effective: 2020-01-01, note: lost}\n")
    assert any("is later than the current revision (2018-04-03)" in p for p in problems_of(root))


def test_revision_file_that_is_missing_or_of_another_order_is_refused(tmp_path: Path) -> None:
    root = order_with_history(tmp_path, "  - {effective: 2011-04-06, file: history/nope.yaml}\n")
    [problem] = problems_of(root)
    assert re.match(r"policy/go-418\.yaml:\d+: history: cannot read revision file history/nope\.yaml", problem)
    other = bundled_order_text().replace('number: "418"', 'number: "419"').replace("effective: 2018-04-03", "effective: 2011-04-06")
    other = re.sub(r"(?m)^history:\n(  .*\n|    .*\n)+", "", other)
    (root / "policy" / "history").mkdir()
    (root / "policy" / "history" / "nope.yaml").write_text(other, encoding="utf-8")
    [problem] = problems_of(root)
    assert problem.startswith("policy/history/nope.yaml:") and "of order 419" in problem


def test_revision_without_text_or_note_is_refused(tmp_path: Path) -> None:
    root = order_with_history(tmp_path, "  - effective: 2011-04-06\n")
    assert any("needs 'file'" in p for p in problems_of(root))


# --- comparing two revisions -------------------------------------------------------------------

def test_fixture_revision_changes_are_found_with_their_words() -> None:
    order = load_library(FIXTURE).order("418")
    diff = compare(order.history[1].order, order)
    edits = {c.citation: c for c in diff.edits}
    assert set(edits) == {"418.03.post", "418.05.A", "418.05.I"}
    assert edits["418.05.A"].kind == "reworded" and edits["418.05.A"].rules_changed
    assert ("-", "sites.") in edits["418.05.A"].segments
    assert ("+", "sites only with the written permission of the Chief or designee.") in edits["418.05.A"].segments
    assert edits["418.05.I"].kind == "added"
    assert ("effective", "2018-04-03", "2027-01-01") in diff.header


def test_inserted_clause_shows_later_clauses_as_moved_and_a_deleted_item_as_removed() -> None:
    old = load_library(ROOT).order("418")
    section = old.sections[4]
    clauses = list(section.clauses)
    g = clauses[6]
    g_shorter = dataclasses.replace(g, items=g.items[:3])
    inserted = dataclasses.replace(clauses[1], letter="B", citation="418.05.B", text="Employees shall not stream live video of police operations.", rules=())
    relettered = [clauses[0], inserted]
    for clause, letter in zip(clauses[1:6] + [g_shorter] + clauses[7:], "CDEFGHI"):
        cite = f"418.05.{letter}"
        items = tuple(dataclasses.replace(i, citation=f"{cite}.{i.number}") for i in clause.items)
        relettered.append(dataclasses.replace(clause, letter=letter, citation=cite, items=items))
    new = dataclasses.replace(old, sections=old.sections[:4] + (dataclasses.replace(section, clauses=tuple(relettered)),),
                              effective=dt.date(2027, 1, 1))
    diff = compare(old, new)
    kinds = {(c.kind, c.old.citation if c.old else None, c.new.citation if c.new else None) for c in diff.edits}
    assert ("added", None, "418.05.B") in kinds
    assert ("moved", "418.05.B", "418.05.C") in kinds
    assert ("moved", "418.05.G.3", "418.05.H.3") in kinds
    assert ("removed", "418.05.G.4", None) in kinds
    assert diff.moved_to["418.05.E"] == "418.05.F"
    assert diff.count("moved") == 10  # B–H moved one letter on, with G's first three items


def test_reworded_and_moved_clause_is_one_change() -> None:
    old = load_library(ROOT).order("418")
    section = old.sections[4]
    clauses = list(section.clauses)
    e, f = clauses[4], clauses[5]
    e_reworded = dataclasses.replace(e, letter="F", citation="418.05.F", text=e.text.replace("are cautioned", "are warned"))
    f_moved = dataclasses.replace(f, letter="E", citation="418.05.E")
    new_section = dataclasses.replace(section, clauses=tuple(clauses[:4] + [f_moved, e_reworded] + clauses[6:]))
    diff = compare(old, dataclasses.replace(old, sections=old.sections[:4] + (new_section,)))
    [moved_reworded] = [c for c in diff.edits if c.kind == "moved and reworded"]
    assert (moved_reworded.old.citation, moved_reworded.new.citation) == ("418.05.E", "418.05.F")
    assert ("-", "cautioned") in moved_reworded.segments and ("+", "warned") in moved_reworded.segments


# --- rollcall diff -----------------------------------------------------------------------------

def test_rollcall_diff_prints_changes_and_the_scenarios_whose_answers_change(revised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(revised), "diff", "418", "2018-04-03", "2027-01-01"]) == 0
    out = capsys.readouterr().out
    assert "REWORDED, rule changed  418.05.A" in out
    assert "[-sites.-] {+sites only with the written permission of the Chief or designee.+}" in out
    assert "ADDED  418.05.I" in out
    assert "Scenarios whose answers change: 2" in out
    assert "off-duty/corporal-lists-employer-on-facebook: permitted (418.05.A) → permitted with authorization (418.05.A)" in out
    assert out.rstrip().endswith("2 reworded, 1 added, 0 removed, 0 moved; 1 with changed rules")


def test_rollcall_diff_explains_revisions_it_cannot_compare(revised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(revised), "diff", "418", "2011-04-06"]) == 1
    assert "revision 2011-04-06 of GO 418: its text is not held" in capsys.readouterr().err
    assert main(["--root", str(revised), "diff", "418", "2019-05-05"]) == 1
    assert "has no revision 2019-05-05 (revisions: 2011-04-06, 2018-04-03, 2027-01-01" in capsys.readouterr().err
    assert main(["--root", str(revised), "diff", "418", "current", "2018-04-03"]) == 1
    assert "give the earlier revision first" in capsys.readouterr().err


# --- the site ----------------------------------------------------------------------------------

@pytest.fixture
def revised_site(revised: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build_site(revised, out, today=dt.date(2027, 2, 1), archive=tmp_path / "results" / "answer-keys")
    return out


def test_order_page_lists_its_revisions_with_links(revised_site: Path) -> None:
    page = (revised_site / "orders" / "418.html").read_text(encoding="utf-8")
    table = page[page.index('data-rollcall="revision-history"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    assert [re.search(r'datetime="([\d-]+)"', r).group(1) for r in rows] == ["2027-01-01", "2018-04-03", "2011-04-06"]
    assert 'href="418/changes-2027-01-01.html"' in rows[0]
    assert 'href="418/2018-04-03.html"' in rows[1] and "earlier text is not held" in rows[1]
    assert "Text not held" in rows[2]


def test_what_changed_page_marks_words_and_lists_affected_scenarios(revised_site: Path) -> None:
    page = (revised_site / "orders" / "418" / "changes-2027-01-01.html").read_text(encoding="utf-8")
    assert '<del>sites.</del>' in page and "<ins>sites only with the written permission of the Chief or designee.</ins>" in page
    assert 'data-citation="418.05.I" data-kind="added"' in page
    assert 'href="../418.html#418.05.A"' in page and 'href="2018-04-03.html#418.05.A"' in page
    impacts = re.findall(r'<tr data-scenario="([^"]+)" data-answer-changed="(true|false)">', page)
    assert ("corporal-lists-employer-on-facebook", "true") in impacts
    assert ("detective-answers-career-question-on-reddit", "true") in impacts
    assert all(changed == "false" for sid, changed in impacts if sid not in {"corporal-lists-employer-on-facebook", "detective-answers-career-question-on-reddit"})


def test_earlier_revision_page_is_marked_superseded_and_kept_out_of_search(revised_site: Path) -> None:
    page = (revised_site / "orders" / "418" / "2018-04-03.html").read_text(encoding="utf-8")
    assert 'data-rollcall="superseded"' in page and 'href="changes-2027-01-01.html"' in page
    assert 'id="418.05.A"' in page and "sites. If they do" in page.replace("\n", " ")
    assert 'data-rollcall="acknowledge"' not in page
    index = json.loads((revised_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert "orders/418.html" in locations
    assert not any(loc.startswith("orders/418/") for loc in locations)


def test_build_archives_every_held_revision(revised_site: Path, tmp_path: Path) -> None:
    archive = json.loads((tmp_path / "results" / "revisions.json").read_text(encoding="utf-8"))
    entry = archive["orders"]["418"]
    order = load_library(FIXTURE).order("418")
    assert entry["current"] == order.revision_hash
    assert {v["effective"] for v in entry["revisions"].values()} == {"2018-04-03", "2027-01-01"}


def test_bundled_site_shows_the_2011_order_as_history_without_text(built_site: Path) -> None:
    page = (built_site / "orders" / "418.html").read_text(encoding="utf-8")
    table = page[page.index('data-rollcall="revision-history"'):]
    assert '<time datetime="2011-04-06">April 06, 2011</time>' in table
    assert "Text not held" in table and "This revision (current)" in table
    assert not (built_site / "orders" / "418").exists()
