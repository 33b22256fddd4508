""""Can I…?": the decision tree compiled from the clause rules agrees with the rule engine.

The build's own proof (generator/decide.py: verify_tree) runs the engine only where a fact can
still matter; here every combination of every fact the tree did not ask is run through the
engine by brute force, and the bank's scenarios are walked through the tree.
"""

from __future__ import annotations

import shutil

import copy
import itertools
import json
import re
from pathlib import Path

import pytest

from generator import decide
from generator.build import build_site
from generator.check import check_project
from generator.cli import main
from generator.errors import RollcallError
from generator.load import load_library
from generator.rules import NoRuleApplies, evaluate
from generator.scenarios import load_bank
from tests.conftest import ROOT, bundled_order_text


@pytest.fixture(scope="module")
def bundled():
    library = load_library(ROOT)
    bank = load_bank(ROOT, library)
    order = library.order("418")
    tree, proof = decide.compile_and_verify(order, bank.scenarios)
    return order, bank, tree, proof


def engine(rules, facts) -> tuple:
    try:
        verdict = evaluate(rules, facts)
    except NoRuleApplies:
        return ("no_rule",)
    return ("verdict", verdict.verdict, verdict.clauses, verdict.explanation)


def node_at(tree: dict, *answers: str) -> dict:
    node = tree["root"]
    for value in answers:
        node = next(o for o in node["options"] if o["value"] == value)["next"]
    return node


def rule_line(order, clause: str) -> str:
    rule = next(r for r in order.rules if r.clause == clause)
    return f"{rule.source.file}:{rule.source.line}"


# ------------------------------------------------------------------------- the bundled order

def test_every_fact_combination_gets_the_engines_answer_by_brute_force(bundled):
    """Each leaf, and every value (or unstated) of every fact its path did not ask: all rules."""
    order, _, tree, proof = bundled
    rules = order.rules
    combinations = 0
    for path, leaf in decide.leaves(tree["root"]):
        asked = {fact: option for fact, option in path}
        stated = {fact: o["value"] for fact, o in asked.items() if not o.get("unstated")}
        expected = ("no_rule",) if leaf.get("no_rule") else ("verdict", leaf["verdict"], tuple(leaf["clauses"]), leaf["explanation"])
        others = [f for f in order.facts if f.name not in asked]
        for combo in itertools.product(*[[*(v for v, _ in f.values), None] for f in others]):
            facts = dict(stated)
            facts.update((f.name, v) for f, v in zip(others, combo) if v is not None)
            combinations += 1
            assert engine(rules, facts) == expected, (facts, leaf)
    assert combinations == proof.combinations == 443475


def test_the_builds_own_proof_and_the_trees_size(bundled):
    order, bank, tree, proof = bundled
    assert decide.verify_tree(order, tree, bank.scenarios) == proof
    assert (proof.questions, proof.answers, proof.max_depth, proof.scenarios) == (35, 136, 5, len(bank.scenarios))
    assert proof.engine_runs == proof.answers  # every fact a rule in play reads is asked
    assert tree["root"]["fact"] == "act" and tree["root"]["question"] == "What are you about to do?"
    assert [(o["value"], o["label"]) for o in tree["root"]["options"]] == list(order.fact("act").values)


def test_only_exception_facts_can_be_left_unstated(bundled):
    order, _, tree, _ = bundled
    offered = set()

    def visit(node):
        if "fact" in node:
            if any(o.get("unstated") for o in node["options"]):
                offered.add(node["fact"])
            for option in node["options"]:
                visit(option["next"])

    visit(tree["root"])
    assert offered == {"permission", "coworker_consent", "author_permission"}
    unknown = node_at(tree, "post_content", "off_duty", "department_insignia", "unknown")
    assert unknown["verdict"] == "permitted_with_authorization"
    assert unknown["explanation"].startswith("Permitted only if the Chief or a designee granted permission in writing: otherwise prohibited")


def test_every_bank_scenario_reaches_its_engine_answer_within_four_answers(bundled):
    order, bank, tree, _ = bundled
    explanations = {q.id: q.explanation for q in bank.questions if q.kind == "verdict"}
    for scenario in bank.scenarios:
        facts = dict(scenario.facts)
        path, leaf, stopped = decide.walk(tree, facts)
        assert leaf is not None, (scenario.id, stopped)
        verdict = evaluate(order.rules, facts)
        assert (leaf["verdict"], tuple(leaf["clauses"]), leaf["explanation"]) == (verdict.verdict, verdict.clauses, verdict.explanation), scenario.id
        assert len(path) <= 4, (scenario.id, [f for f, _ in path])  # under five taps with the start
        # The quiz explains the same situation with the same words.
        question = explanations.get(f"{scenario.module}/{scenario.id}/verdict")
        if question is not None:
            assert question == leaf["explanation"]


