"""Load the scenario bank and compile it against the clause rules into quiz questions.

The answer to every situation comes from the rules; a scenario's own `expect` is only checked
against them. Every operative clause (one with rules) must be covered by some question.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from .cache import Cache, read_through
from .cache import key as cache_key
from .errors import Problem, RollcallError
from .load import display_path
from .model import Clause, Item, Library, Module, Option, Order, Question, Scenario, Section, Source
from .rules import ConflictingRules, NoRuleApplies, Verdict, evaluate
from .validate import schema_problems
from .yamlsource import LocatedMap, parse_yaml, read_yaml

VERDICT_LABELS = {
    "permitted": "Permitted",
    "prohibited": "Prohibited",
    "permitted_with_authorization": "Permitted only with authorization",
    "required": "Required: the employee must act",
}

VERDICT_OPTIONS = {
    verdict: tuple(Option(v, label, v == verdict) for v, label in VERDICT_LABELS.items()) for verdict in VERDICT_LABELS
}
"""The options of a verdict question, by the right answer (shared: they never change)."""

FINAL_TEST_FILE = "final-test.yaml"


@dataclass(frozen=True)
class FinalTest:
    """The test across all modules (settings in scenarios/final-test.yaml, all optional)."""

    title: str = "Final test"
    questions: int = 20
    pass_mark: float = 80.0


@dataclass(frozen=True)
class Bank:
    """The compiled scenario bank."""

    modules: tuple[Module, ...]
    coverage: dict[str, tuple[str, ...]]
    """Citation of every operative unit -> ids of the questions that cover it."""
    definitions: dict[str, tuple[str, ...]]
    """Definition anchor -> ids of the definition questions about it."""
    final_test: FinalTest = FinalTest()

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for m in self.modules for q in m.questions)

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return tuple(s for m in self.modules for s in m.scenarios)


def scenario_files(root: Path) -> list[Path]:
    folder = root / "scenarios"
    return sorted(
        p for p in folder.rglob("*.y*ml")
        if p.is_file() and p.suffix in (".yaml", ".yml") and p.name != FINAL_TEST_FILE
    )


def load_final_test(root: Path) -> tuple[FinalTest, list[Problem]]:
    path = root / "scenarios" / FINAL_TEST_FILE
    if not path.exists():
        return FinalTest(), []
    name = display_path(path, root)
    try:
        document = read_yaml(path, name)
    except RollcallError as exc:
        return FinalTest(), list(exc.problems)
    problems = schema_problems(document, "final-test.schema.json", name)
    if problems:
        return FinalTest(), problems
    spec = document["final_test"]
    return FinalTest(spec.get("title", "Final test"), spec.get("questions", 20), float(spec.get("pass_mark", 80))), []


Compiled = tuple[str | None, int, Module | None, list[Problem]]
"""A module file compiled: (module id, line of the id, module or None, problems)."""


def module_entry(name: str, raw: bytes, library: Library, order_number: str | None) -> str:
    """The cache entry of a module file: a module is checked against its own order alone, so
    editing another order keeps it; a file whose order is unknown depends on every order."""
    order = library.order(order_number) if order_number else None
    if order is None or not order.source_key:
        return cache_key("scenarios", name, library.fingerprint, raw)
    return cache_key("scenarios", name, raw, order.number, order.source_key)


def _compile_text(raw: bytes, name: str, library: Library) -> Compiled:
    try:
        document = parse_yaml(raw.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        return None, 1, None, [Problem(name, 1, f"not UTF-8 text ({exc.reason})")]
    except RollcallError as exc:
        return None, 1, None, list(exc.problems)
    if not isinstance(document, LocatedMap):
        return None, 1, None, [Problem(name, 1, "expected a scenario module (a mapping with 'module', 'scenarios', 'questions')")]
    found = schema_problems(document, "scenarios.schema.json", name)
    if found:
        return None, 1, None, found
    module, problems = compile_module(document, name, library)
    return document["module"]["id"], document["module"].line_of("id"), module, problems


def _compile_many(files: list[Path], names: list[str], library: Library, root: Path) -> list[Compiled]:
    """Each file is read once; cached ones (same bytes, same order) are taken here, the rest
    compiled (in two processes when there are many) and cached under module_entry() of the
    order they name, with a pointer from the file's bytes to that order for the next lookup."""
    cache = Cache(root)

    def entry_for(name: str, raw: bytes) -> str:
        if not library.fingerprint:
            return ""
        order_number = cache.get("scenario-orders", cache_key("scenario-order", name, raw))
        return module_entry(name, raw, library, order_number if isinstance(order_number, str) else None)

    def store(name: str, raw: bytes, entry: str, result: Compiled) -> list:
        if not entry:
            return []
        module = result[2]
        rows = [("scenarios", module_entry(name, raw, library, module.order if module else None), result)]
        if module is not None:
            rows.append(("scenario-orders", cache_key("scenario-order", name, raw), module.order))
        return rows

    def cannot_read(name: str, reason: str) -> Compiled:
        return (None, 1, None, [Problem(name, 1, f"cannot read file: {reason}")])

    def compile_file(raw: bytes, name: str) -> Compiled:
        return _compile_text(raw, name, library)

    return [result for result, _ in read_through(root, "scenarios", files, names, entry_for, compile_file, cannot_read, store)]


