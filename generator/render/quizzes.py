"""Quiz pages: the compiled bank as JSON inside each page, read by quiz.js in the browser.

The data travels inside the page (a JSON script element) so that quizzes work from file://,
where a page may not fetch its neighbours.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..model import Clause, Item, Library, Module, Order, Question, Section
from ..scenarios import Bank, unit_title

FINAL_TEST_ID = "final"
FINAL_POOL_MAX = 200
"""A final test page carries at most this many questions: beyond it, the pool is drawn evenly
from the modules (the same for a given bank), so the page stays small in a large department."""


def final_pool(bank: Bank) -> tuple[Question, ...]:
    everything = bank.questions
    if len(everything) <= FINAL_POOL_MAX:
        return everything
    per_module = [
        sorted(m.questions, key=lambda q: hashlib.sha256(q.id.encode()).hexdigest()) for m in bank.modules
    ]
    pool: list[Question] = []
    depth = 0
    while len(pool) < FINAL_POOL_MAX:
        for questions in per_module:
            if depth < len(questions) and len(pool) < FINAL_POOL_MAX:
                pool.append(questions[depth])
        depth += 1
    return tuple(pool)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    mode: str
    """practice or scored."""
    draw: int
    pass_mark: float
    questions: tuple[Question, ...]
    description: str = ""


def quizzes(bank: Bank) -> list[Quiz]:
    found = []
    for m in bank.modules:
        found.append(Quiz(f"{m.id}-practice", f"{m.title}: practice", "practice", len(m.questions), m.pass_mark, m.questions, m.description))
        found.append(Quiz(m.id, f"{m.title}: scored quiz", "scored", m.quiz_questions, m.pass_mark, m.questions, m.description))
    final = bank.final_test
    found.append(Quiz(FINAL_TEST_ID, final.title, "scored", final.questions, final.pass_mark, final_pool(bank),
                      "Questions drawn from every module."))
    return found


_UNIT_INDEXES: dict[int, tuple[Order, dict[str, tuple[Section | Clause | Item, Clause | None]]]] = {}


def _unit_index(order: Order) -> dict[str, tuple[Section | Clause | Item, Clause | None]]:
    """Every unit of the order by citation, with the clause an item belongs to (built once)."""
    cached = _UNIT_INDEXES.get(id(order))
    if cached is not None and cached[0] is order:
        return cached[1]
    index = _build_unit_index(order)
    _UNIT_INDEXES[id(order)] = (order, index)
    return index


def _build_unit_index(order: Order) -> dict[str, tuple[Section | Clause | Item, Clause | None]]:
    index: dict[str, tuple[Section | Clause | Item, Clause | None]] = {}
    for section in order.sections:
        index[section.citation] = (section, None)
        for clause in section.clauses:
            index[clause.citation] = (clause, None)
            for item in clause.items:
                index[item.citation] = (item, clause)
    return index


def clause_entry(library: Library, citation: str, base: str = "../") -> dict[str, Any]:
    """What the feedback shows for a citation: its title, the verbatim text, its permalink
    (relative to a page in `base`: "../" from training/, "" from the site's top folder)."""
    number = citation.split(".")[0]
    order = library.order(number)
    assert order is not None
    href = f"{base}orders/{order.slug}.html#{citation}"
    definition = next((d for d in order.definitions if d.anchor == citation), None)
    if definition is not None:
        return {"citation": citation.rsplit(".", 1)[0], "title": f"Definition of {definition.term}",
                "quote": [f"{definition.term}: {definition.text}"], "href": href}
    unit, parent = _unit_index(order)[citation]
    quote = []
    if parent is not None:
        quote += parent.text.split("\n\n")
        quote.append(f"{unit.number}. {unit.text}")  # type: ignore[union-attr]
    elif unit.text:
        quote += unit.text.split("\n\n")
    return {"citation": citation, "title": unit_title(unit), "quote": quote, "href": href}


def question_data(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "kind": q.kind,
        "prompt": q.prompt,
        "situation": q.situation,
        "options": [{"id": o.id, "text": o.text, "explanation": o.explanation} for o in q.options],
        "answer": list(q.answer),
        "clauses": list(q.clauses),
        "explanation": q.explanation,
    }


def bank_version(library: Library, bank: Bank) -> str:
    """Content hash of what an attempt is scored on: questions, answers and quoted clauses."""
    payload = {
        "questions": [question_data(q) for q in bank.questions],
        "clauses": {c: clause_entry(library, c) for q in bank.questions for c in q.clauses},
        "revisions": order_revisions(library, bank.questions),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def quiz_data(library: Library, quiz: Quiz, version: str) -> dict[str, Any]:
    citations = dict.fromkeys(c for q in quiz.questions for c in q.clauses)
    return {
        "format": 1,
        "version": version,
        "quiz": {"id": quiz.id, "title": quiz.title, "mode": quiz.mode, "draw": quiz.draw, "pass_mark": quiz.pass_mark},
        "questions": [question_data(q) for q in quiz.questions],
        "clauses": {c: clause_entry(library, c) for c in citations},
    }


def json_for_script(data: Any) -> str:
    """JSON safe inside <script type="application/json">: no '<' can close the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace("&", "\\u0026")


def answer_key(bank: Bank) -> dict[str, Any]:
    return {q.id: {"kind": q.kind, "answer": list(q.answer), "clauses": list(q.clauses)} for q in bank.questions}


def order_of(citation: str) -> str:
    """The order a citation or definition anchor belongs to (order numbers hold no dot)."""
    return citation.split(".", 1)[0]


def quiz_orders(questions: tuple[Question, ...]) -> list[str]:
    return sorted({order_of(c) for q in questions for c in q.clauses})


def order_revisions(library: Library, questions: tuple[Question, ...]) -> dict[str, dict[str, str]]:
    """The revision of each order the questions quote: what an attempt on them was trained on."""
    found = {}
    for number in quiz_orders(questions):
        order = library.order(number)
        if order is not None:
            found[number] = {"title": order.title, "revision": order.revision, "revision_hash": order.revision_hash}
    return found


def archived_key(library: Library, bank: Bank) -> dict[str, Any]:
    """Everything needed to re-score an attempt later: the answer key, each quiz's settings, and
    the revision of every order the quizzes were written on."""
    return {
        "format": "rollcall-answer-key/1",
        "version": bank_version(library, bank),
        "quizzes": {q.id: {"title": q.title, "pass_mark": q.pass_mark, "draw": q.draw, "orders": quiz_orders(q.questions)}
                    for q in quizzes(bank) if q.mode == "scored"},
        "questions": answer_key(bank),
        "orders": order_revisions(library, bank.questions),
    }
