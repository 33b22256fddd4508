"""`rollcall import-order`: plain-text orders into policy YAML, every sentence kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.load import load_library
from tests.conftest import ROOT, SEED, bundled_order_text



def content(order) -> dict:
    """What the order says, without editorial additions (labels, keywords, facts, rules)."""
    return {
        "header": (order.agency, order.series, order.number, order.title, order.effective, order.review, order.action,
                   order.action_dated, order.authority, order.calea_standards, order.total_pages),
        "sections": [
            (s.number, s.heading, s.text, [(d.term, d.text) for d in s.definitions],
             [(c.letter, c.heading, c.text, [(i.number, i.text) for i in c.items]) for c in s.clauses])
            for s in order.sections
        ],
    }


def imported(make_project, text: str, capsys) -> tuple[int, object]:
    project = make_project({"policy/.keep": ""})
    (project / "in.txt").write_bytes(text.encode("utf-8"))
    code = main(["--root", str(project), "import-order", str(project / "in.txt"), "--out", str(project / "policy" / "go-418.yaml")])
    if code != 0:
        return code, capsys.readouterr().err
    return code, load_library(project).orders[0]


def test_importing_the_seed_gives_the_bundled_order(make_project, capsys):
    code, order = imported(make_project, SEED.read_text(encoding="utf-8"), capsys)
    assert code == 0
    assert content(order) == content(load_library(ROOT).orders[0])


def test_text_as_it_really_arrives(make_project, capsys):
    seed = SEED.read_text(encoding="utf-8")
    messy = seed.replace("department will exploit social media tools.",
                         "department will ex-\nploit social media tools.")
    messy = messy.replace("\nB. Authorization of Postings:", "\n\nPage 2 of 4\n\nB. Authorization of Postings:")
    messy = messy.replace("\n", "\r\n")
    code, order = imported(make_project, messy, capsys)
    assert code == 0
    assert content(order) == content(load_library(ROOT).orders[0])


def test_a_line_that_cannot_be_placed_is_reported_with_its_line(make_project, capsys):
    seed = SEED.read_text(encoding="utf-8")
    broken = seed.replace("01 Purpose:", "Stray heading nobody can place\n01 Purpose:", 1)
    broken = broken.replace("TITLE: Social Media", "TITLE: Social Media\t\t???")
    code, err = imported(make_project, broken, capsys)
    assert code == 1
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if "???" in l)
    assert f"in.txt:{line}: header: cannot place '???'" in err
    stray = next(i for i, l in enumerate(broken.splitlines(), 1) if l.startswith("Stray"))
    assert f"in.txt:{stray}: header: cannot place 'Stray heading nobody can place'" in err


def test_imported_order_passes_check(make_project, capsys):
    code, _ = imported(make_project, SEED.read_text(encoding="utf-8"), capsys)
    assert code == 0
    capsys.readouterr()
    project = make_project({})
    assert main(["--root", str(project), "check"]) == 0


def test_quotes_are_kept_as_written_and_a_missing_header_field_is_left_out(make_project, capsys):
    seed = SEED.read_text(encoding="utf-8")
    varied = seed.replace('"followers" or "fans,"', "\u201cfollowers\u201d or \u201cfans,\u201d")  # curly
    varied = varied.replace("department\u2019s endorsement", "department's endorsement")  # straight
    varied = varied.replace("\t\tReview Date: April 03, 2021\t", "\t")  # no review date printed
    code, order = imported(make_project, varied, capsys)
    assert code == 0
    assert order.review is None and order.effective.isoformat() == "2018-04-03"
    text = " ".join(u.text for u in order.units() if getattr(u, "text", None))
    assert "\u201cfollowers\u201d or \u201cfans,\u201d" in text
    assert "department's endorsement" in text
    assert [s.clauses for s in order.sections[:3]] == [(), (), ()]  # Purpose, Policy, Definitions: no clauses
