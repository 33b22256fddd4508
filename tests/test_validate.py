"""Bad input: each kind gives `file:line: message`, exit 1, no traceback, and no site change."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.cache import Cache
from generator.cli import main
from tests.conftest import bundled_order_text

ORDER = "policy/go-418.yaml"


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def broken(kind: str) -> tuple[str, str]:
    """The bundled order broken one way, and the exact message it must produce."""
    text = bundled_order_text()
    if kind == "malformed":
        text = text.replace("title: Social Media", "title: [Social Media")
        return text, f"{ORDER}:{line_of(text, 'effective:')}: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence)"
    if kind == "unknown_key":
        text = text.replace("      - letter: F\n", "      - letter: F\n        colour: blue\n")
        return text, (
            f"{ORDER}:{line_of(text, 'colour: blue')}: sections[4].clauses[5].colour: unknown key 'colour' "
            "(known keys: heading, items, keywords, label, letter, rules, text)"
        )
    if kind == "missing_field":
        text = text.replace('title: Social Media\n', "")
        return text, f"{ORDER}:{line_of(text, 'agency:')}: missing required field 'title'"
    if kind == "duplicate_clause":
        first = line_of(text, "      - letter: E")
        text = text.replace("      - letter: F\n", "      - letter: E\n")
        lines = [i for i, l in enumerate(text.splitlines(), 1) if l == "      - letter: E"]
        return text, f"{ORDER}:{lines[1]}: duplicate id '418.05.E' (first at line {first})"
    if kind == "bad_date":
        text = text.replace("effective: 2018-04-03", "effective: 2018-02-30")
        return text, f"{ORDER}:{line_of(text, 'effective:')}: effective: bad date '2018-02-30': day is out of range for month"
    if kind == "duplicate_key":
        text = text.replace("title: Social Media\n", "title: Social Media\ntitle: Social Media\n")
        lines = [i for i, l in enumerate(text.splitlines(), 1) if l.startswith("title:")]
        return text, f"{ORDER}:{lines[1]}: duplicate key 'title' (first at line {lines[0]})"
    if kind == "wrong_type":
        text = text.replace("total_pages: 4", "total_pages: four")
        return text, f"{ORDER}:{line_of(text, 'total_pages')}: total_pages: expected integer, got str 'four'"
    raise ValueError(kind)


KINDS = ["malformed", "unknown_key", "missing_field", "duplicate_clause", "bad_date", "duplicate_key", "wrong_type"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_names_file_and_line_and_leaves_site_untouched(kind, make_project, capsys):
    text, expected = broken(kind)
    project = make_project({ORDER: text})
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the previous site</p>")
    before = tree_digest(site)

    code = main(["--root", str(project), "build"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[0] == expected
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "rollcall: 1 problem found; nothing was changed."
    assert tree_digest(site) == before


def test_check_reports_every_problem_at_once(make_project, capsys):
    text = bundled_order_text().replace("effective: 2018-04-03", "effective: 2018-02-30")
    other = bundled_order_text().replace('number: "418"', 'number: "419"').replace("      - letter: F\n", "      - letter: E\n")
    project = make_project({ORDER: text, "policy/go-419.yaml": other})
    assert main(["--root", str(project), "check"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert any(l.startswith("policy/go-418.yaml:") and "bad date" in l for l in lines)
    assert any(l.startswith("policy/go-419.yaml:") and "duplicate id '419.05.E'" in l for l in lines)
    assert lines[-1] == "rollcall: 2 problems found; nothing was changed."


def test_two_files_with_the_same_order_number_are_refused(make_project, capsys):
    project = make_project({ORDER: bundled_order_text(), "policy/go-418-copy.yaml": bundled_order_text()})
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert "policy/go-418.yaml:" in err and "order 418 is already defined in policy/go-418-copy.yaml:" in err


def test_amending_order_needs_the_date_of_the_order_it_amends(make_project, capsys):
    text = bundled_order_text().replace("action_dated: 2011-04-06\n", "")
    project = make_project({ORDER: text})
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{ORDER}:{line_of(text, 'action: amends')}: action: an order that amends another needs 'action_dated'" in err


def test_failed_site_build_after_valid_input_keeps_previous_site(make_project, capsys):
    project = make_project({ORDER: bundled_order_text()})
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text().replace("name: material", "name: no-such-theme"))
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the previous site</p>")
    before = tree_digest(site)
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mkdocs.yml:1: site build failed:")
    assert tree_digest(site) == before
    assert not list(project.glob(".site.building-*"))


def test_valid_project_checks_clean(make_project, capsys):
    project = make_project({ORDER: bundled_order_text()})
    assert main(["--root", str(project), "check"]) == 0
    assert capsys.readouterr().out == (
        "OK: 1 order(s), 25 citable sections, clauses and items, 23 clause rules.\n"
        "OK: Can I…? tree of 35 questions and 136 answers agrees with the rules on 443475 fact combinations and 0 scenarios "
        "(136 rule-engine runs; facts that no rule still in play reads cannot change an answer).\n"
    )


def test_cached_check_still_reports_a_file_broken_after_a_clean_check(make_project, capsys):
    project = make_project({ORDER: bundled_order_text()})
    assert main(["--root", str(project), "check"]) == 0
    assert Cache(project).entries("orders") == 1
    text, expected = broken("duplicate_clause")
    (project / ORDER).write_text(text)
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == expected
    (project / ORDER).write_text(bundled_order_text())  # and back: the cached clean result is used again
    assert main(["--root", str(project), "check"]) == 0


def test_cached_check_rechecks_only_the_modules_of_an_edited_order(tmp_path, monkeypatch, capsys):
    from generator import scenarios
    from tests.test_benchmarks_smoke import _synthetic

    project = tmp_path / "dept"
    _synthetic().write_department(project, 3, seed=5, scenarios=30)
    assert main(["--root", str(project), "check"]) == 0
    compiled: list[str] = []
    real = scenarios._compile_text
    monkeypatch.setattr(scenarios, "_compile_text", lambda raw, name, library: compiled.append(name) or real(raw, name, library))

    assert main(["--root", str(project), "check"]) == 0
    assert compiled == []  # nothing changed: every module from the cache

    order = project / "policy" / "go-101.yaml"
    order.write_text(order.read_text() + "# reviewed\n")
    assert main(["--root", str(project), "check"]) == 0
    assert compiled == ["scenarios/go-101.yaml"]  # the other orders' modules are kept

    # an edit to its order that breaks a module is found although the module file is unchanged
    compiled.clear()
    order.write_text(order.read_text().replace("off_duty", "not_on_duty"))
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 1
    assert compiled == ["scenarios/go-101.yaml"]
    assert "scenarios/go-101.yaml:" in capsys.readouterr().err


def test_the_compiled_schema_validator_is_kept_and_a_damaged_copy_is_rebuilt(tmp_path, monkeypatch):
    import shutil

    from generator import validate

    schemas = tmp_path / "schemas"
    shutil.copytree(validate.SCHEMAS, schemas, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(validate, "SCHEMAS", schemas)
    validate.fast_validator.cache_clear()
    try:
        first = validate.fast_validator("final-test.schema.json")
        [kept] = (schemas / "__pycache__").iterdir()
        validate.fast_validator.cache_clear()
        kept.write_bytes(b"damaged")
        again = validate.fast_validator("final-test.schema.json")
        assert kept.read_bytes() != b"damaged"  # written afresh
        for check in (first, again):
            check({"final_test": {"questions": 5}})
            with pytest.raises(Exception, match="must"):
                check({"final_test": {"questions": "five"}})
    finally:
        validate.fast_validator.cache_clear()
