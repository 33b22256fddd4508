"""The domain model: General Orders as frozen dataclasses. Imports nothing of Rollcall's."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property
from typing import Any


def immutable(cls: type) -> type:
    """`@dataclass(frozen=True)`, with an `__init__` that fills the new instance's `__dict__`
    directly instead of through `object.__setattr__` once per field: the same class (equality,
    hashing, `replace`, pickling, no assignment after creation), created about twice as
    fast. A check of a large department creates some hundred thousand of these. Supports
    plain fields, defaults, default factories and keyword-only fields."""
    cls = dataclass(frozen=True, init=False)(cls)
    namespace: dict[str, Any] = {"_MISSING": MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    fills: list[str] = []
    for f in fields(cls):
        if not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: fields left out of __init__ are not supported")
        value = f.name
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            parameter = f"{f.name}=_default_{f.name}"
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            parameter = f"{f.name}=_MISSING"
            value = f"_factory_{f.name}() if {f.name} is _MISSING else {f.name}"
        else:
            parameter = f.name
        (keyword if f.kw_only else positional).append(parameter)
        fills.append(f"    fill[{f.name!r}] = {value}")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    post_init = ["    self.__post_init__()"] if hasattr(cls, "__post_init__") else []
    source = "\n".join([f"def __init__({parameters}) -> None:", "    fill = self.__dict__", *fills, *post_init])
    exec(source, namespace)  # noqa: S102 - code made above from the class's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


@immutable
class Source:
    """Where a piece of the model was written."""

    file: str
    line: int


def natural_key(text: str) -> tuple:
    """Sorts numbers as people read them: 418 before 1000, 41.3.8 before 41.3.10, 3-13 before 3-2A."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\s-]+", text))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@immutable
class Item:
    number: int
    text: str
    citation: str
    source: Source
    label: str | None = None
    keywords: tuple[str, ...] = ()
    rules: tuple["Rule", ...] = ()


@immutable
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
    rules: tuple["Rule", ...] = ()


@immutable
class Definition:
    term: str
    text: str
    anchor: str
    source: Source
    also: tuple[str, ...] = ()


@immutable
class Section:
    number: str
    heading: str
    citation: str
    source: Source
    text: str | None = None
    keywords: tuple[str, ...] = ()
    definitions: tuple[Definition, ...] = ()
    clauses: tuple[Clause, ...] = ()
    rules: tuple["Rule", ...] = ()


@immutable
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
    facts: tuple["Fact", ...] = ()
    history: tuple["Revision", ...] = ()
    """Earlier revisions of this order, oldest first (this order is the current one)."""
    source_key: str = ""
    """Identifies the file the order was read from (its bytes and name): what derived pages are cached by."""

    @cached_property
    def revision_hash(self) -> str:
        """Identifies this revision's official text: its header and every heading and sentence.
        Editorial labels, keywords and clause rules are not part of it."""
        return revision_hash(self)

    @property
    def revision(self) -> str:
        """The revision as people name it: its effective date."""
        return self.effective.isoformat()

    @cached_property
    def rules(self) -> tuple["Rule", ...]:
        return tuple(rule for unit in self.units() for rule in unit.rules)

    def fact(self, name: str) -> "Fact | None":
        return self.facts_by_name.get(name)

    @cached_property
    def facts_by_name(self) -> dict[str, "Fact"]:
        return {f.name: f for f in self.facts}

    @property
    def slug(self) -> str:
        return slugify(self.number)

    @cached_property
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


@immutable
class Revision:
    """An earlier revision of an order: its effective date and, when its text is held, the text."""

    effective: dt.date
    source: Source
    order: Order | None = None
    """The revision's full text as an Order, or None when the text is not held."""
    note: str | None = None
    file: str | None = None
    """The file holding its text, as written in the order (relative to the order file)."""

    @property
    def revision(self) -> str:
        return self.effective.isoformat()

    @property
    def revision_hash(self) -> str | None:
        return self.order.revision_hash if self.order is not None else None