def test_the_issues_example_paths(bundled):
    _, _, tree, _ = bundled
    uniform = node_at(tree, "post_content", "off_duty", "department_insignia", "verbal_chief_or_designee")
    assert uniform == {
        "verdict": "prohibited", "clauses": ["418.05.E"],
        "explanation": "Prohibited because the photo shows department uniforms, patches, badges, logos or vehicles, "
                       "and it is not the case that the Chief or a designee granted permission in writing (418.05.E).",
        "facts": {"act": "post_content", "duty": "off_duty", "content": "department_insignia", "permission": "verbal_chief_or_designee"},
    }
    assert node_at(tree, "access_site", "on_duty", "personal")["clauses"] == ["418.04.D"]
    assert node_at(tree, "learn_of_violation")["verdict"] == "required"
    assert node_at(tree, "moderate_official", "employee") == {"no_rule": True, "facts": {"act": "moderate_official", "role": "employee"}}


def test_check_reports_the_proof():
    text = check_project(ROOT)
    assert ("OK: Can I…? tree of 35 questions and 136 answers agrees with the rules on 443475 fact combinations "
            "and 60 scenarios (136 rule-engine runs;") in text


# ---------------------------------------------------------------------- caught disagreements

def test_a_flipped_verdict_is_caught_with_the_rules_line(bundled):
    order, bank, tree, _ = bundled
    bad = copy.deepcopy(tree)
    node_at(bad, "post_content", "off_duty", "department_insignia", "verbal_chief_or_designee")["verdict"] = "permitted"
    with pytest.raises(RollcallError) as caught:
        decide.verify_tree(order, bad, bank.scenarios)
    text = str(caught.value)
    assert f"{rule_line(order, '418.05.E')}: Can I…? GO 418: the answer for act=post_content, duty=off_duty, " \
           "content=department_insignia, permission=verbal_chief_or_designee says permitted (418.05.E) " \
           "but the rules give prohibited (418.05.E)" in text
    # The scenarios that walk into it are named too, at their own file:line.
    assert re.search(r"scenarios/off-duty\.yaml:\d+: scenario 'uniform-selfie-verbal-permission': the Can I…\? answer reached by "
                     r"act=post_content, duty=off_duty, content=department_insignia, permission=verbal_chief_or_designee "
                     r"says permitted \(418\.05\.E\) but the rules give prohibited \(418\.05\.E\)", text)


def test_an_answer_given_too_early_is_caught(bundled):
    """A question cut off: the leaf claims one answer for every permission, which the rules refute."""
    order, _, tree, _ = bundled
    bad = copy.deepcopy(tree)
    content = node_at(bad, "post_content", "off_duty")
    insignia = next(o for o in content["options"] if o["value"] == "department_insignia")
    insignia["next"] = {"verdict": "prohibited", "clauses": ["418.05.E"], "explanation": "Prohibited.",
                        "facts": {"act": "post_content", "duty": "off_duty", "content": "department_insignia"}}
    with pytest.raises(RollcallError) as caught:
        decide.verify_tree(order, bad)
    assert "the answer for act=post_content, duty=off_duty, content=department_insignia says prohibited (418.05.E) " \
           "but the rules give permitted (418.05.E) when also permission=written_chief_or_designee; the engine explains: " \
           "Permitted because the Chief or a designee granted permission in writing" in str(caught.value)


@pytest.mark.parametrize("corrupt, message", [
    (lambda t: t["root"]["options"].pop(), "the answers to 'act' are not exactly its declared values"),
    (lambda t: node_at(t, "access_site")["options"].append(
        {"value": "unknown", "label": "I don't know yet", "unstated": True, "next": {"no_rule": True, "facts": {"act": "access_site"}}}),
     "'duty' may not be left unstated"),
    (lambda t: node_at(t, "access_site").update(question="Where are you?"), "question for 'duty' is not the order's"),
    (lambda t: node_at(t, "identify_as_employee").update(explanation="Permitted."), "the rules give permitted (418.05.A)"),
    (lambda t: node_at(t, "learn_of_violation").update(facts={}), "lists facts {}"),
])
def test_a_corrupted_tree_is_caught(bundled, corrupt, message):
    order, _, tree, _ = bundled
    bad = copy.deepcopy(tree)
    corrupt(bad)
    with pytest.raises(RollcallError) as caught:
        decide.verify_tree(order, bad)
    assert message in str(caught.value)
    assert str(caught.value).startswith("policy/go-418.yaml:")


def test_a_compiler_that_settles_too_early_fails_the_build_and_keeps_the_old_site(make_project, monkeypatch, capsys):
    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    assert main(["--root", str(project), "build"]) == 0
    before = (project / "site" / "can-i.html").read_text(encoding="utf-8")

    def first_completion_only(order, rules, known, engine=None):  # wrong on purpose: ignores later completions
        facts = next(decide.completions(known, decide.open_facts(order, rules, known)))
        return decide.outcome(rules, facts)

    monkeypatch.setattr(decide, "_settled", first_completion_only)
    shutil.rmtree(project / ".rollcall-cache")  # the patched compiler is new code: nothing cached from the old one applies
    capsys.readouterr()
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^policy/go-418\.yaml:\d+: Can I…\? GO 418: the answer given before any question says prohibited \(418\.04\.D\) but the rules give .* when also act=", err, re.M)
    assert (project / "site" / "can-i.html").read_text(encoding="utf-8") == before