def load_bank(root: Path, library: Library) -> Bank:
    problems: list[Problem] = []
    modules: list[Module] = []
    seen_modules: dict[str, str] = {}
    files = scenario_files(root)
    names = [display_path(path, root) for path in files]
    for name, (module_id, line, module, found) in zip(names, _compile_many(files, names, library, root)):
        if module_id is not None and module_id in seen_modules:
            problems.append(Problem(name, line, f"module.id: module '{module_id}' is already defined in {seen_modules[module_id]}"))
            continue
        if module_id is not None:
            seen_modules[module_id] = f"{name}:{line}"
        problems += found
        if module is not None:
            modules.append(module)
    modules.sort(key=lambda m: (m.position, m.id))
    final_test, found = load_final_test(root)
    problems += found
    total = sum(len(m.questions) for m in modules)
    if not (root / "scenarios" / FINAL_TEST_FILE).exists():
        final_test = replace(final_test, questions=min(final_test.questions, total))
    elif not found and final_test.questions > total and not problems:
        problems.append(Problem(display_path(root / "scenarios" / FINAL_TEST_FILE, root), 1,
                                f"final_test.questions: {final_test.questions} asked but the bank has only {total} questions"))
    coverage, definitions = {}, {}
    if not problems:
        coverage, definitions, uncovered = measure_coverage(library, modules)
        problems += uncovered
    if problems:
        raise RollcallError(problems)
    return Bank(tuple(modules), coverage, definitions, final_test)


def _stable_order(key: str, items: Iterable[Any], text=lambda x: str(x)) -> list[Any]:
    """The items shuffled by `key`, the same way every time (by the SHA-256 of key|text)."""
    prefix = f"{key}|".encode()
    sha256 = hashlib.sha256
    return sorted(items, key=lambda x: sha256(prefix + text(x).encode()).digest())


def _facts(mapping: LocatedMap) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(v)) for k, v in mapping.items())


def fact_problems(order: Order, facts: LocatedMap, where: str, file: str) -> list[Problem]:
    problems = []
    for name, value in facts.items():
        fact = order.fact(name)
        if fact is None:
            known = ", ".join(f.name for f in order.facts) or "none declared"
            problems.append(Problem(file, facts.line_of(name), f"{where}: unknown fact '{name}' (GO {order.number} facts: {known})"))
        elif not fact.allows(str(value)):
            allowed = ", ".join(v for v, _ in fact.values)
            problems.append(Problem(file, facts.line_of(name), f"{where}: '{value}' is not a value of fact '{name}' ({allowed})"))
    return problems


def decide(order: Order, facts: tuple[tuple[str, str], ...], where: str, file: str, line: int) -> tuple[Verdict | None, list[Problem]]:
    try:
        return evaluate(order.rules, dict(facts)), []
    except NoRuleApplies:
        return None, [Problem(file, line, f"{where}: no rule of GO {order.number} decides these facts (add a rule or change the facts)")]
    except ConflictingRules as exc:
        return None, [Problem(file, line, f"{where}: {exc}")]