def official_text(order: Order) -> list:
    """The order's official words in document order, as plain data."""
    parts: list = [order.number, order.title, order.effective.isoformat()]
    for section in order.sections:
        parts.append([section.citation, section.heading, section.text or ""])
        parts.extend([d.anchor, d.term, d.text] for d in section.definitions)
        for clause in section.clauses:
            parts.append([clause.citation, clause.heading or "", clause.text])
            parts.extend([i.citation, i.text] for i in clause.items)
    return parts


def revision_hash(order: Order) -> str:
    payload = json.dumps(official_text(order), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@immutable
class Library:
    """Everything Rollcall builds a site from."""

    orders: tuple[Order, ...] = field(default_factory=tuple)
    fingerprint: str = ""
    """Identifies the order files the library was read from (what scenarios are checked against)."""
    cache_root: Any = None
    """Project folder whose .rollcall-cache/ may keep results derived from this library."""

    def order(self, number: str) -> Order | None:
        return self.orders_by_number.get(number)

    @cached_property
    def orders_by_number(self) -> dict[str, Order]:
        found: dict[str, Order] = {}
        for order in self.orders:
            found.setdefault(order.number, order)  # the first, as a scan would find
        return found


VERDICTS = ("permitted", "prohibited", "permitted_with_authorization", "required")
"""What a rule can say about a situation, in increasing need of attention."""


@immutable
class Fact:
    """One fact a situation can state, with its allowed values and a plain question."""

    name: str
    question: str
    values: tuple[tuple[str, str], ...]
    """(value, plain-language answer) pairs, in the order they are offered."""
    source: Source

    def allows(self, value: str) -> bool:
        return value in self.answers

    @cached_property
    def answers(self) -> dict[str, str]:
        """Value -> its plain-language answer."""
        return dict(self.values)

    def answer(self, value: str) -> str:
        return self.answers.get(value, value)


Condition = tuple[tuple[str, tuple[str, ...]], ...]
"""Fact name -> accepted values; every named fact must hold one of its values."""


@immutable
class Rule:
    """A machine-readable reading of a clause: when the facts hold, the verdict follows.

    `unless` is an exception (e.g. written permission of the Chief): when it holds the act is
    permitted; when the situation does not say, the verdict is permitted_with_authorization.
    """

    id: str
    clause: str
    """Citation of the clause the rule reads, e.g. 418.05.E."""
    when: Condition
    verdict: str
    because: str
    source: Source
    unless: Condition = ()
    unless_because: str | None = None


@immutable
class Scenario:
    """A situation an employee reads, stated as facts the clause rules decide."""

    id: str
    module: str
    name: str
    situation: str
    facts: tuple[tuple[str, str], ...]
    source: Source
    expect_verdict: str | None = None
    expect_clause: str | None = None
    ask: tuple[str, ...] = ("verdict",)
    difficulty: int = 2
    tags: tuple[str, ...] = ()
    answer: tuple | None = None
    """The rule engine's outcome on its facts, as decide.outcome() gives it, worked out when
    the bank was compiled against its order's rules."""


@immutable
class Option:
    id: str
    text: str
    correct: bool
    explanation: str = ""


@immutable
class Question:
    """One question as the quiz asks it, with its answer key and the clauses it quotes."""

    id: str
    """Unique in the bank: module/scenario-or-question/kind."""
    module: str
    kind: str
    """verdict, clause, choice, select_all or definition."""
    prompt: str
    options: tuple[Option, ...]
    clauses: tuple[str, ...]
    explanation: str
    source: Source
    situation: str | None = None
    difficulty: int = 2
    tags: tuple[str, ...] = ()

    @property
    def answer(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)


@immutable
class Module:
    id: str
    title: str
    order: str
    source: Source
    description: str = ""
    position: int = 100
    quiz_questions: int = 10
    pass_mark: float = 80.0
    scenarios: tuple[Scenario, ...] = ()
    questions: tuple[Question, ...] = ()
