"""The body of an order: sections, lettered clauses, numbered items, nested sub-items and
definitions, placed by the patterns of their markers and the order they come in.

Markers are read in sequence: `I.` after section IV is a clause, not a section; `i.` after `h.` is
a letter, under `a.` a Roman numeral. A marker printed alone on its line (as tables come out of
PDFs) waits for the next block of text; markers stacked one after another receive the blocks that
follow in turn. Sub-items deeper than items are kept in their item's text as paragraphs starting
with their marker (`a. text`). A contents list (sections listed before they are printed in full)
is recognised by its numerals repeating, and left out."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .markers import (DEFINITION, INLINE_LABEL, ROMAN_SECTION, SECTION_CODE, SEED_SECTION, Marker, is_caps_heading,
                      is_section_word_heading, is_title_heading, marker, roman)
from .paragraphs import Body, Mender, Paragraph
from .source import LeftOut, Line

_STARTS_PARAGRAPH = re.compile(r"^[A-Z0-9“\"(*]")


@dataclass(eq=False)
class Unit:
    """A section, clause, item, definition or sub-item being read."""

    kind: str
    node: dict[str, Any]
    line: int
    body: Body = field(default_factory=Body)
    parent: "Unit | None" = None
    reading: tuple[str, int] = ("", 0)
    own: Paragraph | None = None
    """For a sub-item: its paragraph in the text of the unit that holds it."""
    host: "Unit | None" = None

    def add(self, text: str, new_paragraph: bool, mender: Mender) -> None:
        if self.kind == "sub":
            assert self.host is not None and self.own is not None
            if new_paragraph and self.own.text.strip() and not _bare_marker(self.own.text):
                index = self.host.body.paragraphs.index(self.own) + 1
                self.own = Paragraph()
                self.host.body.paragraphs.insert(index, self.own)
            self.own.add(text, mender)
            return
        target = self.body.paragraph() if new_paragraph or not self.body.paragraphs else self.body.last()
        target.add(text, mender)

    def ends_sentence(self) -> bool:
        paragraph = self.own if self.kind == "sub" else (self.body.paragraphs[-1] if self.body.paragraphs else None)
        return paragraph is not None and paragraph.ends_sentence()

    def is_empty(self) -> bool:
        if self.kind == "sub":
            return self.own is None or _bare_marker(self.own.text)
        return self.body.is_empty()


def _is_caps_prose(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 20 and all(c.isupper() for c in letters)


def _bare_marker(text: str) -> bool:
    return bool(re.fullmatch(r"(?:\S{1,6}[.)]\s*)+", text.strip()))


@dataclass
class Outline:
    """What the body gave: the sections (YAML-ready), what was left out, problems, counts."""

    sections: list[dict[str, Any]]
    left_out: list[LeftOut]
    problems: list[Problem]
    counts: dict[str, int]


@dataclass
class _SectionStart:
    number: str
    heading: str
    text: str
    consumed: int
    """Lines read for the number and heading (the first included)."""
    pending: bool = False
    roman_value: int | None = None


def _next_content(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].stripped:
            return j
    return None


def section_at(lines: list[Line], i: int, expect_roman: int) -> _SectionStart | None:
    """A section starting at line i, if one does."""
    text = lines[i].stripped
    match = SEED_SECTION.match(text)
    if match:
        return _SectionStart(match.group(1).zfill(2), match.group(2).strip(), match.group(3), 1)
    match = ROMAN_SECTION.match(text)
    if match and roman(match.group(1)) == expect_roman:
        rest = (match.group(2) or "").strip()
        if rest and is_caps_heading(rest):
            return _SectionStart(match.group(1), rest.rstrip(":").strip(), "", 1, roman_value=expect_roman)
        j = _next_content(lines, i)
        if not rest and j is not None and is_caps_heading(lines[j].stripped) and marker(lines[j].stripped) is None:
            heading = [lines[j].stripped]
            while not heading[-1].endswith(":") and j + 1 < len(lines) and lines[j + 1].stripped \
                    and is_caps_heading(lines[j + 1].stripped) and marker(lines[j + 1].stripped) is None:
                j += 1
                heading.append(lines[j].stripped)
            return _SectionStart(match.group(1), " ".join(heading).rstrip(":").strip(), "", j - i + 1, roman_value=expect_roman)
    match = SECTION_CODE.match(text)
    if match:
        return _SectionStart(match.group(2), text, "", 1, pending=True)
    match = INLINE_LABEL.match(text)
    if match and is_section_word_heading(match.group(1)) and match.group(2).strip():
        return _SectionStart("", match.group(1).strip(), match.group(2).strip(), 1)
    if is_caps_heading(text, 6) and is_section_word_heading(text.rstrip(":").strip()):
        return _SectionStart("", text.rstrip(":").strip(), "", 1)
    return None


def body_start(lines: list[Line]) -> int | None:
    """Index of the first line of the first section."""
    return next((i for i, line in enumerate(lines) if line.stripped and section_at(lines, i, 1)), None)


def contents_list(lines: list[Line], start: int) -> tuple[int, int] | None:
    """(first, end) indexes of a contents list: numbered section headings listed with nothing
    but headings between them, whose first numeral is printed again later where the sections
    begin in full."""
    candidates: list[tuple[int, int]] = []
    expect = 1
    i = start
    while i < len(lines):
        if lines[i].stripped:
            found = section_at(lines, i, expect)
            if found and found.roman_value:
                candidates.append((i, found.roman_value))
                expect += 1
            elif found is None and candidates and candidates[0][1] == 1:
                found = section_at(lines, i, 1)
                if found and found.roman_value == 1:
                    candidates.append((i, 1))
                    break
        i += 1
    if len(candidates) < 2 or candidates[-1][1] != 1 or candidates[0][1] != 1:
        return None
    first, end = candidates[0][0], candidates[-1][0]
    for line in lines[first:end]:
        text = line.stripped
        found = marker(text)
        core = found.rest if found else text
        if text and core and not is_caps_heading(core, 14) and not (text.isupper() or ROMAN_SECTION.match(text)):
            return None
    before = first - 1
    while before > start and not lines[before].stripped:
        before -= 1
    if before > start and lines[before].stripped.endswith(":") and not lines[before - 1].stripped:
        first = before
    return first, end


class _Reader:
    def __init__(self, lines: list[Line], name: str, printed_number: str | None) -> None:
        self.lines = lines
        self.name = name
        self.printed_number = printed_number
        self.mender = Mender.of("\n".join(l.text for l in lines))
        lengths = [len(l.stripped) for l in lines if len(l.stripped) > 20]
        self.width = statistics.median(lengths) if lengths else 80
        self.sections: list[Unit] = []
        self.section: Unit | None = None
        self.position: Unit | None = None
        self.groups: list[list[Unit]] = []
        """Markers printed alone, waiting for their text; a group per run of stacked markers."""
        self.serving: list[Unit] | None = None
        self.waiting_sections: list[Unit] = []
        self.last_event = "text"
        self.expect_roman = 1
        self.left_out: list[LeftOut] = []
        self.problems: list[Problem] = []
        self.previous: Line | None = None
        self.lettered_definitions: bool | None = None
        self.index = 0
        self.after_heading = False

    # sections ---------------------------------------------------------------------------------
    def open_section(self, start: _SectionStart, line: Line) -> Unit:
        number = start.number or re.sub(r"[^A-Z0-9]+", "-", start.heading.upper()).strip("-")
        unit = Unit("section", {"number": number, "heading": start.heading}, line.number)
        self.sections.append(unit)
        self.section = unit
        self.lettered_definitions = None
        if start.pending and self.last_event == "marker":
            return unit  # a section code amid markers printed alone: they still wait for their text
        self.position = unit
        self.groups, self.serving, self.last_event = [], None, "text"
        if start.roman_value:
            self.expect_roman = start.roman_value + 1
        if start.text:
            unit.add(start.text, True, self.mender)
        return unit

    def is_definitions(self) -> bool:
        return self.section is not None and "DEFINITION" in self.section.node["heading"].upper()

    # markers ----------------------------------------------------------------------------------
    def path(self, unit: Unit | None) -> list[Unit]:
        out = []
        while unit is not None and unit.kind in ("clause", "item", "sub"):
            out.append(unit)
            unit = unit.parent
        return out[::-1]

    def place(self, found: Marker, line: Line) -> Unit | None:
        """The unit a marker opens, placed by sequence, or None if it continues the text."""
        assert self.section is not None
        reference = self.groups[-1][-1] if self.last_event == "marker" and self.groups else self.position
        path = self.path(reference)
        for kind, value in found.readings:
            if kind == "U":
                clauses = [u for u in self.section.node.get("_clauses", [])]
                if value == len(clauses) + 1:
                    return self.new_unit("clause", None, (kind, value), found, line)
        for depth in range(len(path) - 1, -1, -1):
            entry = path[depth]
            for kind, value in found.readings:
                if kind != "U" and entry.reading == (kind, value - 1):
                    return self.new_unit("", entry.parent, (kind, value), found, line)
        for kind, value in found.readings:
            if kind != "U" and value == 1 and (path or kind == "D" or not self.section.node.get("_clauses")):
                return self.new_unit("", path[-1] if path else None, (kind, value), found, line)
        return None

    def new_unit(self, kind: str, parent: Unit | None, reading: tuple[str, int], found: Marker, line: Line) -> Unit:
        assert self.section is not None
        if kind == "clause":
            unit = Unit("clause", {"letter": found.printed[0]}, line.number, reading=reading)
            self.section.node.setdefault("_clauses", []).append(unit)
            return unit
        if reading[0] == "D" and parent is not None and parent.kind == "clause":
            unit = Unit("item", {"number": reading[1]}, line.number, parent=parent, reading=reading)
            parent.node.setdefault("_items", []).append(unit)
            return unit
        host = parent if parent is not None and parent.kind in ("clause", "item") else (parent.host if parent else self.section)
        assert host is not None
        unit = Unit("sub", {}, line.number, parent=parent, reading=reading, host=host, own=Paragraph(found.printed))
        host.body.paragraphs.append(unit.own)  # type: ignore[arg-type]
        return unit

    # text -------------------------------------------------------------------------------------
    def deliver(self, line: Line, gap: bool) -> None:
        text = line.stripped
        if self.waiting_sections and is_caps_heading(text) and marker(text) is None:
            section = self.waiting_sections.pop(0)
            section.node["heading"] = f"{section.node['heading']} {text.rstrip(':').strip()}"
            if not self.groups:
                self.position = section
            self.after_heading = True
            return
        starts_block = gap or self.last_event == "marker" or self.after_heading
        self.after_heading = False
        split = (not starts_block and self.serving and text[:1].isupper()
                 and self.previous is not None and self.previous.stripped.endswith((".", ";", ":", ")", "!", "?")))
        if (starts_block and self.groups) or split:
            group = self.serving if split else self.groups[-1]
            assert group is not None
            unit = group.pop(0)
            while group and group[0].parent is unit and unit.is_empty():  # a parent whose text follows its items
                unit = group.pop(0)
            if not group:
                self.groups = [g for g in self.groups if g is not group]
            self.serving = group if group else None
            self.position, self.last_event = unit, "text"
            if not self.clause_heading(unit, text):
                unit.add(text, True, self.mender)
            return
        if starts_block:
            self.serving = None
        unit = self.position
        assert unit is not None
        self.last_event = "text"
        unit.add(text, self.new_paragraph(unit, line, gap), self.mender)

    def clause_heading(self, unit: Unit, text: str) -> bool:
        """A clause printed alone whose text begins with a short untitled-looking line
        (`Prohibited Recordings`) followed by its sentence: that line is its heading."""
        following = self.lines[self.index + 1].stripped if self.index + 1 < len(self.lines) else ""
        if (unit.kind == "clause" and unit.is_empty() and "heading" not in unit.node and len(text.split()) <= 6
                and is_title_heading(text) and not re.search(r"[.,;:!?]$", text)
                and following[:1].isupper() and marker(following) is None):
            unit.node["heading"] = text
            return True
        return False

    def new_paragraph(self, unit: Unit, line: Line, gap: bool) -> bool:
        if unit.is_empty() or not _STARTS_PARAGRAPH.match(line.stripped) or not unit.ends_sentence():
            return False
        if gap or (_is_caps_prose(line.stripped) and not _is_caps_prose(self.previous.stripped if self.previous else "")):
            return True
        previous = self.previous.stripped if self.previous else ""
        return len(previous) < 0.7 * self.width

    # the body ---------------------------------------------------------------------------------
    def read(self, start: int) -> None:
        contents = contents_list(self.lines, start)
        i = start
        gap = False
        while i < len(self.lines):
            line = self.lines[i]
            text = line.stripped
            if not text:
                gap = True
                i += 1
                continue
            if contents and contents[0] <= i < contents[1]:
                self.left_out.append(LeftOut(line.number, "contents list", text))
                i += 1
                continue
            if self.printed_number and text == self.printed_number:
                self.left_out.append(LeftOut(line.number, "order number repeated", text))
                i += 1
                continue
            self.index = i
            consumed = self.line(i, gap)
            self.previous = self.lines[i + consumed - 1]
            i += consumed
            gap = False

    def line(self, i: int, gap: bool) -> int:
        line = self.lines[i]
        text = line.stripped
        start = section_at(self.lines, i, self.expect_roman)
        if start is not None and (start.number or not self.section or gap or self.ends_paragraph()):
            section = self.open_section(start, line)
            if start.pending:
                self.waiting_sections.append(section)
            return start.consumed
        if self.section is None:
            self.problems.append(Problem(self.name, line.number, f"cannot place this line before the first section: {text[:60]!r}"))
            return 1
        if self.is_definitions() and self.definition(line):
            return 1
        found = marker(text)
        unit = self.place(found, line) if found else None
        if unit is not None and found is not None:
            if found.rest:
                rest = found.rest
                if unit.kind == "clause":
                    head = re.match(r"^([^:]{1,80}):\s+(\S.*)$", rest)
                    if head and is_title_heading(head.group(1)):
                        unit.node["heading"] = head.group(1).strip()
                        rest = head.group(2)
                unit.add(rest, True, self.mender)
                self.position, self.last_event, self.serving = unit, "text", None
            else:
                if self.last_event != "marker" or not self.groups:
                    self.groups.append([])
                self.groups[-1].append(unit)
                self.last_event = "marker"
            return 1
        self.deliver(line, gap)
        return 1

    def ends_paragraph(self) -> bool:
        return self.position is None or self.position.ends_sentence()

    def definition(self, line: Line) -> bool:
        """A definition starts here (`Term: text`, `A. Term - text`, `TERM – text`)."""
        assert self.section is not None
        text = line.stripped
        found = marker(text)
        lettered = found is not None and found.rest != "" and found.readings[0][0] == "U"
        body = found.rest if lettered and found else text
        match = DEFINITION.match(body)
        if not match or (self.lettered_definitions is not None and self.lettered_definitions != lettered):
            return False
        if self.lettered_definitions is None:
            self.lettered_definitions = lettered
        unit = Unit("definition", {"term": match.group(1).strip()}, line.number)
        unit.add(match.group(2).strip(), True, self.mender)
        self.section.node.setdefault("_definitions", []).append(unit)
        self.position, self.last_event = unit, "text"
        return True

    # output -----------------------------------------------------------------------------------
    def finish(self) -> Outline:
        counts = {"sections": len(self.sections), "clauses": 0, "items": 0, "definitions": 0}
        seen: dict[str, int] = {}
        out = []
        for section in self.sections:
            node = section.node
            number = node["number"]
            if number in seen:
                node["number"] = number = f"{number}-{sum(1 for n in seen if n.startswith(number))+1}"
            seen[number] = section.line
            result: dict[str, Any] = {"number": number, "heading": node["heading"]}
            if not section.body.is_empty():
                result["text"] = section.body.text()
            definitions = node.get("_definitions", [])
            if definitions:
                result["definitions"] = [{"term": d.node["term"], "text": d.body.text()} for d in definitions]
                counts["definitions"] += len(definitions)
            clauses = []
            for clause in node.get("_clauses", []):
                c = {"letter": clause.node["letter"]}
                if "heading" in clause.node:
                    c["heading"] = clause.node["heading"]
                if clause.body.is_empty():
                    self.problems.append(Problem(self.name, clause.line, f"clause {clause.node['letter']} of section {number}: no text found for it"))
                c["text"] = clause.body.text()
                items = []
                for item in clause.node.get("_items", []):
                    if item.body.is_empty():
                        self.problems.append(Problem(self.name, item.line, f"item {item.node['number']} of {number}.{c['letter']}: no text found for it"))
                    items.append({"number": item.node["number"], "text": item.body.text()})
                if items:
                    c["items"] = items
                    counts["items"] += len(items)
                clauses.append(c)
            if clauses:
                result["clauses"] = clauses
                counts["clauses"] += len(clauses)
            out.append(result)
        for section in self.waiting_sections:
            self.problems.append(Problem(self.name, section.line, f"section {section.node['heading']}: no heading found for it"))
        for group in self.groups:
            for unit in group:
                if unit.kind != "sub":
                    self.problems.append(Problem(self.name, unit.line, f"{unit.kind} {unit.node.get('letter', unit.node.get('number'))}: no text found for it"))
        return Outline(out, self.left_out, self.problems, counts)


def read_outline(lines: list[Line], start: int, name: str, printed_number: str | None) -> Outline:
    reader = _Reader(lines, name, printed_number)
    reader.read(start)
    return reader.finish()
