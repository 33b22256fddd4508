"""`rollcall check`: load and validate orders and scenarios, evaluate every scenario, report."""

from __future__ import annotations

from pathlib import Path

import json

from .cache import Cache
from .load import load_library
from .model import Library
from .scenarios import Bank, load_bank, scenario_files


def coverage_report(library: Library, bank: Bank) -> list[str]:
    lines = ["Clause coverage (questions per operative provision):"]
    for citation, questions in bank.coverage.items():
        lines.append(f"  {citation:<12} {len(questions):>3}")
    covered = sum(1 for q in bank.definitions.values() if q)
    lines.append(f"Definitions with a question: {covered} of {len(bank.definitions)}")
    missing = [anchor for anchor, q in bank.definitions.items() if not q]
    if missing:
        lines.append("  without one: " + ", ".join(missing))
    return lines


def answer_changes(root: Path, bank: Bank, site: Path | None = None) -> list[str]:
    """Questions whose answer differs from the answer key of the last build in `site`."""
    from .render.quizzes import answer_key

    path = (site or root / "site") / "training" / "answer-key.json"
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))["questions"]
    except (OSError, ValueError, KeyError):
        return []
    current = answer_key(bank)
    lines = []
    for qid, entry in current.items():
        old = previous.get(qid)
        if old is None:
            lines.append(f"  {qid}: new question")
        elif old["answer"] != entry["answer"] or old["clauses"] != entry["clauses"]:
            lines.append(f"  {qid}: {', '.join(old['answer'])} -> {', '.join(entry['answer'])}"
                         + (f" (clauses {', '.join(old['clauses'])} -> {', '.join(entry['clauses'])})" if old["clauses"] != entry["clauses"] else ""))
    lines += [f"  {qid}: removed" for qid in previous if qid not in current]
    if not lines:
        return ["No answer changes since the last build (site/)."]
    return [f"Answers that change since the last build (site/): {len(lines)}"] + lines


def can_i_report(library: Library, bank: Bank | None) -> list[str]:
    """Every order's "Can I…?" tree proved to agree with the rules and with the bank's scenarios
    (the trees of orders read by this run were proved and cached as they were read)."""
    from .decide import compile_and_verify, decidable
    from .render.can_i import scenarios_by_order

    by_order = scenarios_by_order(bank)
    orders = [order for order in library.orders if decidable(order)]
    with Cache(library.cache_root).batch():
        proofs = [compile_and_verify(order, by_order.get(order.number, []), library.cache_root)[1] for order in orders]
    if not proofs:
        return []
    trees = "tree" if len(proofs) == 1 else f"{len(proofs)} trees"
    agree = "agrees" if len(proofs) == 1 else "agree"
    return [
        f"OK: Can I…? {trees} of {sum(p.questions for p in proofs)} questions and {sum(p.answers for p in proofs)} answers "
        f"{agree} with the rules on {sum(p.combinations for p in proofs)} fact combinations and {sum(p.scenarios for p in proofs)} scenarios "
        f"({sum(p.engine_runs for p in proofs)} rule-engine runs; facts that no rule still in play reads cannot change an answer)."
    ]


def check_project(root: Path) -> str:
    library = load_library(root, prove=True)
    units = sum(len(o.units()) for o in library.orders)
    rules = sum(len(o.rules) for o in library.orders)
    lines = [f"OK: {len(library.orders)} order(s), {units} citable sections, clauses and items, {rules} clause rules."]
    if scenario_files(root):
        bank = load_bank(root, library)
        lines.append(
            f"OK: {len(bank.modules)} module(s), {len(bank.scenarios)} scenarios, {len(bank.questions)} questions; "
            "every answer agrees with the clause rules."
        )
        lines += can_i_report(library, bank)
        lines += coverage_report(library, bank)
        lines += answer_changes(root, bank)
    else:
        lines += can_i_report(library, None)
    return "\n".join(lines)
