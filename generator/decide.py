""""Can I…?": an order's clause rules compiled into a decision tree, and the proof that it agrees.

Pure: an Order (its facts and rules) in, a tree of plain dicts out, ready for JSON. The page
only walks the tree; every answer in it was computed here by the rule engine (rules.py).

A question node is `{"fact", "question", "options": [{"value", "label", "next"}]}`; an option
with `"unstated": true` leaves its fact unstated ("I don't know yet"). A leaf is
`{"verdict", "clauses", "explanation", "facts"}` or `{"no_rule": true, "facts"}`, where
`facts` are the facts stated on the way to it.

How the tree is built. At a node the known facts are those answered on the path (an answer
may be "unstated"). The rules still in play are those whose `when` no known fact contradicts;
the open facts are the facts those rules read (`when` and `unless`) that are not yet known.
The answer is settled when every completion of the open facts, each fact taking each of its
values or staying unstated, gives the same engine result (verdict, clauses and explanation,
or "no rule decides"); then the node is a leaf. Otherwise the node asks the first open fact in
the order's declaration order. Only a fact that appears in some rule's `unless` and in no
`when` gets the extra "I don't know yet" answer: in the engine an unstated exception gives
"permitted only with authorization", which is the honest answer before permission is sought;
an unstated `when` fact would only switch rules off.

Why completions of the open facts suffice (the lemma `verify_tree` rests on). The engine's
result is a function of each rule's finding; a finding reads only the facts its rule names; a
rule whose `when` is contradicted by a stated fact never applies, whatever else is stated. So
facts read by no rule still in play cannot change the result, and checking every completion of
the open facts checks every combination of all the facts the path did not ask.
tests/test_decide.py also checks the whole fact space by brute force.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from .errors import Problem, RollcallError
from .model import Fact, Order, Rule, Scenario
from .rules import ConflictingRules, NoRuleApplies, evaluate

UNSTATED = "unknown"
"""The answer token (in the tree and in page URLs) of "I don't know yet"; never a fact value."""

UNSTATED_LABEL = "I don't know yet"

ROOT_FACT = "act"
"""Asked first when the order declares it: what the employee is about to do."""

Outcome = tuple
"""("verdict", verdict, clauses, explanation) or ("no_rule",)."""

NO_RULE: Outcome = ("no_rule",)


def decidable(order: Order) -> bool:
    """An order gets a "Can I…?" tree when it declares facts and has clause rules."""
    return bool(order.facts) and bool(order.rules)


def unstated_token(fact: Fact) -> str:
    token = UNSTATED
    while fact.allows(token):
        token += "_"
    return token


def exception_only_facts(rules: Iterable[Rule]) -> set[str]:
    """Facts named in some rule's `unless` and in no rule's `when`: these may stay unstated."""
    rules = tuple(rules)
    in_when = {name for r in rules for name, _ in r.when}
    return {name for r in rules for name, _ in r.unless} - in_when


def outcome(rules: Sequence[Rule], facts: Mapping[str, str]) -> Outcome:
    """The engine's answer as a comparable value; conflicting rules propagate."""
    try:
        verdict = evaluate(rules, facts)
    except NoRuleApplies:
        return NO_RULE
    return ("verdict", verdict.verdict, verdict.clauses, verdict.explanation)


class Outcomes:
    """outcome() for one order, each result worked out once per (rules in play, facts): the
    compiler settles every leaf on the very completions that the proof then checks. Keep one
    only while the order's rules are alive (it knows them by identity)."""

    def __init__(self) -> None:
        self.seen: dict[tuple, Outcome] = {}

    def __call__(self, rules: Sequence[Rule], facts: Mapping[str, str]) -> Outcome:
        key = (tuple(map(id, rules)), frozenset(facts.items()))
        result = self.seen.get(key)
        if result is None:
            result = self.seen[key] = outcome(rules, facts)
        return result


