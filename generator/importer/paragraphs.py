"""Joining printed lines back into paragraphs, mending words hyphenated across line breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"[.:;!?”\")]$")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+|[A-Za-z]+")


@dataclass
class Mender:
    """Decides how a word broken by a hyphen at the end of a line is joined, from the words the
    document uses elsewhere: `pat-` + `down` stays `pat-down` when the order writes `pat-down`,
    `ex-` + `ploit` becomes `exploit` otherwise."""

    words: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> "Mender":
        return cls({w.lower() for w in _WORD.findall(text)})

    def join(self, before: str, after: str) -> str:
        """`before` ends with a hyphen; `after` is the next line."""
        head = re.search(r"(\w+)-$", before)
        tail = re.match(r"(\w+)", after)
        if head and tail and after[:1].islower():
            if f"{head.group(1)}-{tail.group(1)}".lower() in self.words:
                return before + after
            return before[:-1] + after
        if after[:1].isdigit() and before[-2:-1].isdigit():  # "5/107-" + "14(b)"
            return before + after
        return before + " " + after


@dataclass
class Paragraph:
    """One paragraph being read, as the fragments of its printed lines."""

    text: str = ""

    def add(self, fragment: str, mender: Mender) -> None:
        if not self.text:
            self.text = fragment
        elif self.text.endswith("-"):
            self.text = mender.join(self.text, fragment)
        else:
            self.text = f"{self.text} {fragment}"

    def ends_sentence(self) -> bool:
        return bool(_SENTENCE_END.search(self.text))


@dataclass
class Body:
    """The text of one unit (section, clause, item, definition): paragraphs in order."""

    paragraphs: list[Paragraph] = field(default_factory=list)

    def paragraph(self, prefix: str = "") -> Paragraph:
        new = Paragraph(prefix)
        self.paragraphs.append(new)
        return new

    def last(self) -> Paragraph:
        return self.paragraphs[-1] if self.paragraphs else self.paragraph()

    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs if p.text.strip())

    def is_empty(self) -> bool:
        return not any(p.text.strip() for p in self.paragraphs)
