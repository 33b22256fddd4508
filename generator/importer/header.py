"""The header of an order: `Key: value` fields however they are laid out (one per line, several
per line in columns, or a form with labels above their values), the agency and series banner,
and header fields repeated in running footers. Fields the order format has no place for
(revision dates, distribution, …) are reported as left out, never silently dropped."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .source import LeftOut, Line

_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%B %d %Y", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%Y-%m-%d", "%d %B %Y")
_CELL = re.compile(r"[^\t]+?(?=\t|\s{2,}|$)")
_LABEL = re.compile(r"(?:(?<=\s)|^)([A-Za-z][A-Za-z.#/ ]{0,40}?)\s*:(?=\s|$)")
_CHECKBOXES = re.compile(r"\bNew\b.*\bAmends\b.*\bRescinds\b")
_TOTAL_PAGES = re.compile(r"^Total Pages\s+(\d+)$", re.IGNORECASE)
_AGENCY = re.compile(r"\b(POLICE|DEPARTMENT|SHERIFF|OFFICE|CITY|VILLAGE|COUNTY|TOWN|BUREAU|DIVISION)\b|,", re.IGNORECASE)
_SERIES = re.compile(r"^(GENERAL|SPECIAL|DEPARTMENT(AL)?|ADMINISTRATIVE|STANDING|OPERATIONS?)?\s*(ORDERS?|DIRECTIVES?|MANUAL|POLICY|POLICIES|PROCEDURES?)$", re.IGNORECASE)

# canonical key, kind of value, label pattern (matched against the label in capitals without punctuation)
_FIELDS: list[tuple[str, str, re.Pattern[str]]] = [
    ("total_pages", "int", re.compile(r"^(TOTAL )?PAGES$")),
    ("review", "date", re.compile(r"^(NEXT )?REVIEW( DATE)?$")),
    ("revised", "dates", re.compile(r"REVISION|^REVISED|^REV$|^LAST REVISED")),
    ("effective", "date", re.compile(r"EFFECTIVE|^EFF$")),
    ("issued", "date", re.compile(r"^(ISSUE|ISSUED|ORIGINAL|DATE ISSUED|ISSUE DATE)$")),
    ("dated", "date", re.compile(r"^DATED$")),
    ("title", "text", re.compile(r"^(TITLE|SUBJECT)$")),
    ("number", "number", re.compile(r"NUMBER$|^NO$|^DIRECTIVE$|^DIR$|^ORDER$|^GENERAL ORDER$")),
    ("amends", "text", re.compile(r"^AMENDS$")),
    ("rescinds", "text", re.compile(r"^RESCINDS$|^SUPERSEDES$")),
    ("authority", "text", re.compile(r"^AUTH(ORITY)?$|^ISSUED BY$|^APPROVED BY$")),
    ("calea", "list", re.compile(r"CALEA|STANDARDS$")),
]
_COLUMN_LABELS = re.compile(r"^(EFFECTIVE DATE|ISSUE DATE|REVISION DATES?|REVIEW DATE|DISTRIBUTION|DIRECTIVE|NUMBER|CALEA STANDARDS|"
                            r"DIRECTIVE NUMBER|REFERENCES?|RESCINDS|AMENDS)$", re.IGNORECASE)


def parse_date(text: str) -> str | None:
    text = " ".join(text.split()).rstrip(".,;")
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _canonical(label: str) -> tuple[str, str]:
    plain = " ".join(re.sub(r"[^A-Za-z/ ]", " ", label).replace("/", " ").upper().split())
    for key, kind, pattern in _FIELDS:
        if pattern.search(plain):
            return key, kind
    return "other", "text"


def safe_number(printed: str) -> str:
    """An order number usable in citations and ids: `3.13` -> `3-13`, `OPER.11` -> `OPER-11`."""
    return re.sub(r"[^0-9A-Za-z]+", "-", printed).strip("-")


@dataclass
class _Field:
    label: str
    key: str
    kind: str
    line: int
    start: int
    end: int
    values: list[str] = field(default_factory=list)
    row: int = 0
    """Index of the header row the field sits on (to find the nearest label above a value)."""


@dataclass
class Header:
    """The header fields read, what was left out, and the problems found."""

    order: dict[str, Any] = field(default_factory=dict)
    printed_number: str | None = None
    left_out: list[LeftOut] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _cells(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0).strip()) for m in _CELL.finditer(text) if m.group(0).strip()]


def _pairs(cell: str) -> list[tuple[str, str]] | None:
    """`Label: value` pairs in a cell (`Issued: 02/22/2000 Eff: 05/01/2001`), or None."""
    found = [m for m in _LABEL.finditer(cell) if m.start() == 0 or _canonical(m.group(1))[0] != "other"]
    if not found or found[0].start() != 0:
        return None
    pairs = []
    for here, after in zip(found, found[1:] + [None]):
        value = cell[here.end() + 1:after.start() if after else len(cell)].strip()
        pairs.append((here.group(1).strip(), value))
    return pairs


def _fits(kind: str, value: str) -> bool:
    if kind in ("date", "dates", "number", "int"):
        return any(c.isdigit() for c in value)
    return True


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.fields: list[_Field] = []
        self.banner: list[tuple[int, str]] = []
        self.header = Header()
        self.first_field: int | None = None

    def add_field(self, label: str, value: str, line: Line, row: int, start: int, end: int) -> _Field:
        if self.first_field is None:
            self.first_field = line.number
        key, kind = _canonical(label)
        found = _Field(label, key, kind, line.number, start, end, [value] if value else [], row)
        self.fields.append(found)
        return found

    def below(self, cell: str, start: int, row: int) -> _Field | None:
        """The field whose column a value printed under a label belongs to."""
        end = start + len(cell)
        best: tuple[tuple[int, int, int], _Field] | None = None
        for f in self.fields:
            if f.row >= row or not _fits(f.kind, cell):
                continue
            overlap = min(end, f.end) - max(start, f.start)
            distance = 0 if overlap > 0 else max(start - f.end, f.start - end)
            score = (distance, -f.row, -overlap)
            if distance <= 40 and (best is None or score < best[0]):
                best = (score, f)
        return best[1] if best else None

    def read(self, lines: list[Line]) -> None:
        last_text: _Field | None = None
        row = 0
        for line in lines:
            stripped = line.stripped
            if not stripped:
                last_text = None
                continue
            row += 1
            if not self.fields and not self.banner and " - " in stripped and ":" not in stripped:
                agency, series = stripped.split(" - ", 1)
                self.banner.extend([(line.number, agency.strip()), (line.number, series.strip())])
                continue
            if _CHECKBOXES.search(stripped):
                self.checkboxes(line, row)
                continue
            columnar = "\t" not in line.text and len(_cells(line.text)) > 1
            cells = _cells(line.text)
            placed_text: _Field | None = None
            i = 0
            while i < len(cells):
                start, cell = cells[i]
                i += 1
                pages = _TOTAL_PAGES.match(cell)
                pairs = _pairs(cell)
                if pages:
                    self.add_field("Total Pages", pages.group(1), line, row, start, start + len(cell))
                elif pairs:
                    for label, value in pairs:
                        if not value and i < len(cells) and not _pairs(cells[i][1]) and not _COLUMN_LABELS.match(cells[i][1]):
                            start, value = cells[i]
                            i += 1
                        f = self.add_field(label, value, line, row, start if value else start, start + max(len(value), len(label)))
                        if f.kind == "text" and value:
                            placed_text = f
                elif _COLUMN_LABELS.match(cell) or _canonical(cell)[0] == "calea":
                    self.add_field(cell, "", line, row, start, start + len(cell))
                elif last_text is not None and not columnar and line.indent <= 2:
                    last_text.values.append(cell)  # a value wrapped onto the next line
                    placed_text = last_text
                elif (target := self.below(cell, start, row)) is not None and (columnar or line.indent > 2):
                    target.values.append(cell)
                elif cell.upper() == cell and any(c.isalpha() for c in cell):
                    self.banner.append((line.number, cell))
                else:
                    self.header.problems.append(Problem(self.name, line.number, f"header: cannot place {cell!r}"))
            last_text = placed_text

    def checkboxes(self, line: Line, row: int) -> None:
        """The New / Amends / Rescinds boxes, the one ticked with an X, and `Dated:`."""
        for cell in re.split(r"\t+|\s{2,}", line.stripped if "\t" not in line.text else line.text.strip()):
            marked = re.fullmatch(r"\s*X\s+(New|Amends|Rescinds)\s*|\s*(New|Amends|Rescinds)\s+X\s*", cell)
            if marked:
                self.add_field("action", (marked.group(1) or marked.group(2)).lower(), line, row, 0, 0).key = "action"
        dated = re.search(r"Dated:\s*(.+)$", line.text.strip())
        if dated:
            self.add_field("Dated", dated.group(1).strip(), line, row, 0, 0)


def read_header(lines: list[Line], footers: list[Line], name: str, first_line: int) -> Header:
    """The order's header fields from the lines before its first section, completed by fields
    that running footers repeat (`Dir.#: 105-A  Issued: 02/22/2000 Eff: 05/01/2001`)."""
    reader = _Reader(name)
    reader.read(lines)
    header = reader.header
    footer_reader = _Reader(name)
    seen: set[str] = set()
    for line in footers:
        if line.stripped not in seen and ":" in line.stripped:
            seen.add(line.stripped)
            footer_reader.read([line])
    fields: dict[str, _Field] = {}
    for f in reader.fields + footer_reader.fields:
        if f.key not in fields or (not fields[f.key].values and f.values):
            fields[f.key] = f
    order = header.order
    _banner(reader.banner, order, header, fields, reader.first_field)
    for f in reader.fields + footer_reader.fields:
        if f.key == "other" and f.values or f.key in ("issued", "revised") and f.values:
            if f in reader.fields:
                header.left_out.append(LeftOut(f.line, "header field with no place in the format", f"{f.label}: {' '.join(f.values)}"))
    if "number" in fields and fields["number"].values:
        printed = " ".join(fields["number"].values)
        header.printed_number = printed
    if header.printed_number:
        order["number"] = safe_number(header.printed_number)
    if "title" in fields and fields["title"].values:
        order["title"] = " ".join(fields["title"].values)
        if header.printed_number and order.get("number") != header.printed_number:
            order["title"] += f" ({header.printed_number})"
    for key, target in (("effective", "effective"), ("review", "review")):
        f = fields.get(key)
        if f and f.values:
            _date(f, target, order, header, name)
    if "effective" not in order and fields.get("issued") and fields["issued"].values:
        _date(fields["issued"], "effective", order, header, name)
    if fields.get("action") and fields["action"].values:
        order["action"] = fields["action"].values[0]
        if fields.get("dated") and fields["dated"].values:
            _date(fields["dated"], "action_dated", order, header, name)
    for key in ("amends", "rescinds"):
        f = fields.get(key)
        if f and f.values and "action" not in order:
            value = " ".join(f.values)
            date = next((parse_date(v) for v in re.split(r"\s*[,;]\s*|\s+dated\s+", value) if parse_date(v)), None)
            if date:
                order["action"], order["action_dated"] = key, date
            elif f in reader.fields:
                header.left_out.append(LeftOut(f.line, "header field with no place in the format",
                                               f"{f.label}: {value} (no date of the earlier order)"))
    if fields.get("authority") and fields["authority"].values:
        order["authority"] = " ".join(fields["authority"].values)
    if "calea" in fields:
        order["calea_standards"] = [v for v in re.split(r"[,;\s]+", " ".join(fields["calea"].values)) if v]
    if fields.get("total_pages") and fields["total_pages"].values:
        order["total_pages"] = int(fields["total_pages"].values[0])
    for required in ("number", "title", "effective"):
        if required not in order:
            header.problems.append(Problem(name, lines[0].number if lines else first_line, f"header: no {required} found"))
    return header


def _date(f: _Field, target: str, order: dict[str, Any], header: Header, name: str) -> None:
    value = " ".join(f.values)
    date = parse_date(value)
    if date is None:
        header.problems.append(Problem(name, f.line, f"header: {f.label.lower()}: cannot read the date {value!r}"))
    else:
        order[target] = date


def _banner(banner: list[tuple[int, str]], order: dict[str, Any], header: Header, fields: dict[str, _Field],
            first_field: int | None) -> None:
    """Agency and series from the banner above the first field; form labels elsewhere are left out."""
    agency: list[str] = []
    for number, text in banner:
        top = first_field is None or number < first_field
        parts = re.split(r"\s+[–—-]\s+", text, maxsplit=1)
        if top and _SERIES.match(parts[0]) and "series" not in order:
            order["series"] = parts[0]
            if len(parts) == 2 and any(c.isdigit() for c in parts[1]) and " " not in parts[1] and "number" not in fields:
                fields["number"] = _Field("number", "number", "number", number, 0, 0, [parts[1]])
            continue
        if top and _AGENCY.search(text) and not agency or (agency and top and number == banner[0][0] + len(agency)):
            agency.append(text)
            continue
        header.left_out.append(LeftOut(number, "header form label", text))
    if agency:
        order["agency"] = ", ".join(agency)