def in_play(rules: Sequence[Rule], known: Mapping[str, str | None]) -> list[Rule]:
    """Rules whose `when` no known fact contradicts (a fact known to be unstated contradicts),
    in document order. The others cannot apply whatever else is stated, so the engine gives the
    same result on these alone."""
    playing = []
    for rule in rules:
        for name, accepted in rule.when:
            if name in known and known[name] not in accepted:
                break
        else:
            playing.append(rule)
    return playing


def open_facts(order: Order, rules: Sequence[Rule], known: Mapping[str, str | None]) -> list[Fact]:
    """The facts that `rules` (the rules in play) read and that are not known yet, in
    declaration order."""
    named = {name for rule in rules for name, _ in (*rule.when, *rule.unless)}
    return [f for f in order.facts if f.name in named and f.name not in known]


def completions(known: Mapping[str, str | None], facts: Sequence[Fact]) -> Iterator[dict[str, str]]:
    """The stated facts of every completion: each open fact takes each value or stays unstated."""
    base = {name: value for name, value in known.items() if value is not None}
    domains = [[*(v for v, _ in f.values), None] for f in facts]
    for combo in itertools.product(*domains):
        facts_now = dict(base)
        facts_now.update((f.name, v) for f, v in zip(facts, combo) if v is not None)
        yield facts_now


def describe(facts: Mapping[str, str | None]) -> str:
    return ", ".join(f"{k}={'(unstated)' if v is None else v}" for k, v in facts.items()) or "no facts"


def _conflict(order: Order, exc: ConflictingRules, facts: Mapping[str, str]) -> RollcallError:
    first = exc.findings[0].rule.source
    lines = "; ".join(f"{f.rule.clause} ({f.rule.source.file}:{f.rule.source.line}) says {f.verdict.replace('_', ' ')}" for f in exc.findings)
    return RollcallError.at(first.file, first.line, f"Can I…? GO {order.number}: the rules disagree when {describe(facts)}: {lines}")


def _settled(order: Order, rules: Sequence[Rule], known: Mapping[str, str | None], engine: Callable = outcome) -> Outcome | None:
    """The one outcome of every completion of the open facts, or None when they differ."""
    first: Outcome | None = None
    for facts in completions(known, open_facts(order, rules, known)):
        try:
            result = engine(rules, facts)
        except ConflictingRules as exc:
            raise _conflict(order, exc, facts) from None
        if first is None:
            first = result
        elif result != first:
            return None
    return first


def _leaf(result: Outcome, known: Mapping[str, str | None]) -> dict[str, Any]:
    stated = {k: v for k, v in known.items() if v is not None}
    if result == NO_RULE:
        return {"no_rule": True, "facts": stated}
    _, verdict, clauses, explanation = result
    return {"verdict": verdict, "clauses": list(clauses), "explanation": explanation, "facts": stated}


def compile_tree(order: Order, engine: Callable | None = None) -> dict[str, Any]:
    """The decision tree of one order: {"order", "title", "root"}. `engine` (an Outcomes) may
    be shared with the proof that follows."""
    may_stay_unstated = exception_only_facts(order.rules)
    engine = engine or Outcomes()

    def build(known: dict[str, str | None], parent_rules: Sequence[Rule]) -> dict[str, Any]:
        rules = in_play(parent_rules, known)
        result = _settled(order, rules, known, engine)
        if result is not None:
            return _leaf(result, known)
        candidates = open_facts(order, rules, known)
        fact = next((f for f in candidates if not known and f.name == ROOT_FACT), candidates[0])
        options = [{"value": value, "label": label, "next": build({**known, fact.name: value}, rules)} for value, label in fact.values]
        if fact.name in may_stay_unstated:
            options.append({"value": unstated_token(fact), "label": UNSTATED_LABEL, "unstated": True,
                            "next": build({**known, fact.name: None}, rules)})
        return {"fact": fact.name, "question": fact.question, "options": options}

    return {"order": order.number, "title": order.title, "root": build({}, order.rules)}


# ------------------------------------------------------------------------------- verification

