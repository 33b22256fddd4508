"""Which training scenarios a revision affects: answers that change, and scenarios that quote a
changed clause."""

from __future__ import annotations

from dataclasses import dataclass

from .diff import OrderDiff
from .model import Order, Scenario
from .rules import ConflictingRules, NoRuleApplies, evaluate


@dataclass(frozen=True)
class Answer:
    verdict: str
    clauses: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.verdict.replace('_', ' ')} ({', '.join(self.clauses)})"


@dataclass(frozen=True)
class ScenarioImpact:
    scenario: Scenario
    before: Answer | None
    """The answer under the earlier revision's rules; None when they decide nothing."""
    after: Answer | None
    answer_changed: bool
    """False: the answer stands, but a clause it quotes was reworded (worth a review)."""

    @property
    def reason(self) -> str:
        if not self.answer_changed:
            return "answer unchanged; a clause it quotes changed"
        if self.before is None:
            return "the earlier revision's rules did not decide it"
        if self.before.verdict != (self.after.verdict if self.after else None):
            return "verdict changed"
        return "governing clause changed"


def answer(order: Order, facts: dict[str, str]) -> Answer | None:
    try:
        verdict = evaluate(order.rules, facts)
    except (NoRuleApplies, ConflictingRules):
        return None
    return Answer(verdict.verdict, verdict.clauses)


def scenario_impacts(diff: OrderDiff, scenarios: tuple[Scenario, ...]) -> list[ScenarioImpact]:
    """The scenarios on this order whose answer changed from `diff.old` to `diff.new`, then those
    whose answer stands but quotes a clause whose text changed. Needs the earlier revision's rules
    to compare answers; without them, only the second list can be made."""
    changed = diff.changed_citations
    impacts: list[ScenarioImpact] = []
    quoting: list[ScenarioImpact] = []
    for scenario in scenarios:
        facts = dict(scenario.facts)
        after = answer(diff.new, facts)
        if diff.rules_compared:
            before = answer(diff.old, facts)
            if before is not None:
                before = Answer(before.verdict, tuple(diff.moved_to.get(c, c) for c in before.clauses))
            if before != after:
                impacts.append(ScenarioImpact(scenario, before, after, True))
                continue
        else:
            before = None
        if after is not None and changed.intersection(after.clauses):
            quoting.append(ScenarioImpact(scenario, before if diff.rules_compared else None, after, False))
    return impacts + quoting
