"""Quiz pages: the compiled bank as JSON, read by quiz.js in the browser.

In a small bank the data travels inside each page (a JSON script element). In a large one
(more than INLINE_MODULES_MAX modules) a page carries only its quiz's settings and the
questions go to a data file per module, `assets/quizzes/<module>.js`, shared by the module's
practice and scored pages and kept out of the pages MkDocs parses and holds in memory. Either
way nothing is fetched: a data file is a script that quiz.js adds to the page, which works from
file:// too, and once loaded quiz.js puts the whole data into the page's JSON element, where
record.js reads it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Clause, Item, Library, Module, Order, Question, Section
from ..scenarios import Bank, unit_title

if TYPE_CHECKING:
    from .pages import PageRenderer

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


INLINE_MODULES_MAX = 12
"""Up to this many modules, every quiz page carries its own questions; beyond, data files."""

DATA_FOLDER = "assets/quizzes"
"""Where the data files go, relative to the site's top folder."""


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
    data: str = ""
    """Name of the data file (without .js) holding its questions: the module's id, or "final"."""


def quizzes(bank: Bank) -> list[Quiz]:
    found = []
    for m in bank.modules:
        found.append(Quiz(f"{m.id}-practice", f"{m.title}: practice", "practice", len(m.questions), m.pass_mark, m.questions,
                          m.description, data=m.id))
        found.append(Quiz(m.id, f"{m.title}: scored quiz", "scored", m.quiz_questions, m.pass_mark, m.questions, m.description,
                          data=m.id))
    final = bank.final_test
    found.append(Quiz(FINAL_TEST_ID, final.title, "scored", final.questions, final.pass_mark, final_pool(bank),
                      "Questions drawn from every module.", data=FINAL_TEST_ID))
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


_ORDERS: dict[int, tuple[Library, dict[str, Order]]] = {}


def order_by_number(library: Library, number: str) -> Order | None:
    """library.order(number) through a dictionary built once per library: a large manual asks
    for an order once per quoted clause."""
    cached = _ORDERS.get(id(library))
    if cached is None or cached[0] is not library:
        cached = (library, {o.number: o for o in library.orders})
        _ORDERS.clear()  # one library at a time: a rebuild does not keep the previous one alive
        _ORDERS[id(library)] = cached
    return cached[1].get(number)


_CLAUSE_ENTRIES: dict[tuple[int, str, str], tuple[Library, dict[str, Any]]] = {}


def clause_entry(library: Library, citation: str, base: str = "../") -> dict[str, Any]:
    """What the feedback shows for a citation: its title, the verbatim text, its permalink
    (relative to a page in `base`: "../" from training/, "" from the site's top folder).
    Computed once per library, citation and base; callers must not change the result."""
    cached = _CLAUSE_ENTRIES.get((id(library), citation, base))
    if cached is not None and cached[0] is library:
        return cached[1]
    if _CLAUSE_ENTRIES and next(iter(_CLAUSE_ENTRIES.values()))[0] is not library:
        _CLAUSE_ENTRIES.clear()
    entry = _clause_entry(library, citation, base)
    _CLAUSE_ENTRIES[(id(library), citation, base)] = (library, entry)
    return entry


def _clause_entry(library: Library, citation: str, base: str) -> dict[str, Any]:
    number = citation.split(".")[0]
    order = order_by_number(library, number)
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


def forget() -> None:
    """Drop what this module remembers of a library and bank, so that it does not stay in
    memory while MkDocs builds the site."""
    _ORDERS.clear()
    _CLAUSE_ENTRIES.clear()
    _UNIT_INDEXES.clear()
    _VERSIONS.clear()


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


_VERSIONS: list[tuple[Library, Bank, str]] = []


def bank_version(library: Library, bank: Bank) -> str:
    """Content hash of what an attempt is scored on: questions, answers and quoted clauses."""
    if _VERSIONS and _VERSIONS[0][0] is library and _VERSIONS[0][1] is bank:
        return _VERSIONS[0][2]
    version = _bank_version(library, bank)
    _VERSIONS[:] = [(library, bank, version)]
    return version


