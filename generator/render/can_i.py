""""Can I…?" page: the decision trees of generator/decide.py, verified, as JSON inside the page.

The data travels inside the page (a JSON script element, like the quizzes) so that the helper
works from file://. can-i.js only walks it: every answer in it was computed and checked at
build time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..decide import compile_and_verify, decidable, leaves, walk
from ..errors import RollcallError
from ..model import Library, Order, Scenario
from ..rules import evaluate
from .quizzes import clause_entry, json_for_script

if TYPE_CHECKING:
    from ..scenarios import Bank
    from .pages import PageRenderer

PAGE = "can-i.md"
NAV_TITLE = "Can I…?"

VERDICT_WORDS = {
    "permitted": "Permitted",
    "prohibited": "Prohibited",
    "permitted_with_authorization": "Permitted only with authorization",
    "required": "Required: you must act",
}

PRACTICE_PER_ANSWER = 5
"""Scenarios offered to practise on below an answer."""


def scenarios_by_order(bank: "Bank | None") -> dict[str, list[Scenario]]:
    found: dict[str, list[Scenario]] = {}
    for module in bank.modules if bank else ():
        found.setdefault(module.order, []).extend(module.scenarios)
    return found


def _practice(tree: dict[str, Any], order: Order, scenarios: list[Scenario]) -> dict[str, dict[str, Any]]:
    """Give every answer the scenarios whose verdict cites one of its clauses (at most
    PRACTICE_PER_ANSWER: those that reach this very answer first, then the same verdict);
    return the scenarios used, by id."""
    reached: dict[int, list[Scenario]] = {}
    verdicts = {}
    for scenario in scenarios:
        _, leaf, _ = walk(tree, dict(scenario.facts))
        if leaf is not None:
            reached.setdefault(id(leaf), []).append(scenario)
        verdicts[scenario.id] = evaluate(order.rules, dict(scenario.facts))
    used: dict[str, Scenario] = {}
    for _, leaf in leaves(tree["root"]):
        if leaf.get("no_rule"):
            continue
        clauses = set(leaf["clauses"])
        related = [s for s in scenarios if clauses & set(verdicts[s.id].clauses)]
        same = {s.id for s in reached.get(id(leaf), [])}
        related.sort(key=lambda s: (s.id not in same, verdicts[s.id].verdict != leaf["verdict"]))
        chosen = related[:PRACTICE_PER_ANSWER]
        leaf["practice"] = [s.id for s in chosen]
        used.update((s.id, s) for s in chosen)
    return used


def can_i_data(library: Library, bank: "Bank | None") -> dict[str, Any] | None:
    """The page's data, or None when no order has facts and rules. Raises RollcallError when a
    tree does not agree with the rules (generator/decide.py: verify_tree)."""
    trees, scenarios, problems = [], {}, []
    titles = {m.id: m.title for m in bank.modules} if bank else {}
    by_order = scenarios_by_order(bank)
    for order in library.orders:
        if not decidable(order):
            continue
        bank_scenarios = by_order.get(order.number, [])
        try:
            tree, _ = compile_and_verify(order, bank_scenarios, library.cache_root)
        except RollcallError as exc:
            problems += exc.problems
            continue
        for sid, scenario in _practice(tree, order, bank_scenarios).items():
            scenarios[sid] = {"name": scenario.name, "module": f"{titles.get(scenario.module, scenario.module)}: practice",
                              "href": f"training/{scenario.module}-practice.html"}
        trees.append(tree)
    if problems:
        raise RollcallError(problems)
    if not trees:
        return None
    citations = dict.fromkeys(c for tree in trees for _, leaf in leaves(tree["root"]) for c in leaf.get("clauses", ()))
    return {
        "format": 1,
        "trees": trees,
        "verdicts": VERDICT_WORDS,
        "clauses": {c: clause_entry(library, c, base="") for c in citations},
        "scenarios": scenarios,
    }


def render_can_i(library: Library, bank: "Bank | None", docs: Path, pages: "PageRenderer") -> str | None:
    """Compile and verify the trees, write docs/can-i.md; return the page for the navigation
    (None when no order has facts and rules)."""
    data = can_i_data(library, bank)
    if data is None:
        return None
    orders = [library.order(tree["order"]) for tree in data["trees"]]
    (docs / PAGE).write_text(pages.can_i_page(orders, json_for_script(data)), encoding="utf-8")
    return PAGE