@dataclass(frozen=True)
class Proof:
    """What `verify_tree` established."""

    questions: int
    answers: int
    combinations: int
    """Complete situations the tree answers, each fact a value or unstated, all agreeing with
    the rules: the engine's result on `engine_runs` of them was compared with the tree's (each
    result worked out once, by the compiler or the proof), and the rest differ from one of
    those only in facts that no rule still in play reads."""
    engine_runs: int
    scenarios: int
    max_depth: int
    """Most answers on any path from the first question to an answer."""


def leaves(node: Mapping[str, Any], path: tuple[tuple[str, Mapping[str, Any]], ...] = ()) -> Iterator[tuple[tuple[tuple[str, Mapping[str, Any]], ...], Mapping[str, Any]]]:
    """Every leaf with its path: ((fact, option), …)."""
    if "fact" not in node:
        yield path, node
        return
    for option in node["options"]:
        yield from leaves(option["next"], path + ((node["fact"], option),))


def walk(tree: Mapping[str, Any], facts: Mapping[str, str]) -> tuple[list[tuple[str, Mapping[str, Any]]], Mapping[str, Any] | None, str | None]:
    """Follow the tree with a situation's facts: (path, leaf, or None and the fact it stopped at).

    A fact the situation does not state takes the node's "unstated" answer; where there is none
    the walk stops."""
    node, path = tree["root"], []
    while "fact" in node:
        fact = node["fact"]
        if fact in facts:
            option = next((o for o in node["options"] if not o.get("unstated") and o["value"] == facts[fact]), None)
        else:
            option = next((o for o in node["options"] if o.get("unstated")), None)
        if option is None:
            return path, None, fact
        path.append((fact, option))
        node = option["next"]
    return path, node, None


def leaf_outcome(leaf: Mapping[str, Any]) -> Outcome:
    if leaf.get("no_rule"):
        return NO_RULE
    return ("verdict", leaf.get("verdict"), tuple(leaf.get("clauses") or ()), leaf.get("explanation"))


def show(result: Outcome) -> str:
    if result == NO_RULE:
        return "no rule decides"
    return f"{result[1].replace('_', ' ')} ({', '.join(result[2])})"


def _rule_source(order: Order, result: Outcome, fallback: Fact | None) -> tuple[str, int]:
    if result != NO_RULE:
        for rule in order.rules:
            if rule.clause in result[2]:
                return rule.source.file, rule.source.line
    source = fallback.source if fallback else order.source
    return source.file, source.line


def _structure_problems(order: Order, node: Any, asked: tuple[str, ...], may_stay_unstated: set[str]) -> Iterator[Problem]:
    where = f"Can I…? GO {order.number}, after {', '.join(asked) or 'no answers'}"
    src = order.source
    if not isinstance(node, Mapping):
        yield Problem(src.file, src.line, f"{where}: a node is not a mapping")
        return
    if "fact" not in node:
        if not node.get("no_rule") and not (isinstance(node.get("verdict"), str) and isinstance(node.get("clauses"), list)):
            yield Problem(src.file, src.line, f"{where}: a leaf has neither a verdict with clauses nor no_rule")
        return
    fact = order.fact(node["fact"])
    if fact is None:
        yield Problem(src.file, src.line, f"{where}: asks unknown fact '{node['fact']}'")
        return
    if fact.name in asked:
        yield Problem(fact.source.file, fact.source.line, f"{where}: asks '{fact.name}' twice")
        return
    if node.get("question") != fact.question:
        yield Problem(fact.source.file, fact.source.line, f"{where}: question for '{fact.name}' is not the order's: {node.get('question')!r}")
    options = node.get("options") or []
    plain = [o for o in options if not o.get("unstated")]
    unstated = [o for o in options if o.get("unstated")]
    if [(o.get("value"), o.get("label")) for o in plain] != list(fact.values):
        yield Problem(fact.source.file, fact.source.line, f"{where}: the answers to '{fact.name}' are not exactly its declared values and plain answers")
    allowed = 1 if fact.name in may_stay_unstated else 0
    if len(unstated) > allowed:
        yield Problem(fact.source.file, fact.source.line, f"{where}: '{fact.name}' may not be left unstated (a rule's `when` reads it)")
    elif unstated and fact.allows(str(unstated[0].get("value"))):
        yield Problem(fact.source.file, fact.source.line, f"{where}: the \"unstated\" answer to '{fact.name}' uses one of its values")
    for option in options:
        yield from _structure_problems(order, option.get("next"), asked + (fact.name,), may_stay_unstated)


