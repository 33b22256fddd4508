"""The quick YAML reader gives exactly what the full located loader gives, lines included, and
leaves everything unusual to the full loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import yamlsource
from generator.errors import RollcallError
from generator.yamlsource import LocatedList, LocatedMap, parse_yaml

ROOT = Path(__file__).resolve().parents[1]


def shape(value: Any) -> Any:
    """Everything a caller can see: values, their types, and every recorded line."""
    if isinstance(value, LocatedMap):
        return ("map", value.line, list(value.key_lines.items()), [(k, shape(v)) for k, v in value.items()])
    if isinstance(value, LocatedList):
        return ("list", value.line, list(value.item_lines), [shape(v) for v in value])
    return (type(value).__name__, value)


def full(text: str) -> Any:
    return yaml.load(text, Loader=yamlsource._Loader)  # noqa: S506 - a SafeLoader subclass


def project_yaml() -> list[Path]:
    files = [*ROOT.glob("policy/**/*.yaml"), *ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")]
    assert len(files) >= 5
    return sorted(files)


@pytest.mark.parametrize("path", project_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_quick_reader_matches_the_full_loader_on_every_project_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert shape(yamlsource._quick_load(text)) == shape(full(text))


SCALARS = """\
plain: text with colons, # and 'quotes'
quoted: "418"
single: '05.G'
integer: 418
octal: 0o17
old_octal: 017
hex: 0x1F
sexagesimal: 1:30
underscored: 1_000
float: 2.5
exponent: 1e3
infinity: .inf
yes_word: yes
no_word: No
on_word: on
true_word: true
null_word: null
tilde: ~
empty:
date: 2018-04-03
stamp: 2001-12-14t21:59:43.10-05:00
folded: >-
  Off duty, an officer
  posts a selfie.
literal: |
  line one
  line two
flow_list: [a, 'b', 3, {c: d}]
flow_map: {x: 1, y: [2, 3]}
1: integer key
true: boolean key
~: null key
nested:
  - id: s1
    facts: {duty: off_duty, act: post}
  -
  - - deeper
    - list
"""


def test_quick_reader_matches_the_full_loader_on_every_kind_of_scalar_and_container() -> None:
    assert shape(yamlsource._quick_load(SCALARS)) == shape(full(SCALARS))
    loaded = yamlsource._quick_load(SCALARS)
    assert loaded["quoted"] == "418" and loaded["integer"] == 418 and loaded["yes_word"] is True
    assert loaded["date"] == "2018-04-03" and loaded["empty"] is None and loaded["1"] == "integer key"
    assert loaded.line_of("literal") == 25 and loaded["nested"].line_of(2) == 37


@pytest.mark.parametrize("text", ["", "# only a comment\n", "just a scalar\n", "- a\n- b\n", "{}\n", "[]\n"])
def test_quick_reader_matches_the_full_loader_on_small_documents(text: str) -> None:
    assert shape(yamlsource._quick_load(text)) == shape(full(text))


UNUSUAL = {
    "anchor and alias": "a: &x [1, 2]\nb: *x\n",
    "merge key": "base: &b {x: 1}\nmore:\n  <<: *b\n  y: 2\n",
    "explicit tag": "a: !!str 3\n",
    "set": "a: !!set {x, y}\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "complex key": "? [a, b]\n: c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
}


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_anything_unusual_goes_to_the_full_loader_with_the_same_outcome(text: str) -> None:
    with pytest.raises((yamlsource._Unusual, yaml.YAMLError)):
        yamlsource._quick_load(text)
    try:
        expected = ("value", shape(full(text)))
    except yamlsource._DuplicateKey as exc:
        expected = ("error", [f"f.yaml:{exc.line}: duplicate key '{exc.key}' (first at line {exc.first})"])
    except yaml.YAMLError:
        expected = ("error", None)
    try:
        got = ("value", shape(parse_yaml(text, "f.yaml")))
    except RollcallError as exc:
        got = ("error", [str(p) for p in exc.problems] if expected[1] else None)
        assert all(str(p).startswith("f.yaml:") for p in exc.problems)
    assert got == expected


def test_a_department_of_generated_files_reads_the_same_both_ways(tmp_path: Path) -> None:
    from tests.test_benchmarks_smoke import _synthetic

    _synthetic().write_department(tmp_path / "dept", 3, seed=11, scenarios=30)
    files = sorted((tmp_path / "dept").glob("*/*.yaml"))
    assert len(files) == 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert shape(yamlsource._quick_load(text)) == shape(full(text)), path.name


@pytest.mark.parametrize("text", ["a: [1, 2]\nb: {c: d}\n", *UNUSUAL.values()], ids=["plain", *UNUSUAL.keys()])
def test_pyyaml_s_own_event_api_is_untouched_after_the_quick_reader_ran(text: str) -> None:
    try:
        yamlsource._quick_load(text)
    except (yamlsource._Unusual, yaml.YAMLError):
        pass
    events = list(yaml.parse("a: [1]\n", Loader=yaml.CSafeLoader))
    assert [type(e).__name__ for e in events] == [
        "StreamStartEvent", "DocumentStartEvent", "MappingStartEvent", "ScalarEvent",
        "SequenceStartEvent", "ScalarEvent", "SequenceEndEvent", "MappingEndEvent",
        "DocumentEndEvent", "StreamEndEvent",
    ]
    assert events[3].value == "a" and events[3].start_mark.line == 0
