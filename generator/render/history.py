"""Pages about an order's revisions: the text of each earlier revision whose text is held, and a
"what changed" page for each revision that can be compared with the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..diff import OrderDiff, compare
from ..impact import ScenarioImpact, scenario_impacts
from ..model import Order, Revision

if TYPE_CHECKING:
    from ..scenarios import Bank
    from .pages import PageRenderer


@dataclass(frozen=True)
class RevisionRow:
    """One line of an order's revision history, as the order page lists it."""

    revision: str
    effective: object
    current: bool
    text_href: str | None
    """Link to the revision's text (from the current order page), or None when it is not held."""
    changes_href: str | None
    """Link to what this revision changed, or None when the revision before it is not held."""
    note: str | None = None


def revision_path(order: Order, revision: str) -> str:
    """Docs path of an earlier revision's page, e.g. orders/418/2018-04-03.md."""
    return f"orders/{order.slug}/{revision}.md"


def changes_path(order: Order, revision: str) -> str:
    """Docs path of the page saying what `revision` changed, e.g. orders/418/changes-2027-01-01.md."""
    return f"orders/{order.slug}/changes-{revision}.md"


def revisions(order: Order) -> list[tuple[str, Order | None, Revision | None]]:
    """(revision, its text or None, its history entry or None for the current), oldest first."""
    return [(r.revision, r.order, r) for r in order.history] + [(order.revision, order, None)]


def comparisons(order: Order) -> list[tuple[str, Order, Order]]:
    """(revision, text before it, its text) for each revision whose predecessor's text is held."""
    found = []
    chain = revisions(order)
    for (_, before, _), (revision, after, _) in zip(chain, chain[1:]):
        if before is not None and after is not None:
            found.append((revision, before, after))
    return found


def history_rows(order: Order) -> list[RevisionRow]:
    """The order's revisions, newest first, with links relative to the order's own page."""
    compared = {revision for revision, _, _ in comparisons(order)}
    rows = []
    for revision, text, entry in reversed(revisions(order)):
        current = entry is None
        rows.append(RevisionRow(
            revision=revision,
            effective=(text or entry).effective,  # type: ignore[union-attr]
            current=current,
            text_href=None if text is None else (f"#go-{order.slug}" if current else f"{order.slug}/{revision}.html"),
            changes_href=f"{order.slug}/changes-{revision}.html" if revision in compared else None,
            note=entry.note if entry is not None else None,
        ))
    return rows


def render_history(order: Order, docs: Path, pages: "PageRenderer", bank: "Bank | None") -> list[str]:
    """Write the order's earlier-revision and what-changed pages; return their docs paths."""
    written = []
    chain = revisions(order)
    for index, (revision, text, entry) in enumerate(chain[:-1]):
        if text is None:
            continue
        superseded_by = chain[index + 1][0]
        path = docs / revision_path(order, revision)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pages.superseded_page(text, order, superseded_by), encoding="utf-8")
        written.append(revision_path(order, revision))
    scenarios = tuple(s for m in bank.modules if m.order == order.number for s in m.scenarios) if bank else ()
    for revision, before, after in comparisons(order):
        diff = compare(before, after)
        impacts: list[ScenarioImpact] | None = scenario_impacts(diff, scenarios) if after is order and bank else None
        path = docs / changes_path(order, revision)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pages.changes_page(order, diff, impacts), encoding="utf-8")
        written.append(changes_path(order, revision))
    return written


def unit_href(order: Order, diff: OrderDiff, citation: str, side: str) -> str:
    """Link from a what-changed page to a unit in the earlier (`old`) or later (`new`) text."""
    revision = diff.old if side == "old" else diff.new
    if revision is order:
        return f"../{order.slug}.html#{citation}"
    return f"{revision.revision}.html#{citation}"