def verify_tree(order: Order, tree: Mapping[str, Any], scenarios: Sequence[Scenario] = (), limit: int = 20) -> Proof:
    """Prove the tree gives the rule engine's answer everywhere; raise RollcallError if not.

    1. Shape: every question asks a declared fact once per path, with the order's question,
       exactly its declared values and plain answers, and "unstated" only for exception facts.
    2. Every leaf: for every combination of values (or unstated) of the facts the path did not
       ask that any rule still in play reads, the engine's result equals the leaf's (see the
       module docstring for why the other facts cannot matter).
    3. Every scenario of the bank: walking the tree with its facts reaches a leaf whose answer
       is the engine's answer on the scenario's facts.
    """
    proof, problems = _rules_proof(order, tree, limit)
    checked, more = _scenarios_proof(order, tree, scenarios) if len(problems) < limit else (0, [])
    if problems or more:
        raise RollcallError((problems + more)[:limit])
    return replace(proof, scenarios=checked)


def verify_rules(order: Order, tree: Mapping[str, Any], limit: int = 20, engine: Callable = outcome) -> Proof:
    """Steps 1 and 2 of verify_tree: the tree's shape and every leaf, against the rules alone
    (so the proof holds for any scenarios; its `scenarios` count is 0). `engine` may be the
    Outcomes the compiler used: it gives the engine's own results, each worked out once."""
    proof, problems = _rules_proof(order, tree, limit, engine)
    if problems:
        raise RollcallError(problems[:limit])
    return proof


def verify_scenarios(order: Order, tree: Mapping[str, Any], scenarios: Sequence[Scenario], limit: int = 20) -> int:
    """Step 3 of verify_tree: every scenario walks the tree to the engine's answer on its
    facts. Returns how many were checked; raises RollcallError if any does not."""
    checked, problems = _scenarios_proof(order, tree, scenarios)
    if problems:
        raise RollcallError(problems[:limit])
    return checked


def _rules_proof(order: Order, tree: Mapping[str, Any], limit: int, engine: Callable = outcome) -> tuple[Proof, list[Problem]]:
    may_stay_unstated = exception_only_facts(order.rules)
    problems = list(itertools.islice(_structure_problems(order, tree.get("root"), (), may_stay_unstated), limit))
    if problems:
        return Proof(0, 0, 0, 0, 0, 0), problems
    questions = answers = combinations = runs = depth = 0

    def count(node: Mapping[str, Any]) -> None:
        nonlocal questions
        if "fact" in node:
            questions += 1
            for option in node["options"]:
                count(option["next"])

    def with_rules(node: Mapping[str, Any], path: tuple, known: dict[str, str | None], parent_rules: Sequence[Rule]) -> Iterator[tuple]:
        """Every leaf with its path, its known facts and the rules in play there."""
        rules = in_play(parent_rules, known)
        if "fact" not in node:
            yield path, node, known, rules
            return
        for option in node["options"]:
            value = None if option.get("unstated") else option["value"]
            yield from with_rules(option["next"], path + ((node["fact"], option),), {**known, node["fact"]: value}, rules)

    count(tree["root"])
    for path, leaf, known, rules in with_rules(tree["root"], (), {}, order.rules):
        answers += 1
        depth = max(depth, len(path))
        stated = {k: v for k, v in known.items() if v is not None}
        claimed = leaf_outcome(leaf)
        if leaf.get("facts") != stated:
            problems.append(Problem(order.source.file, order.source.line, f"Can I…? GO {order.number}: the answer for {describe(known)} lists facts {leaf.get('facts')}"))
        combinations += math.prod(len(f.values) + 1 for f in order.facts if f.name not in known)
        for facts in completions(known, open_facts(order, rules, known)):
            runs += 1
            try:
                actual = engine(rules, facts)
            except ConflictingRules as exc:
                problems.append(_conflict(order, exc, facts).problems[0])
                break
            if actual != claimed:
                extra = {k: v for k, v in facts.items() if k not in known}
                file, line = _rule_source(order, actual if actual != NO_RULE else claimed, order.fact(path[-1][0]) if path else None)
                why = f" when also {describe(extra)}" if extra else ""
                detail = f"; the engine explains: {actual[3]}" if actual != NO_RULE and actual[3] != claimed[-1] else ""
                which = f"for {describe(known)}" if known else "given before any question"
                problems.append(Problem(file, line, f"Can I…? GO {order.number}: the answer {which} says "
                                                    f"{show(claimed)} but the rules give {show(actual)}{why}{detail}"))
                break
        if len(problems) >= limit:
            break
    return Proof(questions=questions, answers=answers, combinations=combinations, engine_runs=runs, scenarios=0, max_depth=depth), problems