def unit_title(unit: Section | Clause | Item) -> str:
    if isinstance(unit, Section):
        return unit.heading
    title = getattr(unit, "heading", None) or unit.label
    if title:
        return title
    words = unit.text.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def compile_module(document: LocatedMap, file: str, library: Library) -> tuple[Module | None, list[Problem]]:
    spec = document["module"]
    order = library.order(spec["order"])
    if order is None:
        known = ", ".join(o.number for o in library.orders)
        return None, [Problem(file, spec.line_of("order"), f"module.order: no order '{spec['order']}' (orders: {known})")]
    module_id = spec["id"]
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    questions: list[Question] = []
    ids: dict[str, int] = {}
    citations = {u.citation: u for u in order.units()}
    operative = [u for u in order.units() if u.rules]

    for raw in document.get("scenarios", []):
        where = f"scenario '{raw['id']}'"
        if raw["id"] in ids:
            problems.append(Problem(file, raw.line_of("id"), f"{where}: duplicate id (first at line {ids[raw['id']]})"))
            continue
        ids[raw["id"]] = raw.line_of("id")
        found = fact_problems(order, raw["facts"], where, file)
        expect = raw.get("expect") or {}
        if expect.get("clause") and expect["clause"] not in citations:
            found.append(Problem(file, expect.line_of("clause"), f"{where}: expect.clause: no clause '{expect['clause']}' in GO {order.number}"))
        if found:
            problems += found
            continue
        facts = _facts(raw["facts"])
        verdict, found = decide(order, facts, where, file, raw.line_of("facts"))
        if verdict is None:
            problems += found
            continue
        scenario = Scenario(
            id=raw["id"], module=module_id, name=raw["name"], situation=" ".join(raw["situation"].split()),
            facts=facts, source=Source(file, raw.line),
            expect_verdict=expect.get("verdict"), expect_clause=expect.get("clause"),
            ask=tuple(raw.get("ask", ("verdict",))), difficulty=raw.get("difficulty", 2), tags=tuple(raw.get("tags", ())),
            answer=("verdict", verdict.verdict, verdict.clauses, verdict.explanation),
        )
        mismatch = (scenario.expect_verdict and scenario.expect_verdict != verdict.verdict) or (
            scenario.expect_clause and scenario.expect_clause not in verdict.clauses
        )
        if mismatch:
            wanted = f"{scenario.expect_verdict or verdict.verdict} ({scenario.expect_clause or ', '.join(verdict.clauses)})"
            got = f"{verdict.verdict} ({', '.join(verdict.clauses)})"
            problems.append(Problem(file, raw.line_of("expect"), f"{where}: expects {wanted} but the rules give {got}"))
            continue
        scenarios.append(scenario)
        questions += scenario_questions(scenario, verdict, order, operative)

    for raw in document.get("questions", []):
        where = f"question '{raw['id']}'"
        if raw["id"] in ids:
            problems.append(Problem(file, raw.line_of("id"), f"{where}: duplicate id (first at line {ids[raw['id']]})"))
            continue
        ids[raw["id"]] = raw.line_of("id")
        question, found = authored_question(raw, module_id, order, citations, file)
        problems += found
        if question is not None:
            questions.append(question)

    quiz = spec.get("quiz") or {}
    module = Module(
        id=module_id, title=spec["title"], order=order.number, source=Source(file, spec.line),
        description=spec.get("description", ""), position=spec.get("position", 100),
        quiz_questions=quiz.get("questions", 10), pass_mark=float(quiz.get("pass_mark", 80)),
        scenarios=tuple(scenarios), questions=tuple(questions),
    )
    if not problems and module.quiz_questions > len(questions):
        problems.append(Problem(file, spec.line_of("quiz"), f"module.quiz.questions: {module.quiz_questions} asked but the module has only {len(questions)} questions"))
    return module, problems


def scenario_questions(scenario: Scenario, verdict: Verdict, order: Order, operative: list) -> list[Question]:
    clauses = verdict.clauses
    base = dict(module=scenario.module, clauses=clauses, explanation=verdict.explanation, source=scenario.source,
                situation=scenario.situation, difficulty=scenario.difficulty, tags=scenario.tags)
    questions = []
    for kind in scenario.ask:
        if kind == "verdict":
            options = VERDICT_OPTIONS[verdict.verdict]
            prompt = f"Under General Order {order.number}, what does the order say about this?"
        else:
            answer = clauses[0]
            others = [u for u in _stable_order(scenario.id, operative, lambda u: u.citation) if u.citation not in clauses][:3]
            chosen = [u for u in operative if u.citation == answer] + others
            options = tuple(Option(u.citation, f"{u.citation}: {unit_title(u)}", u.citation == answer) for u in sorted(chosen, key=lambda u: u.citation))
            prompt = f"Which provision of General Order {order.number} governs this situation?"
        questions.append(Question(id=f"{scenario.module}/{scenario.id}/{kind}", kind=kind, prompt=prompt, options=options, **base))
    return questions


