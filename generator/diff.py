"""What changed between two revisions of an order, clause by clause, with word-level changes.

Units (sections, definitions, clauses, items) are paired across the revisions: first those
unchanged at the same citation, then identical text at another citation (moved), then text
reworded at the same citation, then similar text at another citation (moved and reworded).
What is left is removed from the earlier revision or added in the later one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator

from .model import Order, Rule

SAME_PLACE_SIMILARITY = 0.5
"""At the same citation, text this similar (0–1) is the same unit reworded."""
MOVED_SIMILARITY = 0.6
"""At another citation, text must be this similar to count as the same unit moved."""


@dataclass(frozen=True)
class Unit:
    citation: str
    """Citation, or a definition's anchor."""
    kind: str
    """section, definition, clause or item."""
    title: str
    text: str
    rules: tuple[str, ...] = ()
    """What the unit's rules decide, for comparison."""
    rule_texts: tuple[str, ...] = ()
    """The same rules in words, for people."""
    position: int = 0

    @property
    def words(self) -> list[str]:
        return (self.title + " " + self.text).split() if self.title else self.text.split()


def rule_signature(rule: Rule) -> str:
    return repr((sorted(rule.when), rule.verdict, sorted(rule.unless)))


def rule_text(rule: Rule) -> str:
    text = f"{rule.verdict.replace('_', ' ')}: {rule.because}"
    if rule.unless:
        text += f" (unless {rule.unless_because or 'the exception applies'})"
    return text


def units(order: Order) -> list[Unit]:
    """Every comparable unit of the order, in document order."""
    found: list[Unit] = []

    def add(citation: str, kind: str, title: str, text: str, rules: tuple[Rule, ...] = ()) -> None:
        found.append(Unit(citation, kind, title, text, tuple(sorted(rule_signature(r) for r in rules)),
                          tuple(rule_text(r) for r in rules), len(found)))

    for section in order.sections:
        add(section.citation, "section", section.heading, section.text or "", section.rules)
        for definition in section.definitions:
            add(definition.anchor, "definition", definition.term, definition.text)
        for clause in section.clauses:
            add(clause.citation, "clause", clause.heading or "", clause.text, clause.rules)
            for item in clause.items:
                add(item.citation, "item", "", item.text, item.rules)
    return found


Segment = tuple[str, str]
"""("=", words kept), ("-", words removed) or ("+", words added)."""


def word_changes(old: list[str], new: list[str]) -> list[Segment]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("=", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("-", " ".join(old[a1:a2])))
        if b2 > b1:
            segments.append(("+", " ".join(new[b1:b2])))
    return segments


def similarity(old: Unit, new: Unit) -> float:
    matcher = difflib.SequenceMatcher(None, old.words, new.words, autojunk=False)
    if matcher.real_quick_ratio() < MOVED_SIMILARITY and old.citation != new.citation:
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class Change:
    old: Unit | None
    new: Unit | None
    segments: tuple[Segment, ...] = ()

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.old.citation != self.new.citation:
            return "moved" if self.old.words == self.new.words else "moved and reworded"
        return "reworded" if self.old.words != self.new.words else "unchanged"

    @property
    def reworded(self) -> bool:
        return self.old is not None and self.new is not None and self.old.words != self.new.words

    @property
    def rules_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.rules != self.new.rules

    @property
    def citation(self) -> str:
        return (self.new or self.old).citation  # type: ignore[union-attr]

    @property
    def unit_kind(self) -> str:
        return (self.new or self.old).kind  # type: ignore[union-attr]


HEADER_FIELDS = ("title", "effective", "review", "action", "action_dated", "authority", "calea_standards", "total_pages")


