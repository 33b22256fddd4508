"""`rollcall import-order` on real orders from other departments (pdftotext output, unedited, in
tests/fixtures/orders/, unedited): each imports with its outline placed, passes the loader and `rollcall check`,
and keeps every word of its body, in order."""

from __future__ import annotations

import difflib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.importer import Imported, import_file
from generator.load import load_library
from generator.errors import RollcallError
from tests.conftest import ROOT, SEED, bundled_order_text

ORDERS = ROOT / "tests" / "fixtures" / "orders"
ROCKFORD = ORDERS / "02-rockford-go-3.13-critical-incidents.txt"
SPRINGFIELD = ORDERS / "03-springfield-ops-09-body-worn-camera.txt"
HANOVER = ORDERS / "05-hanover-park-105a-bias-profiling.txt"
WAUKEGAN = ORDERS / "08-waukegan-oper-11-body-worn-camera.txt"


# --- the word-stream helper -------------------------------------------------------------------

_LEADING_MARKER = re.compile(
    r"^\s*(?:\(?(?:[A-Za-z]|[ivxlcIVXLC]{1,7}|\d{1,3})[.)](?=\s|$)"     # A.  1.  a.  iv.  IV.  (a)
    r"|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?:\.[A-Z0-9]+)+\.\d{1,3}(?=\s|$)"   # OPER.11.3
    r"|\d{1,3}(?=\s+[A-Z][^:]{0,60}:))\s*")                             # 01 Purpose:
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, lower-case, for comparing printed lines with imported paragraphs:
    markers at the start of each line or paragraph removed, words broken across lines with a
    hyphen joined, and hyphens inside words dropped (`pat-\\ndown`, `pat-down`, `patdown` agree)."""
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1-\2", text)
    out: list[str] = []
    for line in text.split("\n"):
        previous = None
        while previous != line:
            previous, line = line, _LEADING_MARKER.sub("", line, count=1)
        out.extend(w.lower() for w in _WORD.findall(line.replace("-", "")))
    return out


def source_body_words(path: Path, result: Imported) -> list[str]:
    """The words of the order's body as printed: from its first section to the end, without the
    lines the importer reported as left out (page marks, running headers and footers, contents,
    signature block)."""
    left = {item.line for item in result.left_out}
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    kept = [line.replace("\f", "") for number, line in enumerate(lines, 1) if number >= result.body_line and number not in left]
    return words("\n".join(kept))


def yaml_body_words(text: str) -> list[str]:
    """The words of the body of an order YAML file, in document order: section headings and
    texts, definitions (term, then text), clause headings and texts, item texts."""
    order = yaml.safe_load(text)
    parts: list[str] = []
    for section in order["sections"]:
        parts += [section["heading"], section.get("text", "")]
        for definition in section.get("definitions", []):
            parts += [definition["term"], definition["text"]]
        for clause in section.get("clauses", []):
            parts += [clause.get("heading", ""), clause["text"]]
            parts += [item["text"] for item in clause.get("items", [])]
    return words("\n".join(p.replace("\n\n", "\n") for p in parts))


def assert_every_word_kept(source: list[str], imported: list[str], extra_allowed: int = 0) -> None:
    """Every word of the source body is in the imported text, in the same order; the imported
    text adds at most `extra_allowed` words (markers the printed text has mid-line)."""
    matcher = difflib.SequenceMatcher(a=source, b=imported, autojunk=False)
    missing, added = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            missing.append(f"source words {a1}-{a2}: {' '.join(source[max(0, a1 - 5):a2 + 5])!r}")
        if op in ("insert", "replace"):
            added.append(" ".join(imported[b1:b2]))
    assert not missing, "words of the source missing from the import:\n" + "\n".join(missing)
    assert sum(len(a.split()) for a in added) <= extra_allowed, f"words added by the import: {added}"


# --- the four orders --------------------------------------------------------------------------

EXPECTED = {
    ROCKFORD: dict(
        header={"agency": "ROCKFORD POLICE DEPARTMENT", "series": "GENERAL ORDER", "number": "3-13",
                "title": "SUPPORT OF EMPLOYEES INVOLVED IN CRITICAL INCIDENTS (3.13)", "effective": "2002-03-20",
                "total_pages": 5},
        counts={"sections": 6, "clauses": 19, "items": 13, "definitions": 0},
        sections=["POLICY", "PURPOSE", "I", "II", "III", "IV"],
        left_out={"contents list": 12, "signature block": 6, "page mark": 4, "header field with no place in the format": 5,
                  "header form label": 1},
        body_line=13),
    SPRINGFIELD: dict(
        header={"agency": "SPRINGFIELD POLICE DEPARTMENT", "number": "20-062-OPS-09",
                "title": "BODY WORN CAMERA PROGRAM (20-062 OPS-09)", "effective": "2020-08-14", "total_pages": 6},
        counts={"sections": 10, "clauses": 33, "items": 41, "definitions": 11},
        sections=["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"],
        left_out={"signature block": 11, "header form label": 6, "header field with no place in the format": 5,
                  "running header/footer": 5, "page mark": 5},
        body_line=20),
    HANOVER: dict(
        header={"agency": "POLICE DEPARTMENT, HANOVER PARK, ILLINOIS", "number": "105-A",
                "title": "Biased Based Profiling/Discriminatory Practices", "effective": "2001-05-01",
                "calea_standards": ["1.2.9"], "total_pages": 6},
        counts={"sections": 9, "clauses": 15, "items": 14, "definitions": 3},
        sections=["PURPOSE", "POLICY", "DEFINITIONS", "I", "II", "III", "IV", "V", "VI"],
        left_out={"running header/footer": 24, "page mark": 6},
        body_line=12),
    WAUKEGAN: dict(
        header={"agency": "WAUKEGAN POLICE DEPARTMENT", "series": "GENERAL ORDER", "number": "OPER-11",
                "title": "BODY WORN CAMERA PROGRAM (OPER.11)", "effective": "2016-06-13", "total_pages": 7},
        counts={"sections": 8, "clauses": 33, "items": 35, "definitions": 3},
        sections=["PURPOSE", "POLICY", "DEFINITIONS", "1", "2", "3", "4", "5"],
        left_out={"running header/footer": 12, "page mark": 6, "signature block": 6,
                  "header field with no place in the format": 2, "order number repeated": 1},
        body_line=11),
}
IDS = {p: p.name.split("-")[1] for p in EXPECTED}


@pytest.fixture(scope="module")
def results() -> dict[Path, Imported]:
    return {path: import_file(path, path.name) for path in EXPECTED}


@pytest.mark.parametrize("path", EXPECTED, ids=IDS.get)
def test_header_fields_are_read(results, path):
    order = results[path].order
    assert {k: order.get(k) for k in EXPECTED[path]["header"]} == EXPECTED[path]["header"]


@pytest.mark.parametrize("path", EXPECTED, ids=IDS.get)
def test_outline_is_placed(results, path):
    result = results[path]
    assert result.counts == EXPECTED[path]["counts"]
    assert [s["number"] for s in result.order["sections"]] == EXPECTED[path]["sections"]
    assert result.body_line == EXPECTED[path]["body_line"]


@pytest.mark.parametrize("path", EXPECTED, ids=IDS.get)
def test_what_is_left_out_is_furniture_and_counted(results, path):
    result = results[path]
    assert Counter(item.kind for item in result.left_out) == Counter(EXPECTED[path]["left_out"])
    source = [line.replace("\f", " ") for line in path.read_text(encoding="utf-8").split("\n")]
    for item in result.left_out:
        assert item.text.split(":")[0] in " ".join(source[item.line - 1].split())
        if item.kind == "page mark":
            assert re.fullmatch(r"Page \d+( of \d+)?", item.text)
        if item.kind == "running header/footer":  # printed on several pages
            assert sum(1 for line in source if " ".join(line.split()) == item.text) >= 2
        if item.kind in ("contents list", "header form label", "header field with no place in the format"):
            assert item.line < result.body_line or item.kind == "contents list"
    assert result.page_breaks == path.read_text(encoding="utf-8").count("\f")


@pytest.mark.parametrize("path", EXPECTED, ids=IDS.get)
def test_every_word_of_the_body_is_kept_in_order(results, path, tmp_path):
    result = results[path]
    main(["--root", str(tmp_path), "import-order", str(path), "--out", str(tmp_path / "order.yaml")])
    imported = yaml_body_words((tmp_path / "order.yaml").read_text(encoding="utf-8"))
    # Springfield's text wraps "as per VII. E. 2." and "Section 35." so that "E. 2." and "35." start
    # printed lines: the helper takes them for markers, the importer (rightly) keeps them as text.
    assert_every_word_kept(source_body_words(path, result), imported, extra_allowed=3 if path == SPRINGFIELD else 0)


def test_word_helper_notices_a_dropped_or_moved_sentence():
    source = words("A. The officer shall record.\n1. Notice must be given;\n2. Stop when asked.")
    assert source == ["the", "officer", "shall", "record", "notice", "must", "be", "given", "stop", "when", "asked"]
    assert_every_word_kept(source, words("The officer shall record.\n\nNotice must be given; Stop when asked."))
    with pytest.raises(AssertionError, match="missing"):
        assert_every_word_kept(source, words("The officer shall record. Stop when asked."))
    with pytest.raises(AssertionError, match="missing"):
        assert_every_word_kept(source, words("Stop when asked. The officer shall record. Notice must be given;"))
    with pytest.raises(AssertionError, match="added"):
        assert_every_word_kept(source, words("The officer shall always record. Notice must be given; Stop when asked."))


def test_every_word_of_the_seed_is_kept(tmp_path):
    result = import_file(SEED, SEED.name)
    main(["--root", str(tmp_path), "import-order", str(SEED), "--out", str(tmp_path / "go.yaml")])
    assert_every_word_kept(source_body_words(SEED, result), yaml_body_words((tmp_path / "go.yaml").read_text(encoding="utf-8")))


def test_placement_of_nested_and_stacked_markers(results):
    def section(path, number):
        return next(s for s in results[path].order["sections"] if s["number"] == number)

    def clause(path, number, letter):
        return next(c for c in section(path, number)["clauses"] if c["letter"] == letter)

    # Rockford: the numeral alone on its line, the heading wrapped over two lines
    assert section(ROCKFORD, "II")["heading"] == "RESPONSIBILITY OF THE DISTRICT COMMANDER OR OFFICER IN CHARGE (OIC)"
    # Springfield: lettered "Term - text" definitions; a./b. kept in their item as paragraphs
    terms = [d["term"] for d in section(SPRINGFIELD, "IV")["definitions"]]
    assert terms[:3] == ["BWC", "AXON 2", "Body Worn Camera (BWC) Technician"]
    item = clause(SPRINGFIELD, "IX", "C")["items"][0]["text"].split("\n\n")
    assert [p[:2] for p in item] == ["If", "a.", "b."]
    # Hanover: ALL-CAPS definitions; i., ii. under a. (not the letter i)
    assert [d["term"] for d in section(HANOVER, "DEFINITIONS")["definitions"]] == ["PROFILING", "DETENTION", "BIASED BASED PROFILING"]
    paragraphs = clause(HANOVER, "II", "A")["items"][4]["text"].split("\n\n")
    assert [p.split()[0] for p in paragraphs[:4]] == ["Pursuant", "a.", "i.", "ii."]
    assert clause(HANOVER, "II", "A")["items"][0]["text"].split("\n\n")[-1].startswith("i. the name and badge number")
    # Waukegan: markers printed alone, then their texts; a section code amid them
    items = clause(WAUKEGAN, "3", "C")["items"]
    assert items[5]["text"].endswith("leaving the crime scene (unless MAV is activated)")
    assert items[6]["text"] == "High-risk situations, including search warrants"
    assert clause(WAUKEGAN, "3", "B")["items"][2]["text"].startswith("Pursuant to State law, the officer must provide notice")
    assert clause(WAUKEGAN, "3", "F")["items"][4]["text"].startswith("Pursuant to administrative order 16-06")
    assert section(WAUKEGAN, "4")["heading"] == "OPER.11.4 OPERATIONAL PROCEDURES"
    assert clause(WAUKEGAN, "4", "A")["text"] == "Officers will:"
    assert clause(WAUKEGAN, "4", "C")["text"] == "Critical Incident Protocol:"
    assert clause(WAUKEGAN, "3", "F")["heading"] == "Prohibited Recordings"


def test_folder_import_writes_valid_policy_and_a_summary(make_project, capsys, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for path in EXPECTED:
        shutil.copy(path, folder / path.name)
    (folder / "99-broken.txt").write_text("SOME DEPARTMENT\nTITLE: Nothing\nNo section here at all.\n", encoding="utf-8")
    project = make_project({"policy/.keep": ""})
    code = main(["--root", str(project), "import-order", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{folder / '99-broken.txt'}:1: no section found" in err
    rows = {line.split()[0]: line for line in out.splitlines()[1:5]}
    assert rows["05-hanover-park-105a-bias-profiling.txt"].split()[1:2] == ["105-A"]
    assert all(line.rstrip().endswith("ok") for line in rows.values())
    assert "99-broken.txt" in out and "error:" in out.splitlines()[5]
    assert "4 of 5 order(s) imported" in out and "1 failed" in out
    assert sorted(p.name for p in (project / "policy").glob("*.yaml")) == [
        "go-105-A.yaml", "go-20-062-OPS-09.yaml", "go-3-13.yaml", "go-OPER-11.yaml"]
    library = load_library(project)
    assert sorted(o.number for o in library.orders) == ["105-A", "20-062-OPS-09", "3-13", "OPER-11"]
    assert main(["--root", str(project), "check"]) == 0


def test_folder_import_keeps_existing_files_unless_forced(make_project, capsys, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(HANOVER, folder / HANOVER.name)
    project = make_project({"policy/go-105-A.yaml": "# kept\n"})
    assert main(["--root", str(project), "import-order", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"go-105-A.yaml already exists; use --force to overwrite it" in err
    assert (project / "policy" / "go-105-A.yaml").read_text(encoding="utf-8") == "# kept\n"
    assert main(["--root", str(project), "import-order", str(folder), "--force"]) == 0
    assert "number: 105-A" in (project / "policy" / "go-105-A.yaml").read_text(encoding="utf-8")


def test_single_file_import_reports_what_was_left_out(make_project, capsys):
    project = make_project({"policy/.keep": ""})
    assert main(["--root", str(project), "import-order", str(ROCKFORD), "--list-left-out"]) == 0
    out = capsys.readouterr().out
    assert f"{ROCKFORD}:47: left out (page mark): Page 1 of 5" in out
    assert f"{ROCKFORD}:198: left out (signature block): BY ORDER OF" in out
    assert f"{ROCKFORD}:29: left out (contents list): This Order is comprised of the following numbered section:" in out
    assert "Imported GO 3-13 (SUPPORT OF EMPLOYEES INVOLVED IN CRITICAL INCIDENTS (3.13)): 6 sections, 19 clauses, 13 items, 0 definitions" in out
    assert "Left out: 12 contents list, 6 signature block, 5 header field with no place in the format, 4 page mark, 1 header form label, 5 page breaks" in out


def test_a_line_that_cannot_be_placed_in_a_real_order_names_file_and_line(make_project, capsys, tmp_path):
    text = HANOVER.read_text(encoding="utf-8").replace("SUBJECT:", "lost words in the header\n\nSUBJECT:", 1)
    path = tmp_path / "hanover.txt"
    path.write_text(text, encoding="utf-8")
    project = make_project({"policy/.keep": ""})
    assert main(["--root", str(project), "import-order", str(path)]) == 1
    err = capsys.readouterr().err
    line = text.split("\n").index("lost words in the header") + 1
    assert f"{path}:{line}: header: cannot place 'lost words in the header'" in err
    assert "Traceback" not in err
    assert not list((project / "policy").glob("*.yaml"))


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"\f\f\f", "only a line of prose".encode()])
def test_files_that_are_not_orders_give_an_error_not_a_traceback(make_project, capsys, tmp_path, content):
    path = tmp_path / "odd.txt"
    path.write_bytes(content)
    project = make_project({"policy/.keep": ""})
    assert main(["--root", str(project), "import-order", str(path)]) == 1
    err = capsys.readouterr().err
    assert re.match(rf"{re.escape(str(path))}:\d+: ", err)


def test_import_with_build_gives_a_checked_file_and_a_site_page(make_project, capsys) -> None:
    from generator.cli import main

    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    source = ORDERS / "05-hanover-park-105a-bias-profiling.txt"
    assert main(["--root", str(project), "import-order", str(source), "--build"]) == 0
    out = capsys.readouterr().out
    page = project / "site" / "orders" / "105-a.html"
    assert f"GO 105-A: {page}" in out
    html = page.read_text(encoding="utf-8")
    assert "Biased Based Profiling/Discriminatory Practices" in html
    assert '<a href="../standards.html#standard-1.2.9">1.2.9</a>' in html


def test_yaml_that_would_fail_the_checks_is_not_written(tmp_path: Path) -> None:
    from generator.importer.folder import checked

    with pytest.raises(RollcallError) as caught:
        checked("number: '9'\ntitle: X\neffective: 2020-02-30\nsections: [{number: '1', heading: A}]\n", tmp_path / "go-9.yaml")
    [problem] = caught.value.problems
    assert "bad date '2020-02-30'" in problem.message and "not written" in problem.message


def test_pasted_text_is_read_from_standard_input(make_project, monkeypatch, capsys) -> None:
    import io

    from generator.cli import main

    project = make_project({})
    text = (ORDERS / "02-rockford-go-3.13-critical-incidents.txt").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["--root", str(project), "import-order", "-"]) == 0
    written = project / "policy" / "go-3-13.yaml"
    assert "Imported from standard input" in written.read_text(encoding="utf-8")
    assert f"-> {written}" in capsys.readouterr().out