# --------------------------------------------------------------- projects the tree cannot serve

PROBE_ORDER = """number: "900"
title: Vehicles
effective: 2020-01-01
facts:
  act:
    question: What are you about to do?
    values: {park: Park a department vehicle at home, lend: Lend a department vehicle to a friend}
  duty:
    question: Are you on duty or off duty?
    values: {on_duty: On duty, off_duty: Off duty}
sections:
  - number: "01"
    heading: Vehicles
    clauses:
      - letter: A
        text: Employees may park department vehicles at home.
        rules:
          - when: {act: park}
            verdict: {A}
            because: employees may park department vehicles at home
      - letter: B
        text: On duty, vehicles stay at the station.
        rules:
          - when: {act: park, duty: on_duty}
            verdict: prohibited
            because: on duty the vehicle stays at the station
"""

PROBE_MODULE = """module: {id: vehicles, title: Vehicles, order: "900", quiz: {questions: 1}}
scenarios:
  - id: park-at-home
    name: Parking at home
    situation: An officer parks the car at home.
    facts: {act: park}
  - id: park-on-duty
    name: Parking at home on duty
    situation: An officer parks the car at home during a shift.
    facts: {act: park, duty: on_duty}
"""


def test_a_scenario_the_tree_cannot_reach_fails_the_check_at_its_line(make_project, capsys):
    """{act: park} alone is permitted by the rules, but the tree must ask duty (no "unstated"
    answer for a `when` fact), so the scenario's situation is not one the page can show."""
    project = make_project({"policy/go-900.yaml": PROBE_ORDER.replace("{A}", "permitted"), "scenarios/vehicles.yaml": PROBE_MODULE})
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert "scenarios/vehicles.yaml:3: scenario 'park-at-home': the Can I…? tree asks 'duty' (Are you on duty or off duty?), " \
           "which the scenario does not state, so its situation cannot be reached" in err


def test_rules_that_conflict_somewhere_in_the_fact_space_fail_the_build(make_project, capsys):
    project = make_project({"policy/go-900.yaml": PROBE_ORDER.replace("{A}", "required")})
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert "policy/go-900.yaml:18: Can I…? GO 900: the rules disagree when act=park, duty=on_duty: " \
           "900.01.A (policy/go-900.yaml:18) says required; 900.01.B (policy/go-900.yaml:24) says prohibited" in err
    assert not (project / "site").exists()


def test_an_order_without_facts_gets_no_page(make_project):
    project = make_project({"policy/go-1.yaml": 'number: "1"\ntitle: One\neffective: 2020-01-01\nsections:\n'
                                                '  - {number: "01", heading: Purpose, text: The purpose.}\n'})
    build_site(project, project / "site")
    assert not (project / "site" / "can-i.html").exists()
    assert "can-i.html" not in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Can I…?" not in check_project(project)


# -------------------------------------------------------------------------- the built page

def page_data(built_site: Path) -> dict:
    html = (built_site / "can-i.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" data-rollcall="can-i-data">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_page_carries_the_verified_tree_with_quotes_and_practice(built_site: Path, bundled):
    order, _, tree, _ = bundled
    data = page_data(built_site)
    [embedded] = data["trees"]
    assert embedded["order"] == "418" and embedded["root"]["fact"] == "act"
    decide.verify_tree(order, embedded)  # what the browser walks is what was proved
    clause = data["clauses"]["418.05.E"]
    assert clause["href"] == "orders/418.html#418.05.E"
    assert "Unless permission is granted in writing from the Chief or designee" in clause["quote"][0]
    uniform = node_at(embedded, "post_content", "off_duty", "department_insignia", "verbal_chief_or_designee")
    assert uniform["practice"][0] == "uniform-selfie-verbal-permission"  # the very situation first
    for _, leaf in decide.leaves(embedded["root"]):
        for sid in leaf.get("practice", []):
            ref = data["scenarios"][sid]
            assert (built_site / ref["href"]).exists()
    assert data["verdicts"]["required"] == "Required: you must act"


def test_entry_points_home_order_page_and_navigation(built_site: Path):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="can-i.html" data-rollcall="can-i-link">Can I…? Check a situation against the orders</a>' in home
    order_page = (built_site / "orders" / "418.html").read_text(encoding="utf-8")
    assert 'href="../can-i.html#order=418" data-rollcall="can-i-link">Can I…? Check a situation against this order</a>' in order_page
    assert order_page.index('data-rollcall="can-i-link"') < order_page.index('id="418.01"')
    nav = home.split('class="md-nav md-nav--primary"', 1)[1]
    titles = re.findall(r'<a href="[^"]*" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', nav)
    assert titles.index("Can I…?") == titles.index("Glossary") + 1
