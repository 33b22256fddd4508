"""Reading an order's text: lines with their number and page, and what was left out of it."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import RollcallError


@dataclass(frozen=True)
class Line:
    """One line of the source as printed: its 1-based line number, page (1-based) and text."""

    number: int
    page: int
    text: str

    @property
    def stripped(self) -> str:
        return " ".join(self.text.split())

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


@dataclass(frozen=True)
class LeftOut:
    """A source line deliberately not carried into the order, and why (its kind)."""

    line: int
    kind: str
    text: str


def decode(raw: bytes, name: str) -> str:
    """The text of a file: UTF-8 (with or without BOM), else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RollcallError.at(name, 1, "neither UTF-8 nor Windows-1252 text")


def split_lines(text: str) -> tuple[list[Line], int]:
    """Every line (blank ones too), with tabs, non-breaking spaces and line endings normalised,
    and the number of form-feed page breaks. A form feed starts a new page on the same line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines: list[Line] = []
    page = 1
    breaks = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        pieces = raw.split("\f")
        for i, piece in enumerate(pieces):
            if i:
                page += 1
                breaks += 1
            if piece.strip() or i == len(pieces) - 1:
                lines.append(Line(number, page, piece.rstrip()))
    return lines, breaks