def _bank_version(library: Library, bank: Bank) -> str:
    """sha256 of json.dumps({"questions": [...], "clauses": {...}, "revisions": {...}},
    sort_keys=True, ensure_ascii=False), fed one question at a time so that a large bank is
    never held in memory as one payload and one string."""
    def dumps(value: Any) -> bytes:
        return json.dumps(value, sort_keys=True, ensure_ascii=False).encode()

    questions = bank.questions
    digest = hashlib.sha256(b'{"clauses": ')
    digest.update(dumps({c: clause_entry(library, c) for q in questions for c in q.clauses}))
    digest.update(b', "questions": [')
    for index, question in enumerate(questions):
        if index:
            digest.update(b", ")
        digest.update(dumps(question_data(question)))
    digest.update(b'], "revisions": ')
    digest.update(dumps(order_revisions(library, questions)))
    digest.update(b"}")
    return digest.hexdigest()[:16]


def quiz_data(library: Library, quiz: Quiz, version: str) -> dict[str, Any]:
    citations = dict.fromkeys(c for q in quiz.questions for c in q.clauses)
    return {
        "format": 1,
        "version": version,
        "quiz": {"id": quiz.id, "title": quiz.title, "mode": quiz.mode, "draw": quiz.draw, "pass_mark": quiz.pass_mark},
        "questions": [question_data(q) for q in quiz.questions],
        "clauses": {c: clause_entry(library, c) for c in citations},
    }


def data_key(quiz: Quiz) -> str:
    return quiz.data or quiz.id


def quiz_header(quiz: Quiz, digest: str) -> dict[str, Any]:
    """What a quiz page carries when its questions are in a data file: the quiz's settings, no
    questions yet, where they are (relative to the page, in training/) and the digest of the
    questions it was written with. The bank's version comes with the questions, from the data
    file, so a change elsewhere in the bank changes the data files but not this page."""
    return {
        "format": 1,
        "quiz": {"id": quiz.id, "title": quiz.title, "mode": quiz.mode, "draw": quiz.draw, "pass_mark": quiz.pass_mark},
        "questions": [],
        "clauses": {},
        "load": {"src": f"../{DATA_FOLDER}/{data_key(quiz)}.js", "key": data_key(quiz), "digest": digest},
    }


def data_digest(questions: list[Any], clauses: dict[str, Any]) -> str:
    """Content hash of a data file's questions and quoted clauses: a page and a data file of
    different builds are told apart by it."""
    payload = json.dumps({"questions": questions, "clauses": clauses}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def data_script(key: str, data: Any) -> str:
    """A data file: a script that files `data` under `key` in window.RollcallQuizData."""
    return ("(window.RollcallQuizData = window.RollcallQuizData || {})[" + json.dumps(key) + "] = "
            + json_for_script(data) + ";\n")


def write_quiz_pages(library: Library, bank: Bank, folder: Path, pages: "PageRenderer") -> list[Quiz]:
    """Write training/<quiz>.md for every quiz, with its data inline (small banks) or in a data
    file per module under docs/assets/quizzes/ (large ones); return the quizzes."""
    version = bank_version(library, bank)
    all_quizzes = quizzes(bank)
    inline = len(bank.modules) <= INLINE_MODULES_MAX
    data_folder = folder.parent / DATA_FOLDER
    written: dict[str, str] = {}  # data file key -> digest
    for quiz in all_quizzes:
        if inline:
            page_data = quiz_data(library, quiz, version)
        else:
            key = data_key(quiz)
            if key not in written:
                full = quiz_data(library, quiz, version)
                data_folder.mkdir(parents=True, exist_ok=True)
                digest = data_digest(full["questions"], full["clauses"])
                shared = {"version": version, "digest": digest, "questions": full["questions"], "clauses": full["clauses"]}
                (data_folder / f"{key}.js").write_text(data_script(key, shared), encoding="utf-8")
                written[key] = digest
            page_data = quiz_header(quiz, written[key])
        (folder / f"{quiz.id}.md").write_text(pages.quiz_page(quiz, json_for_script(page_data)), encoding="utf-8")
    return all_quizzes


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
        order = order_by_number(library, number)
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
