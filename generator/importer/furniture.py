"""Page furniture: what a printed order repeats on its pages or adds around its text, recognised
by its pattern, not by its wording: page marks ("Page 2 of 6", "Page 2"), running headers and
footers (a line repeated at the top or bottom of several pages), and the signature block after
the last provision (signatures, "By order of", digital-signature details)."""

from __future__ import annotations

import math
import re
from collections import defaultdict

from .source import LeftOut, Line

PAGE_MARK = re.compile(r"^(?:-\s*)?(?:Page|Pg\.?)\s+\d+(?:\s+of\s+\d+)?(?:\s*-)?$|^-\s*\d+\s*-$|^\d+\s+of\s+\d+$", re.IGNORECASE)
_PAGE_TOTAL = re.compile(r"\bof\s+(\d+)\s*$", re.IGNORECASE)
_MARKER_LIKE = re.compile(r"^(?:[A-Za-z]|[ivxlcIVXLC]{1,6}|\d{1,3})[.)]?$")
_SIGNATURE_START = re.compile(
    r"^(?:by order of\b|digitally signed by\b|signed:|approved:?$|approved by\b|_{4,}\s*$|/s/)", re.IGNORECASE)
_EDGE_TOP, _EDGE_BOTTOM = 6, 8


def _key(text: str) -> str:
    key = " ".join(text.split())
    return re.sub(r"\d+", "#", key) if re.search(r"\bpage\b", key, re.IGNORECASE) else key


def running_lines(lines: list[Line]) -> set[str]:
    """Keys of lines that repeat at the top or bottom of at least half the pages (and two),
    or that repeat the document's first line later on (a running title)."""
    pages: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        if line.stripped:
            pages[line.page].append(line)
    seen: dict[str, set[int]] = defaultdict(set)
    for page, content in pages.items():
        for line in content[:_EDGE_TOP] + content[-_EDGE_BOTTOM:]:
            if not _MARKER_LIKE.match(line.stripped):
                seen[_key(line.text)].add(page)
    need = max(2, math.ceil(len(pages) / 2))
    running = {key for key, where in seen.items() if len(where) >= need}
    first = next((l for l in lines if l.stripped), None)
    if first is not None and sum(1 for l in lines if l.stripped == first.stripped) > 1:
        running.add(_key(first.text))
    return running


_MARKED = re.compile(r"^(?:[A-Z]|[a-z]|[ivxlc]{1,6}|[IVXLC]{1,6}|\d{1,2})\.(?:\s|$)")


def signature_start(lines: list[Line], furniture: set[int]) -> int | None:
    """Index of the first line of the trailing signature block, if the order ends with one: a
    signature cue among its last lines with no numbered or lettered provision after it."""
    content = [i for i, l in enumerate(lines) if l.stripped and i not in furniture]
    for at, i in enumerate(content[-25:]):
        if _SIGNATURE_START.match(lines[i].stripped):
            rest = content[len(content) - len(content[-25:]) + at:]
            if not any(_MARKED.match(lines[j].stripped) for j in rest):
                return i
    return None


def total_pages(lines: list[Line]) -> int | None:
    """The page count printed in "Page N of M" marks, else the number of pages with text
    when the text has page breaks."""
    totals = {int(m.group(1)) for l in lines if PAGE_MARK.match(l.stripped) for m in [_PAGE_TOTAL.search(l.stripped)] if m}
    if len(totals) == 1:
        return totals.pop()
    pages = {l.page for l in lines if l.stripped}
    return len(pages) if len(pages) > 1 else None


def remove_furniture(lines: list[Line]) -> tuple[list[Line], list[Line], list[LeftOut]]:
    """(lines to read, with furniture replaced by blank lines; the running header/footer lines,
    which may repeat header fields; what was left out)."""
    running = running_lines(lines)
    first_content = next((i for i, l in enumerate(lines) if l.stripped), 0)
    marks = {i for i, l in enumerate(lines) if l.stripped and PAGE_MARK.match(l.stripped)}
    repeats = {i for i, l in enumerate(lines) if l.stripped and _key(l.text) in running and i != first_content}
    sign = signature_start(lines, marks | repeats)
    kept: list[Line] = []
    furniture: list[Line] = []
    left: list[LeftOut] = []
    for index, line in enumerate(lines):
        text = line.stripped
        kind = None
        if not text:
            pass
        elif sign is not None and index >= sign:
            kind = "signature block"
        elif index in marks:
            kind = "page mark"
        elif index in repeats:
            kind = "running header/footer"
            furniture.append(line)
        if kind:
            left.append(LeftOut(line.number, kind, text))
            kept.append(Line(line.number, line.page, ""))
        else:
            kept.append(line)
    return kept, furniture, left