def _scenarios_proof(order: Order, tree: Mapping[str, Any], scenarios: Sequence[Scenario]) -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    checked = 0
    for scenario in scenarios:
        facts = dict(scenario.facts)
        where = f"scenario '{scenario.id}'"
        path, leaf, stopped = walk(tree, facts)
        if leaf is None:
            fact = order.fact(stopped or "")
            question = f" ({fact.question})" if fact else ""
            problems.append(Problem(scenario.source.file, scenario.source.line,
                                    f"{where}: the Can I…? tree asks '{stopped}'{question}, which the scenario does not state, so its situation cannot be reached"))
            continue
        try:
            expected = scenario.answer or outcome(order.rules, facts)
        except ConflictingRules as exc:
            problems.append(Problem(scenario.source.file, scenario.source.line, f"{where}: {exc}"))
            continue
        if leaf_outcome(leaf) != expected:
            answers_given = ", ".join(f"{f}={o['value']}" for f, o in path)
            problems.append(Problem(scenario.source.file, scenario.source.line,
                                    f"{where}: the Can I…? answer reached by {answers_given} says {show(leaf_outcome(leaf))} "
                                    f"but the rules give {show(expected)} on the scenario's facts"))
            continue
        checked += 1
    return checked, problems


def tree_entry(order: Order) -> str:
    """The cache entry of an order's tree and proof: its facts and rules decide both, and its
    file (`source_key`, when it has one) decides those."""
    from .cache import key

    if order.source_key:
        return key("can-i", order.source_key)
    return key("can-i", repr(order.number), repr(order.facts), repr(order.rules))


def _proved(order: Order) -> tuple[dict[str, Any], Proof]:
    engine = Outcomes()
    tree = compile_tree(order, engine)
    return tree, verify_rules(order, tree, engine=engine)


def proof_rows(order: Order) -> list[tuple[str, str, Any]]:
    """The cache row of the order's tree and proof, as prove() keeps it: none when the order
    has no tree, or when the proof fails (prove() raises that later, where it is asked for)."""
    if not decidable(order):
        return []
    try:
        return [("can-i", tree_entry(order), _proved(order))]
    except RollcallError:
        return []


def prove(order: Order, cache_root: Any = None) -> tuple[dict[str, Any], Proof]:
    """The order's tree and its proof against the rules (verify_rules); with `cache_root`,
    reused while the order's facts and rules are unchanged (a failed proof raises and is not kept)."""
    from .cache import Cache

    cache = Cache(cache_root)
    entry = tree_entry(order)
    cached = cache.get("can-i", entry)
    if cached is not None:
        return cached
    result = _proved(order)
    cache.put("can-i", entry, result)
    return result


def compile_and_verify(order: Order, scenarios: Sequence[Scenario] = (), cache_root: Any = None) -> tuple[dict[str, Any], Proof]:
    """The order's tree and its whole proof (verify_tree), the tree and its proof against the
    rules from prove(). The scenarios' walks are not cached: 5,000 walks take about 30 ms, less
    than keying and looking up a cached count of them."""
    tree, proof = prove(order, cache_root)
    if not scenarios:
        return tree, proof
    return tree, replace(proof, scenarios=verify_scenarios(order, tree, scenarios))
