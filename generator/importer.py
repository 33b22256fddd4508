"""`rollcall import-order`: a General Order in plain text -> the structured YAML of policy/.

Reads the usual layout (as General Order 418 is printed): a header block of `Key: value` fields
(spread over columns with tabs or runs of spaces), numbered sections `01 Purpose: text`,
lettered clauses `A. Heading: text` or `A. text`, numbered items `1. text`, and `Term: text`
definitions in a Definitions section. Text as it really arrives is cleaned without losing a
word: Windows line endings, tabs, page headers and footers ("Page 2 of 4"), and lines a PDF
wrapped (joined, with words hyphenated across lines mended). A line the importer cannot place
is reported as FILE:LINE; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, RollcallError

_SECTION = re.compile(r"^(\d{1,3})\s+([A-Z][A-Za-z0-9 ,&/'’()-]*?):\s*(.*)$")
_CLAUSE = re.compile(r"^([A-Z])\.\s+(.*)$")
_ITEM = re.compile(r"^(\d{1,2})\.\s+(.*)$")
_DEFINITION = re.compile(r"^([A-Z][A-Za-z0-9 .’'/-]{0,40}?):\s+(\S.*)$")
_PAGE = re.compile(r"^\s*Page\s+\d+\s+of\s+\d+\s*$", re.IGNORECASE)
_FIELD = re.compile(r"([A-Za-z][A-Za-z ]*?):\s*([^\t]*?)\s*(?=\t|\s{2,}|$)")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%m/%d/%Y", "%Y-%m-%d")
_SMALL_WORDS = {"of", "and", "or", "the", "a", "an", "to", "for", "in", "on", "by", "with"}


def parse_date(text: str) -> str | None:
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _is_heading(text: str) -> bool:
    """A clause heading: a short phrase in title case (`Management of Networking Accounts`)."""
    words = text.split()
    return 0 < len(words) <= 8 and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words if w[0].isalpha())


@dataclass
class _Unit:
    """A unit being read: where it started and its text so far."""

    node: dict[str, Any]
    line: int
    parts: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if self.parts and self.parts[-1].endswith("-") and text[:1].islower():
            self.parts[-1] = self.parts[-1][:-1] + text  # a word hyphenated across a line break
        else:
            self.parts.append(text)

    def close(self) -> None:
        if self.parts:
            self.node["text"] = " ".join(self.parts)


def clean_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every line worth reading: tabs and line endings normalised,
    page headers/footers and the running repeat of the first header line left out."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    first = next((l.strip() for l in raw if l.strip()), "")
    out = []
    for number, line in enumerate(raw, start=1):
        stripped = line.strip()
        if not stripped or _PAGE.match(stripped):
            continue
        if out and stripped == first:  # the running header repeated on every page
            continue
        out.append((number, line.replace("\u00a0", " ").rstrip()))
    return out


def _header(lines: list[tuple[int, str]], name: str, problems: list[Problem]) -> dict[str, Any]:
    order: dict[str, Any] = {}
    fields: dict[str, tuple[int, str]] = {}
    for number, line in lines:
        stripped = line.strip()
        if not order and ":" not in stripped and " - " in stripped:
            agency, series = stripped.split(" - ", 1)
            order["agency"], order["series"] = agency.strip(), series.strip()
            continue
        if re.search(r"\bNew\b.*\bAmends\b.*\bRescinds\b", stripped):
            for cell in re.split(r"\t+|\s{2,}", stripped):  # the box ticked with an X
                marked = re.fullmatch(r"\s*X\s+(New|Amends|Rescinds)\s*|\s*(New|Amends|Rescinds)\s+X\s*", cell)
                if marked:
                    fields["action"] = (number, (marked.group(1) or marked.group(2)).lower())
            dated = re.search(r"Dated:\s*(.+)$", stripped)
            if dated:
                fields["dated"] = (number, dated.group(1).strip())
            continue
        placed = False
        for part in re.split(r"\t+|\s{2,}", stripped):
            part = part.strip()
            if not part:
                continue
            match = re.match(r"^([A-Za-z][A-Za-z ]*?):\s*(.*)$", part)
            pages = re.match(r"^Total Pages\s+(\d+)$", part, re.IGNORECASE)
            if pages:
                fields["total pages"] = (number, pages.group(1))
                placed = True
            elif match:
                fields[match.group(1).strip().lower()] = (number, match.group(2).strip())
                placed = True
            elif part.upper() == "CALEA STANDARDS":
                fields.setdefault("calea standards", (number, ""))
                placed = True
            else:
                problems.append(Problem(name, number, f"header: cannot place {part!r}"))
        if not placed and not problems:
            problems.append(Problem(name, number, f"header: cannot place {stripped!r}"))
    if "title" in fields:
        order["title"] = fields["title"][1]
    if "number" in fields:
        order["number"] = fields["number"][1]
    for key, target in (("effective date", "effective"), ("review date", "review")):
        if key in fields:
            number, value = fields[key]
            date = parse_date(value)
            if date is None:
                problems.append(Problem(name, number, f"header: {key}: cannot read the date {value!r}"))
            else:
                order[target] = date
    if "action" in fields:
        order["action"] = fields["action"][1]
    if "dated" in fields:
        number, value = fields["dated"]
        date = parse_date(value)
        if date is None:
            problems.append(Problem(name, number, f"header: dated: cannot read the date {value!r}"))
        else:
            order["action_dated"] = date
    if "authority" in fields:
        order["authority"] = fields["authority"][1]
    if "calea standards" in fields:
        value = fields["calea standards"][1]
        order["calea_standards"] = [v for v in re.split(r"[,;\s]+", value) if v]
    if "total pages" in fields:
        order["total_pages"] = int(fields["total pages"][1])
    for required in ("number", "title", "effective"):
        if required not in order:
            problems.append(Problem(name, lines[0][0] if lines else 1, f"header: no {required} found"))
    return order


def import_text(text: str, name: str) -> dict[str, Any]:
    """The order as a YAML-ready mapping; raises RollcallError with every line it cannot place."""
    problems: list[Problem] = []
    lines = clean_lines(text)
    start = next((i for i, (_, line) in enumerate(lines) if _SECTION.match(line.strip())), None)
    if start is None:
        raise RollcallError.at(name, lines[0][0] if lines else 1, "no numbered section (e.g. '01 Purpose: ...') found")
    order = _header(lines[:start], name, problems)
    sections: list[dict[str, Any]] = []
    unit: _Unit | None = None
    section: dict[str, Any] | None = None
    clause: dict[str, Any] | None = None

    def close() -> None:
        if unit is not None:
            unit.close()

    for number, line in lines[start:]:
        stripped = line.strip()
        match = _SECTION.match(stripped)
        if match:
            close()
            section = {"number": match.group(1).zfill(2), "heading": match.group(2).strip()}
            sections.append(section)
            clause = None
            unit = _Unit(section, number)
            if match.group(3):
                unit.add(match.group(3))
            continue
        assert section is not None
        if section["heading"].lower() == "definitions":
            match = _DEFINITION.match(stripped)
            if match:
                close()
                definition = {"term": match.group(1).strip()}
                section.setdefault("definitions", []).append(definition)
                unit = _Unit(definition, number)
                unit.add(match.group(2))
                continue
        match = _CLAUSE.match(stripped)
        if match and section["heading"].lower() != "definitions":
            close()
            clause = {"letter": match.group(1)}
            body = match.group(2)
            head = re.match(r"^([^:]{1,80}):\s+(\S.*)$", body)
            if head and _is_heading(head.group(1)):
                clause["heading"] = head.group(1).strip()
                body = head.group(2)
            section.setdefault("clauses", []).append(clause)
            unit = _Unit(clause, number)
            unit.add(body)
            continue
        match = _ITEM.match(stripped)
        if match and clause is not None:
            close()
            item = {"number": int(match.group(1))}
            clause.setdefault("items", []).append(item)
            unit = _Unit(item, number)
            unit.add(match.group(2))
            continue
        if unit is not None and (unit.parts or unit.node is section):
            unit.add(stripped)  # a wrapped line continues the unit above
            continue
        problems.append(Problem(name, number, f"cannot place this line: {stripped[:60]!r}"))
    close()
    for s in sections:
        for c in s.get("clauses", []):
            if "text" not in c:
                problems.append(Problem(name, 1, f"section {s['number']} clause {c['letter']}: no text"))
    if problems:
        raise RollcallError(problems)
    order["sections"] = sections
    return _ordered(order)


_KEY_ORDER = ["agency", "series", "number", "title", "effective", "review", "action", "action_dated",
              "authority", "calea_standards", "total_pages", "sections"]


def _ordered(order: dict[str, Any]) -> dict[str, Any]:
    return {k: order[k] for k in _KEY_ORDER if k in order}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if len(value) > 60:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def order_yaml(order: dict[str, Any], source: str) -> str:
    head = f"# yaml-language-server: $schema=../generator/schemas/order.schema.json\n# Imported from {source} by `rollcall import-order`.\n"
    return head + yaml.dump(order, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96, indent=2)


def import_file(path: Path, name: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RollcallError.at(name, 1, f"cannot read: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return import_text(raw.decode(encoding), name)
        except UnicodeDecodeError:
            continue
    raise RollcallError.at(name, 1, "neither UTF-8 nor Windows-1252 text")