@dataclass(frozen=True)
class OrderDiff:
    old: Order
    new: Order
    changes: tuple[Change, ...]
    """Every unit, in the later revision's order, removed ones where they stood."""
    header: tuple[tuple[str, str, str], ...] = ()
    """(field, earlier value, later value) for header fields that differ."""
    rules_compared: bool = True
    """False when the earlier revision holds no clause rules to compare."""
    moved_to: dict[str, str] = field(default_factory=dict)
    """Earlier citation -> later citation for every unit that kept its place or moved."""

    @property
    def edits(self) -> list[Change]:
        return [c for c in self.changes if c.kind != "unchanged" or (self.rules_compared and c.rules_changed)]

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind or (kind == "moved" and c.kind == "moved and reworded"))

    @property
    def tally(self) -> dict[str, int]:
        """How many units were reworded (in place or moved), added, removed and moved, and how
        many edits changed clause rules (0 when the rules were not compared)."""
        return {
            "reworded": self.count("reworded") + self.count("moved and reworded"),
            "added": self.count("added"),
            "removed": self.count("removed"),
            "moved": self.count("moved"),
            "rules_changed": sum(1 for c in self.edits if c.rules_changed) if self.rules_compared else 0,
        }

    @property
    def changed_citations(self) -> set[str]:
        """Later citations whose text or rules changed, plus earlier citations removed."""
        return {c.citation for c in self.edits}


def _header_value(order: Order, name: str) -> str:
    value = getattr(order, name)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _pairs(old: list[Unit], new: list[Unit]) -> Iterator[tuple[Unit, Unit]]:
    """Pair units of the same kind, most certain pairings first."""
    free_old = {u.citation: u for u in old}
    free_new = {u.citation: u for u in new}

    def take(a: Unit, b: Unit) -> tuple[Unit, Unit]:
        del free_old[a.citation], free_new[b.citation]
        return a, b

    for citation in list(free_new):
        a, b = free_old.get(citation), free_new[citation]
        if a is not None and a.kind == b.kind and a.words == b.words:
            yield take(a, b)
    by_text: dict[tuple[str, tuple[str, ...]], list[Unit]] = {}
    for a in free_old.values():
        by_text.setdefault((a.kind, tuple(a.words)), []).append(a)
    for b in list(free_new.values()):
        candidates = by_text.get((b.kind, tuple(b.words)))
        if candidates:
            yield take(candidates.pop(0), b)
    for citation in list(free_new):
        a, b = free_old.get(citation), free_new[citation]
        if a is not None and a.kind == b.kind and similarity(a, b) >= SAME_PLACE_SIMILARITY:
            yield take(a, b)
    scored = sorted(
        ((similarity(a, b), a.position, b.position, a, b) for a in free_old.values() for b in free_new.values() if a.kind == b.kind),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    for score, _, _, a, b in scored:
        if score < MOVED_SIMILARITY:
            break
        if a.citation in free_old and b.citation in free_new:
            yield take(a, b)


def compare(old: Order, new: Order) -> OrderDiff:
    """What changed from revision `old` to revision `new` of the same order."""
    old_units, new_units = units(old), units(new)
    partner = {b.citation: a for a, b in _pairs(old_units, new_units)}
    paired_old = {a.citation for a in partner.values()}
    changes: list[Change] = []
    removed = [a for a in old_units if a.citation not in paired_old]
    for b in new_units:
        a = partner.get(b.citation)
        while a is not None and removed and removed[0].position < a.position:
            changes.append(Change(removed.pop(0), None))
        segments = tuple(word_changes(a.words, b.words)) if a is not None and a.words != b.words else ()
        changes.append(Change(a, b, segments))
    changes.extend(Change(a, None) for a in removed)
    header = tuple(
        (name, _header_value(old, name), _header_value(new, name))
        for name in HEADER_FIELDS
        if _header_value(old, name) != _header_value(new, name)
    )
    return OrderDiff(
        old=old,
        new=new,
        changes=tuple(changes),
        header=header,
        rules_compared=bool(old.rules),
        moved_to={a.citation: citation for citation, a in partner.items()},
    )

