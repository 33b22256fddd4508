"""The scenario bank: answers come from the rules, and bad scenarios stop the build with file:line."""

from __future__ import annotations

import re

import pytest

from generator.cli import main
from generator.load import load_library
from generator.rules import evaluate
from generator.scenarios import load_bank
from tests.conftest import ROOT, bundled_order_text

MODULE_HEAD = """module:
  id: probe
  title: Probe
  order: "418"
  quiz: {questions: 1}
scenarios:
"""

UNIFORM = """  - id: uniform-verbal
    name: A uniform selfie with verbal permission violates 418.05.E
    situation: Off duty, an officer posts a selfie in uniform; the Chief said yes out loud.
    facts: {act: post_content, duty: off_duty, content: department_insignia, permission: verbal_chief_or_designee}
    expect: {verdict: prohibited, clause: 418.05.E}
"""


@pytest.fixture(scope="module")
def bank():
    library = load_library(ROOT)
    return library, load_bank(ROOT, library)


def test_bundled_bank_has_forty_scenarios_covering_every_operative_clause(bank):
    library, compiled = bank
    assert len(compiled.scenarios) >= 40
    operative = [u.citation for u in library.orders[0].units() if u.rules]
    assert set(compiled.coverage) == set(operative)
    assert all(compiled.coverage[c] for c in operative)
    assert all(compiled.definitions.values())


def test_every_scenario_answer_is_the_rule_engines(bank):
    library, compiled = bank
    rules = library.orders[0].rules
    questions = {q.id: q for q in compiled.questions}
    for scenario in compiled.scenarios:
        verdict = evaluate(rules, dict(scenario.facts))
        question = questions[f"{scenario.module}/{scenario.id}/verdict"] if "verdict" in scenario.ask else None
        if question:
            assert question.answer == (verdict.verdict,), scenario.id
            assert question.explanation == verdict.explanation
        if scenario.expect_verdict:
            assert scenario.expect_verdict == verdict.verdict


def test_bank_has_every_question_kind(bank):
    _, compiled = bank
    assert {q.kind for q in compiled.questions} == {"verdict", "clause", "choice", "select_all", "definition"}


def _project(make_project, scenarios: str, policy: str | None = None):
    return make_project({"policy/go-418.yaml": policy or bundled_order_text(), "scenarios/probe.yaml": scenarios})


def _errors(project, capsys) -> list[str]:
    assert main(["--root", str(project), "check"]) == 1
    return capsys.readouterr().err.splitlines()


def _line(text: str, needle: str) -> int:
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


def test_expected_answer_that_disagrees_with_rules_names_both(make_project, capsys):
    text = MODULE_HEAD + UNIFORM.replace("expect: {verdict: prohibited", "expect: {verdict: permitted")
    errors = _errors(_project(make_project, text), capsys)
    assert f"scenarios/probe.yaml:{_line(text, 'expect:')}: scenario 'uniform-verbal': expects permitted (418.05.E) but the rules give prohibited (418.05.E)" in errors


def test_scenario_citing_a_clause_that_does_not_exist(make_project, capsys):
    text = MODULE_HEAD + UNIFORM.replace("clause: 418.05.E", "clause: 418.05.Z")
    errors = _errors(_project(make_project, text), capsys)
    assert f"scenarios/probe.yaml:{_line(text, 'expect:')}: scenario 'uniform-verbal': expect.clause: no clause '418.05.Z' in GO 418" in errors


def test_scenario_no_rule_decides_is_an_error(make_project, capsys):
    text = MODULE_HEAD + UNIFORM.replace(
        "facts: {act: post_content, duty: off_duty, content: department_insignia, permission: verbal_chief_or_designee}",
        "facts: {act: moderate_official, role: employee}").replace("    expect: {verdict: prohibited, clause: 418.05.E}\n", "")
    errors = _errors(_project(make_project, text), capsys)
    assert f"scenarios/probe.yaml:{_line(text, 'facts:')}: scenario 'uniform-verbal': no rule of GO 418 decides these facts (add a rule or change the facts)" in errors


def test_scenario_with_unknown_fact_value_and_key(make_project, capsys):
    text = MODULE_HEAD + UNIFORM.replace("permission: verbal_chief_or_designee", "permission: nod_from_chief") + "    colour: blue\n"
    errors = _errors(_project(make_project, text), capsys)
    assert any(re.fullmatch(rf"scenarios/probe.yaml:{_line(text, 'colour')}: scenarios\[0\]\.colour: unknown key 'colour' \(known keys: .*\)", e) for e in errors)
    text = MODULE_HEAD + UNIFORM.replace("permission: verbal_chief_or_designee", "permission: nod_from_chief")
    errors = _errors(_project(make_project, text), capsys)
    assert f"scenarios/probe.yaml:{_line(text, 'facts:')}: scenario 'uniform-verbal': 'nod_from_chief' is not a value of fact 'permission' (written_chief_or_designee, verbal_chief_or_designee, supervisor_only, none)" in errors


def test_operative_clause_without_scenario_is_reported_at_the_clause(make_project, capsys):
    errors = _errors(_project(make_project, MODULE_HEAD + UNIFORM), capsys)
    policy = bundled_order_text()
    assert f"policy/go-418.yaml:{_line(policy, '      - letter: F')}: 418.05.F has clause rules but no scenario or question covers it" in errors
    assert not any("418.05.E has clause rules" in e for e in errors)


CHANGED_05E = ("unless: {permission: written_chief_or_designee}",
               "unless: {permission: [written_chief_or_designee, verbal_chief_or_designee]}")


