"""`rollcall diff`: what changed between two revisions of an order, written for a terminal."""

from __future__ import annotations

from pathlib import Path

from .diff import Change, OrderDiff, compare
from .errors import RollcallError
from .impact import ScenarioImpact, scenario_impacts
from .model import Order

CONTEXT_WORDS = 8
"""Unchanged words kept on each side of a change; longer unchanged runs are shortened."""

_STYLES = {"-": ("\033[31m", "[-", "-]"), "+": ("\033[32m", "{+", "+}")}
_RESET = "\033[0m"


def find_revision(order: Order, name: str) -> Order:
    """The text of revision `name` (its effective date, or `current`) of the order."""
    if name in ("current", order.revision):
        return order
    for revision in order.history:
        if revision.revision == name:
            if revision.order is None:
                raise RollcallError.at(order.source.file, revision.source.line,
                                       f"revision {name} of GO {order.number}: its text is not held, so it cannot be compared")
            return revision.order
    known = ", ".join([r.revision for r in order.history] + [order.revision])
    raise RollcallError.at(order.source.file, order.source.line, f"GO {order.number} has no revision {name} (revisions: {known}; or 'current')")


def _shorten(words: str, first: bool, last: bool) -> str:
    parts = words.split()
    keep_head = 0 if first else CONTEXT_WORDS
    keep_tail = 0 if last else CONTEXT_WORDS
    if len(parts) <= keep_head + keep_tail + 1:
        return words
    head = parts[:keep_head]
    tail = parts[len(parts) - keep_tail:] if keep_tail else []
    return " ".join(head + ["…"] + tail)


def change_text(change: Change, colour: bool) -> str:
    """The unit's words with removals and additions marked ([-old-]{+new+}, or in colour)."""
    def mark(op: str, words: str) -> str:
        start, open_mark, close_mark = _STYLES[op]
        return f"{start}{words}{_RESET}" if colour else f"{open_mark}{words}{close_mark}"

    if change.old is None:
        return mark("+", " ".join(change.new.words))  # type: ignore[union-attr]
    if change.new is None:
        return mark("-", " ".join(change.old.words))
    if not change.segments:
        return _shorten(" ".join(change.new.words), True, True)
    out = []
    last = len(change.segments) - 1
    for index, (op, words) in enumerate(change.segments):
        out.append(_shorten(words, index == 0, index == last) if op == "=" else mark(op, words))
    return " ".join(out)


def render_diff(diff: OrderDiff, impacts: list[ScenarioImpact] | None, colour: bool = False) -> str:
    lines = [f"GO {diff.new.number}, {diff.new.title}: revision {diff.old.revision} → {diff.new.revision}"]
    if diff.header:
        lines.append("")
        lines.append("Header:")
        lines.extend(f"  {name.replace('_', ' ')}: {before or '(none)'} → {after or '(none)'}" for name, before, after in diff.header)
    lines.append("")
    if not diff.edits:
        lines.append("No section, definition, clause or item changed.")
    for change in diff.edits:
        where = change.citation
        if change.old is not None and change.new is not None and change.old.citation != change.new.citation:
            where = f"{change.old.citation} → {change.new.citation}"
        rules = ", rule changed" if diff.rules_compared and change.rules_changed else ""
        lines.append(f"{change.kind.upper()}{rules}  {where}")
        lines.append(f"    {change_text(change, colour)}")
        if rules:
            lines.append(f"    rule before: {'; '.join(change.old.rule_texts) or 'none'}")  # type: ignore[union-attr]
            lines.append(f"    rule after:  {'; '.join(change.new.rule_texts) or 'none'}")  # type: ignore[union-attr]
    if impacts is not None:
        lines.append("")
        changed = [i for i in impacts if i.answer_changed]
        quoting = [i for i in impacts if not i.answer_changed]
        lines.append(f"Scenarios whose answers change: {len(changed)}")
        lines.extend(f"  {i.scenario.module}/{i.scenario.id}: {i.before or 'no answer'} → {i.after or 'no answer'}" for i in changed)
        if quoting:
            lines.append(f"Scenarios quoting a changed clause (answer unchanged): {len(quoting)}")
            lines.extend(f"  {i.scenario.module}/{i.scenario.id}: {i.after}" for i in quoting)
    lines.append("")
    tally = diff.tally
    summary = f"{tally['reworded']} reworded, {tally['added']} added, {tally['removed']} removed, {tally['moved']} moved"
    if diff.rules_compared:
        summary += f"; {tally['rules_changed']} with changed rules"
    lines.append(summary)
    return "\n".join(lines)


def diff_command(root: Path, number: str, rev_a: str, rev_b: str, colour: bool) -> str:
    from .load import load_library
    from .scenarios import load_bank, scenario_files

    library = load_library(root)
    order = library.order(number)
    if order is None:
        known = ", ".join(o.number for o in library.orders)
        raise RollcallError.at("policy", 1, f"no order {number} (orders: {known})")
    old, new = find_revision(order, rev_a), find_revision(order, rev_b)
    if old.effective > new.effective:
        raise RollcallError.at(order.source.file, order.source.line,
                               f"revision {rev_a} is later than {rev_b}: give the earlier revision first")
    diff = compare(old, new)
    impacts = None
    if new is order and scenario_files(root):
        bank = load_bank(root, library)
        impacts = scenario_impacts(diff, tuple(s for m in bank.modules if m.order == order.number for s in m.scenarios))
    return render_diff(diff, impacts, colour)
