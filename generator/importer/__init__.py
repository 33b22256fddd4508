"""`rollcall import-order`: General Orders as plain text (as they arrive: pdftotext output with
page breaks, running headers and footers, columns, signature blocks) into the structured YAML of
policy/, every sentence of the body kept.

The pipeline, one module a step: `source` reads lines and pages, `furniture` recognises what the
printed page adds (page marks, running headers/footers, signature block), `header` reads the
header fields, `outline` places sections, clauses, items and definitions, `dump` writes YAML and
`folder` imports a folder of orders with a summary. What is left out is listed, never dropped
silently; a line that cannot be placed is a problem reported as FILE:LINE."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, RollcallError
from .dump import order_yaml
from .furniture import remove_furniture, total_pages
from .header import parse_date, read_header
from .outline import body_start, read_outline
from .source import LeftOut, decode, split_lines

__all__ = ["Imported", "import_text", "import_file", "order_yaml", "parse_date", "LeftOut"]

_KEY_ORDER = ["agency", "series", "number", "title", "effective", "review", "action", "action_dated",
              "authority", "calea_standards", "total_pages", "sections"]


@dataclass
class Imported:
    """One imported order: the YAML-ready mapping, what was left out, and counts."""

    order: dict[str, Any]
    left_out: list[LeftOut] = field(default_factory=list)
    page_breaks: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    printed_number: str | None = None
    body_line: int = 1
    """Line number of the first line of the body (the first section)."""

    def left_out_summary(self) -> str:
        """`12 running header/footer, 6 page mark, 5 page breaks, …`."""
        kinds = Counter(item.kind for item in self.left_out)
        parts = [f"{count} {kind}" for kind, count in kinds.most_common()]
        if self.page_breaks:
            parts.append(f"{self.page_breaks} page break{'s' if self.page_breaks != 1 else ''}")
        return ", ".join(parts) if parts else "nothing"


def import_text(text: str, name: str) -> Imported:
    """The order in `text`; raises RollcallError with every line it cannot place."""
    lines, breaks = split_lines(text)
    if not any(l.stripped for l in lines):
        raise RollcallError.at(name, 1, "the file is empty")
    kept, furniture, left_out = remove_furniture(lines)
    start = body_start(kept)
    if start is None:
        first = next(l.number for l in kept if l.stripped) if any(l.stripped for l in kept) else 1
        raise RollcallError.at(name, first, "no section found (e.g. '01 Purpose: ...', 'I. PURPOSE' or 'POLICY:')")
    header = read_header(kept[:start], furniture, name, kept[start].number)
    outline = read_outline(kept, start, name, header.printed_number)
    problems: list[Problem] = header.problems + outline.problems
    if problems:
        raise RollcallError(problems)
    order = dict(header.order)
    if "total_pages" not in order:
        pages = total_pages(lines)
        if pages:
            order["total_pages"] = pages
    order["sections"] = outline.sections
    ordered = {k: order[k] for k in _KEY_ORDER if k in order}
    left = sorted(left_out + header.left_out + outline.left_out, key=lambda item: item.line)
    return Imported(ordered, left, breaks, outline.counts, header.printed_number, kept[start].number)


def import_file(path: Path, name: str | None = None) -> Imported:
    name = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RollcallError.at(name, 1, f"cannot read: {exc.strerror}") from None
    return import_text(decode(raw, name), name)