def authored_question(raw: LocatedMap, module_id: str, order: Order, citations: dict, file: str) -> tuple[Question | None, list[Problem]]:
    where = f"question '{raw['id']}'"
    kind = raw["kind"]
    qid = f"{module_id}/{raw['id']}/{kind}"
    common = dict(module=module_id, source=Source(file, raw.line), difficulty=raw.get("difficulty", 2), tags=tuple(raw.get("tags", ())))
    if kind == "definition":
        term = raw.get("term")
        definition = next((d for d in order.definitions if term and d.term.lower() == term.lower()), None)
        if definition is None:
            terms = ", ".join(d.term for d in order.definitions)
            return None, [Problem(file, raw.line_of("term"), f"{where}: 'term' must name a term defined in GO {order.number} ({terms})")]
        others = [d for d in _stable_order(raw["id"], order.definitions, lambda d: d.term) if d is not definition][:3]
        options = tuple(Option(f"term-{d.anchor.rsplit('.', 1)[1]}", d.term, d is definition) for d in sorted([definition, *others], key=lambda d: d.term))
        prompt = raw.get("prompt") or f"In General Order {order.number}, which term is defined as: “{definition.text}”"
        explanation = f"{definition.term}: {definition.text}"
        return Question(id=qid, kind=kind, prompt=prompt, options=options, clauses=(definition.anchor,),
                        explanation=explanation, **common), []
    problems: list[Problem] = []
    if "prompt" not in raw or "options" not in raw:
        return None, [Problem(file, raw.line, f"{where}: a {kind} question needs 'prompt' and 'options'")]
    options, clauses, explanations = [], [], []
    for index, opt in enumerate(raw["options"]):
        oid = f"o{index + 1}"
        line = raw["options"].line_of(index)
        if "facts" in opt:
            if "target" not in raw:
                problems.append(Problem(file, line, f"{where}: options with facts need the question's 'target' verdict"))
                continue
            found = fact_problems(order, opt["facts"], f"{where} option {index + 1}", file)
            if found:
                problems += found
                continue
            verdict, found = decide(order, _facts(opt["facts"]), f"{where} option {index + 1}", file, line)
            if verdict is None:
                problems += found
                continue
            correct = verdict.verdict == raw["target"]
            if "correct" in opt and opt["correct"] != correct:
                problems.append(Problem(file, line, f"{where} option {index + 1}: marked correct: {opt['correct']} but the rules give {verdict.verdict} ({', '.join(verdict.clauses)})"))
                continue
            if correct:
                clauses += verdict.clauses
            options.append(Option(oid, opt["text"], correct, opt.get("explanation") or verdict.explanation))
        elif "correct" in opt:
            options.append(Option(oid, opt["text"], bool(opt["correct"]), opt.get("explanation", "")))
        else:
            problems.append(Problem(file, line, f"{where} option {index + 1}: needs 'facts' (answered by the rules) or 'correct'"))
    if problems:
        return None, problems
    if "clause" in raw:
        if raw["clause"] not in citations:
            return None, [Problem(file, raw.line_of("clause"), f"{where}: clause: no clause '{raw['clause']}' in GO {order.number}")]
        clauses = [raw["clause"], *clauses]
    right = sum(o.correct for o in options)
    if kind == "choice" and right != 1:
        return None, [Problem(file, raw.line_of("options"), f"{where}: a choice question needs exactly one correct option, it has {right}")]
    if kind == "select_all" and right < 1:
        return None, [Problem(file, raw.line_of("options"), f"{where}: a select_all question needs at least one correct option")]
    if not clauses:
        return None, [Problem(file, raw.line, f"{where}: name the governing 'clause' (no option's facts give one)")]
    explanation = " ".join(dict.fromkeys(o.explanation for o in options if o.correct and o.explanation))
    return Question(id=qid, kind=kind, prompt=raw["prompt"], options=tuple(options), clauses=tuple(dict.fromkeys(clauses)),
                    explanation=explanation, **common), []


def measure_coverage(library: Library, modules: list[Module]) -> tuple[dict, dict, list[Problem]]:
    coverage: dict[str, list[str]] = {}
    definitions: dict[str, list[str]] = {}
    problems = []
    trained = {m.order for m in modules}
    for order in library.orders:
        if order.number not in trained:
            continue
        for unit in order.units():
            if unit.rules:
                coverage[unit.citation] = []
        for d in order.definitions:
            definitions[d.anchor] = []
    for module in modules:
        for q in module.questions:
            for citation in q.clauses:
                if citation in coverage:
                    coverage[citation].append(q.id)
            if q.kind == "definition":
                order = library.order(module.order)
                term = next(o.text for o in q.options if o.correct)
                anchor = next(d.anchor for d in order.definitions if d.term == term)  # type: ignore[union-attr]
                definitions[anchor].append(q.id)
    for order in library.orders:
        for unit in order.units():
            if unit.citation in coverage and not coverage[unit.citation]:
                problems.append(Problem(unit.source.file, unit.source.line, f"{unit.citation} has clause rules but no scenario or question covers it"))
    return ({k: tuple(v) for k, v in coverage.items()}, {k: tuple(v) for k, v in definitions.items()}, problems)
