""""Can I…?" page: the decision trees of generator/decide.py, verified, for can-i.js to walk.

With one order the page carries its tree as JSON inside the page (a JSON script element, like
the quizzes). With several, the page carries only the list of orders to pick from, and each
order's tree, with the clauses it quotes and the scenarios it offers, goes to a data file of its
own, `assets/can-i/<order>.js`: a script that can-i.js adds to the page once the reader has
picked the order, so the page stays small in a large manual and still works from file://,
where a page may not fetch. can-i.js only walks the trees: every answer in them was computed and
checked at build time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..decide import compile_and_verify, decidable, leaves, walk
from ..errors import Problem, RollcallError
from ..model import Library, Order, Scenario
from ..rules import evaluate
from .quizzes import clause_entry, forget, json_for_script, order_by_number

if TYPE_CHECKING:
    from ..scenarios import Bank
    from .pages import PageRenderer

PAGE = "can-i.md"
NAV_TITLE = "Can I…?"
DATA_FOLDER = "assets/can-i"
"""Where the per-order data files go (several orders), relative to the site's top folder."""

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


def _practice(tree: dict[str, Any], order: Order, scenarios: list[Scenario]) -> dict[str, Scenario]:
    """Give every answer the scenarios whose verdict cites one of its clauses (at most
    PRACTICE_PER_ANSWER: those that reach this very answer first, then the same verdict);
    return the scenarios used, by id."""
    reached: dict[int, set[str]] = {}
    verdicts = {}
    citing: dict[str, list[int]] = {}
    """clause -> positions of the scenarios whose verdict cites it"""
    for position, scenario in enumerate(scenarios):
        _, leaf, _ = walk(tree, dict(scenario.facts))
        if leaf is not None:
            reached.setdefault(id(leaf), set()).add(scenario.id)
        verdict = evaluate(order.rules, dict(scenario.facts))
        verdicts[scenario.id] = verdict.verdict
        for clause in dict.fromkeys(verdict.clauses):
            citing.setdefault(clause, []).append(position)
    used: dict[str, Scenario] = {}
    for _, leaf in leaves(tree["root"]):
        if leaf.get("no_rule"):
            continue
        positions = sorted({p for clause in leaf["clauses"] for p in citing.get(clause, ())})
        related = [scenarios[p] for p in positions]
        same = reached.get(id(leaf), set())
        related.sort(key=lambda s: (s.id not in same, verdicts[s.id] != leaf["verdict"]))
        chosen = related[:PRACTICE_PER_ANSWER]
        leaf["practice"] = [s.id for s in chosen]  # type: ignore[index]
        used.update((s.id, s) for s in chosen)
    return used


@dataclass
class OrderHelp:
    """One order's part of the helper: its verified tree, the clauses its answers quote and the
    scenarios they offer (by id), or the problems that kept it out."""

    order: str
    title: str
    tree: dict[str, Any] | None = None
    citations: list[str] = field(default_factory=list)
    scenarios: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _help_for(library: Library, order: Order, bank_scenarios: list[Scenario], titles: dict[str, str]) -> OrderHelp:
    found = OrderHelp(order.number, order.title)
    try:
        tree, _ = compile_and_verify(order, bank_scenarios, library.cache_root)
    except RollcallError as exc:
        found.problems = list(exc.problems)
        return found
    for sid, scenario in _practice(tree, order, bank_scenarios).items():
        found.scenarios[sid] = {"name": scenario.name, "module": f"{titles.get(scenario.module, scenario.module)}: practice",
                                "href": f"training/{scenario.module}-practice.html"}
    found.tree = tree
    found.citations = list(dict.fromkeys(c for _, leaf in leaves(tree["root"]) for c in leaf.get("clauses", ())))
    return found


def order_helps(library: Library, bank: "Bank | None") -> list[OrderHelp]:
    """Every decidable order's tree, compiled and verified (or taken from the cache `rollcall
    check` filled). Raises RollcallError with every order's problems when a tree does not agree
    with the rules (generator/decide.py: verify_tree)."""
    by_order = scenarios_by_order(bank)
    titles = {m.id: m.title for m in bank.modules} if bank else {}
    helps = [_help_for(library, o, by_order.get(o.number, []), titles) for o in library.orders if decidable(o)]
    problems = [p for h in helps for p in h.problems]
    if problems:
        raise RollcallError(problems)
    return helps


def can_i_data(library: Library, bank: "Bank | None") -> dict[str, Any] | None:
    """The data of a one-page helper holding every tree, or None when no order has facts and
    rules. Raises RollcallError when a tree does not agree with the rules."""
    helps = order_helps(library, bank)
    return inline_data(library, helps) if helps else None


def inline_data(library: Library, helps: list[OrderHelp]) -> dict[str, Any]:
    citations = dict.fromkeys(c for h in helps for c in h.citations)
    return {
        "format": 1,
        "trees": [h.tree for h in helps],
        "verdicts": VERDICT_WORDS,
        "clauses": {c: clause_entry(library, c, base="") for c in citations},
        "scenarios": {sid: ref for h in helps for sid, ref in h.scenarios.items()},
    }


def data_file(order: Order) -> str:
    return f"{DATA_FOLDER}/{order.slug}.js"


def order_data(library: Library, help_: OrderHelp) -> dict[str, Any]:
    """What an order's data file holds: its tree, the clauses it quotes, its scenarios."""
    return {
        "tree": help_.tree,
        "clauses": {c: clause_entry(library, c, base="") for c in help_.citations},
        "scenarios": help_.scenarios,
    }


def data_script(key: str, data: Any) -> str:
    """A data file: a script that files `data` under `key` in window.RollcallCanI."""
    return ("(window.RollcallCanI = window.RollcallCanI || {})[" + json.dumps(key) + "] = "
            + json_for_script(data) + ";\n")


def index_data(library: Library, helps: list[OrderHelp], docs: Path) -> dict[str, Any]:
    """Write each order's data file; return the page's data: the orders to pick from."""
    orders = []
    for help_ in helps:
        order = order_by_number(library, help_.order)
        assert order is not None
        target = docs / data_file(order)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data_script(order.number, order_data(library, help_)), encoding="utf-8")
        orders.append({"order": order.number, "title": order.title, "src": data_file(order)})
    return {"format": 1, "orders": orders, "verdicts": VERDICT_WORDS}


def render_can_i(library: Library, bank: "Bank | None", docs: Path, pages: "PageRenderer") -> str | None:
    """Compile and verify the trees, write docs/can-i.md (and, with several orders, their data
    files); return the page for the navigation (None when no order has facts and rules)."""
    helps = order_helps(library, bank)
    if not helps:
        return None
    data = inline_data(library, helps) if len(helps) == 1 else index_data(library, helps, docs)
    orders = [order_by_number(library, h.order) for h in helps]
    (docs / PAGE).write_text(pages.can_i_page(orders, json_for_script(data)), encoding="utf-8")
    forget()
    return PAGE
