"""`rollcall check`: load and validate orders and scenarios, evaluate every scenario, report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import json

from .cache import Cache
from .load import load_library
from .model import Library, Order
from .parallel import PARALLEL_FROM, Background
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


@dataclass
class TreeProofs:
    """Every decidable order's "Can I…?" tree and proof against the rules (decide.prove), by
    order number: the cached ones, and the others, worked out by a child process when there
    are many of them (the scenario bank is compiled meanwhile), else here when asked for."""

    library: Library
    cached: dict[str, tuple]
    missing: list[Order]
    child: Background | None = None

    def wait(self) -> dict[str, tuple]:
        found = self.child.wait() if self.child else _prove(self.library, self.missing)
        return {**self.cached, **found}

    def cancel(self) -> None:
        if self.child:
            self.child.cancel()


def _prove(library: Library, orders: list[Order]) -> dict[str, tuple]:
    from .decide import prove

    with Cache(library.cache_root).batch():
        return {order.number: prove(order, library.cache_root) for order in orders}


def prove_trees(library: Library) -> TreeProofs:
    """Start proving the trees that are not cached."""
    from .decide import decidable, tree_entry

    cache = Cache(library.cache_root)
    orders = [order for order in library.orders if decidable(order)]
    cached = {order.number: cache.get("can-i", tree_entry(order)) for order in orders}
    missing = [order for order in orders if cached[order.number] is None]
    proofs = TreeProofs(library, {number: proof for number, proof in cached.items() if proof is not None}, missing)
    if len(missing) >= PARALLEL_FROM:
        proofs.child = Background(lambda: _prove(library, missing))
    return proofs


def can_i_report(library: Library, bank: Bank | None, proving: TreeProofs | None = None) -> list[str]:
    """Every order's "Can I…?" tree proved to agree with the rules and with the bank's scenarios."""
    from .decide import compile_and_verify, decidable
    from .render.can_i import scenarios_by_order

    proven = (proving or prove_trees(library)).wait()
    by_order = scenarios_by_order(bank)
    orders = [order for order in library.orders if decidable(order)]
    proofs = [compile_and_verify(order, by_order.get(order.number, []), library.cache_root, proven[order.number])[1] for order in orders]
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
    proving = prove_trees(library)
    if scenario_files(root):
        try:
            bank = load_bank(root, library)
        except BaseException:
            proving.cancel()
            raise
        lines.append(
            f"OK: {len(bank.modules)} module(s), {len(bank.scenarios)} scenarios, {len(bank.questions)} questions; "
            "every answer agrees with the clause rules."
        )
        lines += can_i_report(library, bank, proving)
        lines += coverage_report(library, bank)
        lines += answer_changes(root, bank)
    else:
        lines += can_i_report(library, None, proving)
    return "\n".join(lines)
