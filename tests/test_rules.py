"""Clause rules of General Order 418 evaluated on situations; each case a sentence.

Neighbouring cases differ in one fact (written vs verbal permission, on vs off duty).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.load import load_library
from generator.model import Rule, Source
from generator.rules import ConflictingRules, NoRuleApplies, evaluate
from tests.conftest import ROOT, bundled_order_text


@pytest.fixture(scope="module")
def rules():
    return load_library(ROOT).orders[0].rules


CASES = [
    ("A uniform photo posted with the Chief's written permission is permitted",
     {"act": "post_content", "duty": "off_duty", "content": "department_insignia", "permission": "written_chief_or_designee"},
     "permitted", ("418.05.E",)),
    ("A uniform photo posted with only verbal permission is prohibited by 418.05.E",
     {"act": "post_content", "duty": "off_duty", "content": "department_insignia", "permission": "verbal_chief_or_designee"},
     "prohibited", ("418.05.E",)),
    ("A uniform photo posted with a sergeant's permission is prohibited by 418.05.E",
     {"act": "post_content", "duty": "off_duty", "content": "department_insignia", "permission": "supervisor_only"},
     "prohibited", ("418.05.E",)),
    ("A uniform photo, permission not stated, is permitted only with authorization",
     {"act": "post_content", "duty": "off_duty", "content": "department_insignia"},
     "permitted_with_authorization", ("418.05.E",)),
    ("Checking Facebook for personal use on duty is prohibited by 418.04.D",
     {"act": "access_site", "duty": "on_duty", "purpose": "personal"},
     "prohibited", ("418.04.D",)),
    ("Using a site on duty for an investigation is permitted by 418.04.D",
     {"act": "access_site", "duty": "on_duty", "purpose": "official_business"},
     "permitted", ("418.04.D",)),
    ("Learning of a coworker's violating post requires notifying a supervisor (418.05.H)",
     {"act": "learn_of_violation", "duty": "off_duty"},
     "required", ("418.05.H",)),
    ("A crime-scene photo from a call is prohibited whoever permits it (418.05.F)",
     {"act": "post_content", "duty": "off_duty", "content": "on_duty_scene_photo", "permission": "written_chief_or_designee"},
     "prohibited", ("418.05.F",)),
    ("Personnel gossip posted without authorization is prohibited by 418.05.G.4",
     {"act": "post_content", "duty": "off_duty", "content": "personnel_issue", "permission": "none"},
     "prohibited", ("418.05.G.4",)),
    ("An ordinary off-duty post is permitted under 418.05",
     {"act": "post_content", "duty": "off_duty", "content": "nothing_restricted", "purpose": "personal"},
     "permitted", ("418.05",)),
    ("On duty, a uniform photo with written permission is still personal use on duty (418.04.D)",
     {"act": "post_content", "duty": "on_duty", "purpose": "personal", "content": "department_insignia", "permission": "written_chief_or_designee"},
     "prohibited", ("418.04.D",)),
    ("On duty, an off-the-clock style rant is prohibited twice over (418.04.D and 418.05.B)",
     {"act": "post_content", "duty": "on_duty", "purpose": "personal", "content": "negative_about_department"},
     "prohibited", ("418.04.D", "418.05.B")),
]


@pytest.mark.parametrize("name, facts, verdict, clauses", CASES, ids=[c[0] for c in CASES])
def test_rule_verdict(rules, name, facts, verdict, clauses):
    result = evaluate(rules, facts)
    assert (result.verdict, result.clauses) == (verdict, clauses)


def test_explanation_names_the_deciding_facts(rules):
    result = evaluate(rules, {"act": "post_content", "content": "department_insignia", "permission": "verbal_chief_or_designee"})
    assert result.explanation == (
        "Prohibited because the photo shows department uniforms, patches, badges, logos or vehicles, "
        "and it is not the case that the Chief or a designee granted permission in writing (418.05.E)."
    )


def test_situation_no_rule_decides_is_an_error_not_a_default(rules):
    with pytest.raises(NoRuleApplies):
        evaluate(rules, {"act": "moderate_official", "role": "employee", "task": "review_followers"})


def test_required_and_prohibited_together_is_a_conflict():
    src = Source("x.yaml", 1)
    a = Rule("a", "1.01.A", (("act", ("x",)),), "required", "a", src)
    b = Rule("b", "1.01.B", (("act", ("x",)),), "prohibited", "b", src)
    with pytest.raises(ConflictingRules, match=r"rules disagree: 1.01.A \(a\) says required; 1.01.B \(b\) says prohibited"):
        evaluate([a, b], {"act": "x"})


def test_rule_naming_an_unknown_fact_or_value_is_refused(make_project, capsys):
    text = bundled_order_text().replace(
        "when: {act: post_content, content: on_duty_scene_photo}", "when: {act: post_photo, colour: blue}"
    )
    project = make_project({"policy/go-418.yaml": text})
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "colour: blue" in l)
    assert f"policy/go-418.yaml:{line}: 418.05.F rule when: 'post_photo' is not a value of fact 'act' (post_content, access_site, identify_as_employee, post_official, moderate_official, learn_of_violation)" in err
    assert f"policy/go-418.yaml:{line}: 418.05.F rule when: unknown fact 'colour' (facts: act, duty, purpose, content, permission, coworker_consent, author_permission, role, task)" in err
