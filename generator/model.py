"""The domain model: General Orders as frozen dataclasses. Imports nothing of Rollcall's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a piece of the model was written."""

    file: str
    line: int


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    citation: str
    source: Source
    label: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    letter: str
    text: str
    citation: str
    source: Source
    heading: str | None = None
    """The clause's own printed heading (part of the order's text)."""
    label: str | None = None
    """Editorial catchline for a clause the order leaves untitled (not the order's text)."""
    keywords: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    anchor: str
    source: Source
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    number: str
    heading: str
    citation: str
    source: Source
    text: str | None = None
    keywords: tuple[str, ...] = ()
    definitions: tuple[Definition, ...] = ()
    clauses: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Order:
    number: str
    title: str
    effective: dt.date
    sections: tuple[Section, ...]
    source: Source
    agency: str | None = None
    series: str | None = None
    review: dt.date | None = None
    action: str | None = None
    """new, amends or rescinds: the box ticked on the order."""
    action_dated: dt.date | None = None
    authority: str | None = None
    calea_standards: tuple[str, ...] = ()
    total_pages: int | None = None

    @property
    def slug(self) -> str:
        return slugify(self.number)

    @property
    def definitions(self) -> tuple[Definition, ...]:
        return tuple(d for s in self.sections for d in s.definitions)

    def review_overdue(self, today: dt.date) -> bool:
        return self.review is not None and self.review < today

    def units(self) -> list[Section | Clause | Item]:
        """Every citable unit in document order."""
        found: list[Section | Clause | Item] = []
        for section in self.sections:
            found.append(section)
            for clause in section.clauses:
                found.append(clause)
                found.extend(clause.items)
        return found


@dataclass(frozen=True)
class Library:
    """Everything Rollcall builds a site from."""

    orders: tuple[Order, ...] = field(default_factory=tuple)

    def order(self, number: str) -> Order | None:
        return next((o for o in self.orders if o.number == number), None)
