"""What a line of an order's body can start with: section numbers (`01 Purpose:`, `IV.`, a code
like `OPER.11.3`, an unnumbered heading like `POLICY:`), lettered and numbered markers (`A.`, `1.`,
`a.`, `iv.`) and definitions (`Term: text`, `Term - text`, `TERM – text`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
SEED_SECTION = re.compile(r"^(\d{1,3})\s+([A-Z][A-Za-z0-9 ,&/'’()-]*?):\s*(.*)$")
ROMAN_SECTION = re.compile(r"^([IVXLC]{1,7})\.(?:\s+(.*))?$")
MARKER = re.compile(r"^\(?([A-Z]|[a-z]|[ivxlc]{1,6}|\d{1,2})[.)](?:\s+(.*))?$")
SECTION_CODE = re.compile(r"^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?:\.[A-Z0-9]+)+)\.(\d{1,3})$")
INLINE_LABEL = re.compile(r"^([A-Za-z][A-Za-z ]{1,40}?)\s*:\s*(.*)$")
_SECTION_WORDS = {"PURPOSE", "POLICY", "SCOPE", "DEFINITIONS", "DEFINITION", "PROCEDURE", "PROCEDURES", "DISCUSSION",
                  "BACKGROUND", "APPLICABILITY", "INTRODUCTION", "STATEMENT", "GUIDELINES", "RESPONSIBILITIES",
                  "AND", "OF", "SUMMARY", "OBJECTIVE", "OBJECTIVES", "PHILOSOPHY"}
_NOT_HEADINGS = {"NOTE", "NOTES", "EXAMPLE", "EXAMPLES", "WARNING", "CAUTION", "EXCEPTION", "EXCEPTIONS"}
_SMALL = {"of", "and", "or", "the", "a", "an", "to", "for", "in", "on", "by", "with", "at", "as"}
_TERM_WORD = r"(?:[A-Z0-9(“\"][\w.’'/()&”\"-]*|of|and|or|the|a|an|to|for|in|on|by|with|at)"
DEFINITION = re.compile(rf"^({_TERM_WORD}(?:\s+{_TERM_WORD}){{0,7}}?)\s*(?::|\s[-–—]\s)\s*(\S.*)$")


def roman(text: str) -> int | None:
    """The value of an upper- or lower-case Roman numeral written the usual way, else None."""
    text = text.upper()
    if not text or any(c not in _ROMAN for c in text):
        return None
    total = 0
    for here, after in zip(text, text[1:] + " "):
        value = _ROMAN[here]
        total += -value if after != " " and _ROMAN[after] > value else value
    return total if to_roman(total) == text else None


def to_roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out


def is_caps_heading(text: str, words: int = 10) -> bool:
    """A heading printed in capitals: `RECORDING GUIDELINES`, `TRAINING (1.2.9b)`, `POLICY:`.
    References in brackets may be in any case; a sentence (ending in a full stop) is not one."""
    core = re.sub(r"\([^)]*\)", "", text).strip().rstrip(":").strip()
    letters = [c for c in core if c.isalpha()]
    if len(letters) < 3 or text.rstrip().endswith((".", ",", ";")) or len(core.split()) > words:
        return False
    return all(c.isupper() for c in letters) and core.split()[0].rstrip(":") not in _NOT_HEADINGS


def is_section_word_heading(label: str) -> bool:
    """An unnumbered section heading a reader expects at the start of an order (`PURPOSE`, `POLICY`,
    `DEFINITIONS`, `Scope`), in any case."""
    words = label.upper().replace("/", " ").split()
    return bool(words) and all(w in _SECTION_WORDS for w in words) and words[0] not in {"AND", "OF"}


def is_title_heading(text: str) -> bool:
    """A short phrase in title case (`Management of Networking Accounts`)."""
    words = text.split()
    return 0 < len(words) <= 8 and all(w[0].isupper() or w.lower() in _SMALL for w in words if w[0].isalpha())


@dataclass(frozen=True)
class Marker:
    """A lettered or numbered marker at the start of a line and the kinds it may be."""

    printed: str
    readings: tuple[tuple[str, int], ...]
    """(kind, value) pairs: U upper-case letter, L lower-case letter, r lower-case Roman, D digits."""
    rest: str


def marker(text: str) -> Marker | None:
    match = MARKER.match(text)
    if not match:
        return None
    token, rest = match.group(1), (match.group(2) or "").strip()
    readings: list[tuple[str, int]] = []
    if token.isdigit():
        readings.append(("D", int(token)))
    elif len(token) == 1 and token.isupper():
        readings.append(("U", ord(token) - 64))
    else:
        if len(token) == 1:
            readings.append(("L", ord(token) - 96))
        value = roman(token)
        if value is not None and token.islower():
            readings.append(("r", value))
    if not readings:
        return None
    return Marker(token + text[match.end(1)], tuple(readings), rest)
