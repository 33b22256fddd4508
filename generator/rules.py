"""Evaluate a situation's facts against clause rules. Pure: values in, a Verdict out.

Every verdict names the rules (and so the clauses) that produced it. No applicable rule and
rules that disagree are errors, never a silent default.
"""

from __future__ import annotations

from functools import cached_property
from typing import Mapping, Sequence

from .model import Condition, Rule, immutable

Facts = Mapping[str, str]

RESTRICTIVENESS = ("permitted", "permitted_with_authorization", "prohibited")


class NoRuleApplies(Exception):
    """No rule decides the situation."""


class ConflictingRules(Exception):
    """Two rules give different verdicts for the same situation."""

    def __init__(self, findings: Sequence["Finding"]):
        self.findings = tuple(findings)
        described = "; ".join(f"{f.rule.clause} ({f.rule.id}) says {f.verdict}" for f in findings)
        super().__init__(f"rules disagree: {described}")


@immutable
class Finding:
    """What one applicable rule says about the situation, and why."""

    rule: Rule
    verdict: str
    explanation: str


@immutable
class Verdict:
    verdict: str
    findings: tuple[Finding, ...]

    @cached_property
    def clauses(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule.clause for f in self.findings))

    @cached_property
    def explanation(self) -> str:
        return " ".join(f.explanation for f in self.findings)


def holds(condition: Condition, facts: Facts) -> bool | None:
    """True when every fact named holds an accepted value; None when one is not stated."""
    unknown = False
    for name, accepted in condition:
        if name not in facts:
            unknown = True
        elif facts[name] not in accepted:
            return False
    return None if unknown else True


def finding(rule: Rule, facts: Facts) -> Finding:
    """What a rule whose `when` holds says about these facts: its verdict, or its exception's."""
    because = f"{rule.verdict.replace('_', ' ')} because {rule.because}"
    if not rule.unless:
        return Finding(rule, rule.verdict, f"{_capital(because)} ({rule.clause}).")
    exception = holds(rule.unless, facts)
    condition = rule.unless_because or "the exception applies"
    if exception is True:
        return Finding(rule, "permitted", f"Permitted because {condition}, although {rule.because} ({rule.clause}).")
    if exception is None:
        return Finding(rule, "permitted_with_authorization", f"Permitted only if {condition}: otherwise {because} ({rule.clause}).")
    return Finding(rule, rule.verdict, f"{_capital(because)}, and it is not the case that {condition} ({rule.clause}).")


def evaluate(rules: Sequence[Rule], facts: Facts) -> Verdict:
    """The verdict of every applicable rule; they must agree."""
    found = []
    for rule in rules:  # a rule applies when every fact its `when` names is stated with an accepted value
        for name, accepted in rule.when:
            if facts.get(name) not in accepted:
                break
        else:
            found.append(finding(rule, facts))
    if not found:
        raise NoRuleApplies("no rule applies to these facts")
    verdicts = {f.verdict for f in found}
    if len(verdicts) == 1:
        return Verdict(found[0].verdict, tuple(found))
    if "required" in verdicts:
        raise ConflictingRules(found)
    # Each clause is a separate constraint: an act is allowed only if every rule allows it.
    strictest = max(verdicts, key=RESTRICTIVENESS.index)
    return Verdict(strictest, tuple(f for f in found if f.verdict == strictest))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