def _bank_project(make_project, keep_expect: bool):
    project = make_project({"policy/go-418.yaml": bundled_order_text()})
    (project / "scenarios").mkdir(exist_ok=True)
    for path in (ROOT / "scenarios").glob("*.yaml"):
        text = path.read_text()
        if not keep_expect:
            text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("expect:")) + "\n"
        (project / "scenarios" / path.name).write_text(text)
    return project


def test_changed_rule_lists_questions_whose_answer_changes(make_project, capsys):
    project = _bank_project(make_project, keep_expect=False)
    assert main(["--root", str(project), "build"]) == 0
    capsys.readouterr()
    (project / "policy" / "go-418.yaml").write_text(bundled_order_text().replace(*CHANGED_05E))
    assert main(["--root", str(project), "check"]) == 0
    out = capsys.readouterr().out
    assert "Answers that change since the last build (site/):" in out
    assert "  off-duty/uniform-selfie-verbal-permission/verdict: prohibited -> permitted" in out.splitlines()


def test_changed_rule_against_stated_expectations_names_each_scenario(make_project, capsys):
    project = _bank_project(make_project, keep_expect=True)
    (project / "policy" / "go-418.yaml").write_text(bundled_order_text().replace(*CHANGED_05E))
    errors = _errors(project, capsys)
    assert any("scenario 'uniform-selfie-verbal-permission': expects prohibited (418.05.E) but the rules give permitted (418.05.E)" in e for e in errors)


def test_unchanged_rules_report_no_answer_changes(make_project, capsys):
    project = _bank_project(make_project, keep_expect=True)
    assert main(["--root", str(project), "build"]) == 0
    assert main(["--root", str(project), "check"]) == 0
    assert "No answer changes since the last build (site/)." in capsys.readouterr().out


def _full_project_with(make_project, probe: str):
    project = _bank_project(make_project, keep_expect=True)
    (project / "scenarios" / "probe.yaml").write_text(probe)
    return project


BAD_SCENARIOS = {
    "duplicate scenario id": (
        MODULE_HEAD + UNIFORM + UNIFORM,
        lambda t: f"scenarios/probe.yaml:{[i for i, l in enumerate(t.splitlines(), 1) if '- id: uniform-verbal' in l][1]}: "
                  f"scenario 'uniform-verbal': duplicate id (first at line {_line(t, '- id: uniform-verbal')})",
    ),
    "choice option never correct": (
        MODULE_HEAD + UNIFORM + """questions:
  - id: never-right
    kind: choice
    prompt: Which is prohibited?
    target: prohibited
    options:
      - text: Posting a photo of your dog
        facts: {act: post_content, duty: off_duty, content: nothing_restricted}
      - text: Reading the news off duty
        facts: {act: post_content, duty: off_duty, content: nothing_restricted}
""",
        lambda t: f"scenarios/probe.yaml:{_line(t, '    options:')}: question 'never-right': a choice question needs exactly one correct option, it has 0",
    ),
    "fact name no rule knows": (
        MODULE_HEAD + UNIFORM.replace("permission: verbal_chief_or_designee", "mood: cheerful"),
        lambda t: f"scenarios/probe.yaml:{_line(t, 'facts:')}: scenario 'uniform-verbal': unknown fact 'mood' "
                  "(GO 418 facts: act, duty, purpose, content, permission, coworker_consent, author_permission, role, task)",
    ),
    "quiz asks for more than its pool": (
        MODULE_HEAD.replace("quiz: {questions: 1}", "quiz: {questions: 5}") + UNIFORM,
        lambda t: f"scenarios/probe.yaml:{_line(t, 'quiz:')}: module.quiz.questions: 5 asked but the module has only 1 questions",
    ),
    "clause that does not exist": (
        MODULE_HEAD + UNIFORM.replace("clause: 418.05.E", "clause: 418.09.A"),
        lambda t: f"scenarios/probe.yaml:{_line(t, 'expect:')}: scenario 'uniform-verbal': expect.clause: no clause '418.09.A' in GO 418",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_SCENARIOS))
def test_bad_scenario_stops_the_build_and_keeps_the_old_site(kind, make_project, capsys):
    text, expected = BAD_SCENARIOS[kind]
    project = _full_project_with(make_project, text)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the previous site</p>")
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == expected(text)
    assert err[-1].startswith("rollcall: 1 problem found")
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "<p>the previous site</p>"


def test_scenario_text_is_escaped_in_the_quiz_page(make_project):
    hostile = UNIFORM.replace(
        "situation: Off duty, an officer posts a selfie in uniform; the Chief said yes out loud.",
        "situation: '</script><script>alert(1)</script> & <b>bold</b>'")
    project = _full_project_with(make_project, MODULE_HEAD + hostile)
    assert main(["--root", str(project), "build"]) == 0
    page = (project / "site" / "training" / "probe-practice.html").read_text()
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    assert "\\u003c/script>\\u003cscript>alert(1)\\u003c/script> \\u0026 \\u003cb>bold\\u003c/b>" in page


def test_final_test_asking_more_than_the_bank_holds(make_project, capsys):
    project = _bank_project(make_project, keep_expect=True)
    (project / "scenarios" / "final-test.yaml").write_text("final_test:\n  questions: 500\n  pass_mark: 90\n")
    errors = _errors(project, capsys)
    assert errors[0].startswith("scenarios/final-test.yaml:1: final_test.questions: 500 asked but the bank has only ")


def test_final_test_settings_reach_the_page(built_site):
    import json
    page = (built_site / "training" / "final.html").read_text()
    data = json.loads(page.split('data-rollcall="quiz-data">', 1)[1].split("</script>", 1)[0])
    assert data["quiz"] == {"id": "final", "title": "Final test", "mode": "scored", "draw": 20, "pass_mark": 80.0}
