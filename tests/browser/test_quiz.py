"""Quizzes in headless Chromium: practice feedback, a scored attempt end to end, keyboard use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.score import score_attempt


def quiz_data(page) -> dict:
    return json.loads(page.text_content("[data-rollcall='quiz-data']"))


def current_question(page, data: dict) -> dict:
    qid = page.get_attribute(".rc-question", "data-question-id")
    return next(q for q in data["questions"] if q["id"] == qid)


def choose(page, option_ids: list[str]) -> None:
    for oid in option_ids:
        page.check(f".rc-question input[value='{oid}']")


def wrong_option(question: dict) -> str:
    return next(o["id"] for o in question["options"] if o["id"] not in question["answer"])


def identify(page, name: str = "Dana Ruiz", employee_id: str = "TP-4711") -> None:
    """A scored quiz first asks who is taking it (unless this browser remembers); fill it in."""
    page.wait_for_selector("[data-rollcall='identity'], [data-rollcall='identity-known']")
    if page.locator("[data-rollcall='identity']").count():
        page.fill("[data-rollcall='identity-name']", name)
        page.fill("[data-rollcall='identity-id']", employee_id)


def test_practice_wrong_answer_explains_and_quotes_the_clause(page, site_url):
    page.goto(site_url + "training/off-duty-practice.html")
    page.wait_for_selector("[data-rollcall='quiz'][data-ready='true'] .rc-question")
    data = quiz_data(page)
    question = current_question(page, data)
    choose(page, [wrong_option(question)])
    page.click("[data-rollcall='check']")
    feedback = page.locator("[data-rollcall='feedback']")
    assert feedback.locator(".rc-feedback-verdict").text_content() in ("Wrong.", "Not right: 0 points.")
    clause = data["clauses"][question["clauses"][0]]
    quote = feedback.locator("figure.rc-quote").first
    assert quote.locator("blockquote p").first.text_content() == clause["quote"][0]
    link = quote.locator("a.rc-quote-link")
    assert link.get_attribute("href").endswith(f"orders/418.html#{question['clauses'][0]}")
    assert question["explanation"] in feedback.text_content()
    page.wait_for_function("() => document.querySelector(\"[data-rollcall='quiz-status']\")?.textContent.length > 0")
    assert page.text_content("[data-rollcall='quiz-status']").startswith(("Wrong.", "Not right"))
    link.click()
    page.wait_for_url(f"**/orders/418.html#{question['clauses'][0]}")


def test_practice_right_answer_says_correct_and_moves_on(page, site_url):
    page.goto(site_url + "training/on-duty-practice.html")
    page.wait_for_selector(".rc-question")
    data = quiz_data(page)
    question = current_question(page, data)
    choose(page, question["answer"])
    page.click("[data-rollcall='check']")
    assert page.text_content(".rc-feedback-verdict") == "Correct."
    page.click("[data-rollcall='next']")
    assert page.text_content(".rc-question-heading") == f"Question 2 of {len(data['questions'])}"
    assert page.evaluate("() => document.activeElement.classList.contains('rc-question-heading')")


def _take_scored_quiz(page, miss: int) -> tuple[dict, dict, list[str]]:
    """Answer every drawn question, getting `miss` of them wrong; return data, responses, order."""
    data = quiz_data(page)
    identify(page)
    page.click("[data-rollcall='start']")
    responses: dict[str, list[str]] = {}
    drawn = []
    for index in range(data["quiz"]["draw"]):
        question = current_question(page, data)
        drawn.append(question["id"])
        shown = page.eval_on_selector_all(".rc-question input", "els => els.map(e => e.value)")
        assert sorted(shown) == sorted(o["id"] for o in question["options"])
        answer = [wrong_option(question)] if index < miss else question["answer"]
        choose(page, answer)
        responses[question["id"]] = answer
        last = index == data["quiz"]["draw"] - 1
        page.click("[data-rollcall='review']" if last else "[data-rollcall='next']")
    return data, responses, drawn


def test_scored_quiz_draws_reviews_submits_and_scores_like_python(page, site_url):
    page.goto(site_url + "training/off-duty.html")
    page.wait_for_selector("[data-rollcall='start']")
    data, responses, drawn = _take_scored_quiz(page, miss=2)
    assert len(set(drawn)) == data["quiz"]["draw"] == 8
    assert page.text_content(".rc-question-heading") == "Review your answers before you submit"
    assert page.locator(".rc-review-list > li").count() == 8
    page.click("[data-rollcall='submit']")
    result = page.locator("[data-rollcall='quiz-result']")
    questions = [q for q in data["questions"] if q["id"] in drawn]
    expected = score_attempt(questions, responses, data["quiz"]["pass_mark"])
    assert float(result.get_attribute("data-percent")) == expected["percent"]
    assert result.get_attribute("data-passed") == str(expected["passed"]).lower()
    assert expected["percent"] == 75.0 and not expected["passed"]
    assert result.text_content() == "You scored 75% (6 of 8). Not passed: the pass mark is 80%."
    assert page.locator(".rc-result-list figure.rc-quote").count() >= 8
    assert page.locator(".rc-result-list .rc-wrong").count() == 2


def test_unanswered_questions_are_flagged_before_submit(page, site_url):
    page.goto(site_url + "training/confidential.html")
    identify(page)
    page.click("[data-rollcall='start']")
    data = quiz_data(page)
    for _ in range(data["quiz"]["draw"] - 1):
        page.click("[data-rollcall='next']")
    page.click("[data-rollcall='review']")
    warning = page.text_content(".rc-warning")
    assert warning == f"{data['quiz']['draw']} questions are not answered and will score 0."
    page.click(".rc-change >> nth=0")
    assert page.text_content(".rc-question-heading") == f"Question 1 of {data['quiz']['draw']}"


def test_final_test_draws_from_every_module(page, site_url):
    page.goto(site_url + "training/final.html")
    data = quiz_data(page)
    modules = {q["id"].split("/")[0] for q in data["questions"]}
    assert modules == {"on-duty", "off-duty", "confidential", "definitions"}
    assert data["quiz"]["draw"] == 20


def test_scored_quiz_by_keyboard_alone(page, site_url):
    page.goto(site_url + "training/definitions.html")
    page.wait_for_selector("[data-rollcall='start']")
    identify(page)
    page.focus("[data-rollcall='start']")
    page.keyboard.press("Enter")
    data = quiz_data(page)
    for index in range(data["quiz"]["draw"]):
        question = current_question(page, data)
        # focus is on the question heading; Tab reaches the first option, arrows move within
        page.keyboard.press("Tab")
        target = question["answer"][0]
        for _ in range(len(question["options"])):
            focused = page.evaluate("() => document.activeElement.value")
            if focused == target:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        assert page.is_checked(f".rc-question input[value='{target}']")
        # Tab to the action button (Next or Review) and press it
        while page.evaluate("() => document.activeElement.tagName") != "BUTTON" or page.evaluate("() => document.activeElement.dataset.rollcall") == "previous":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    page.focus("[data-rollcall='submit']")
    page.keyboard.press("Enter")
    assert page.get_attribute("[data-rollcall='quiz-result']", "data-percent") == "100"


def test_quiz_works_from_a_file_share(page, built_site: Path):
    page.goto((built_site / "training" / "off-duty-practice.html").as_uri())
    page.wait_for_selector("[data-rollcall='quiz'][data-ready='true'] .rc-question")
    assert page.locator(".rc-option").count() >= 2


@pytest.mark.parametrize("quiz, miss, summary", [
    ("on-duty", 0, "You scored 100% (8 of 8). Passed: the pass mark is 80%."),
    ("confidential", 8, "You scored 0% (0 of 8). Not passed: the pass mark is 80%."),
])
def test_scored_quiz_all_right_passes_and_all_wrong_fails(page, site_url, quiz, miss, summary):
    page.goto(site_url + f"training/{quiz}.html")
    page.wait_for_selector("[data-rollcall='start']")
    _take_scored_quiz(page, miss=miss)
    page.click("[data-rollcall='submit']")
    result = page.locator("[data-rollcall='quiz-result']")
    assert result.text_content() == summary
    assert page.text_content(".rc-question-heading") == ("Passed" if miss == 0 else "Not passed")
    page.wait_for_function("s => document.querySelector(\"[data-rollcall='quiz-status']\")?.textContent === s", arg=summary)


def test_scored_quiz_announces_attempt_for_tracking(page, site_url):
    page.goto(site_url + "training/off-duty.html")
    page.evaluate("() => { window.__attempts = []; document.addEventListener('rollcall:attempt', e => window.__attempts.push(e.detail)); }")
    data, responses, drawn = _take_scored_quiz(page, miss=1)
    page.click("[data-rollcall='submit']")
    attempt = page.evaluate("() => window.__attempts[0]")
    assert attempt["quiz"] == "off-duty" and attempt["version"] == data["version"]
    assert attempt["questions"] == drawn
    assert {q: sorted(r) for q, r in attempt["responses"].items()} == {q: sorted(r) for q, r in responses.items()}
    assert attempt["score"]["percent"] == 87.5 and attempt["score"]["passed"] is True


def test_quiz_survives_back_and_forward_between_anchors_of_its_own_page(page, site_url):
    page.goto(site_url + "training/on-duty-practice.html")
    page.wait_for_selector(".rc-question")
    data = quiz_data(page)
    choose(page, current_question(page, data)["answer"])
    page.click("[data-rollcall='check']")
    page.click("[data-rollcall='next']")
    heading = f"Question 2 of {len(data['questions'])}"
    assert page.text_content(".rc-question-heading") == heading
    page.evaluate("() => { location.hash = 'top-of-quiz'; }")  # as a link to an anchor of the page does
    page.wait_for_function("() => location.hash === '#top-of-quiz'")
    page.go_back()
    page.wait_for_function("() => location.hash === ''")
    page.go_forward()
    page.wait_for_function("() => location.hash === '#top-of-quiz'")
    page.wait_for_timeout(300)  # Material would re-insert the page here
    assert page.text_content(".rc-question-heading") == heading
    assert "could not be read" not in page.text_content("article")
    choose(page, current_question(page, data)["answer"])
    page.click("[data-rollcall='check']")
    assert page.text_content(".rc-feedback-verdict") == "Correct."
    page.locator("[data-rollcall='feedback'] a.rc-quote-link").first.click()  # to another page
    page.wait_for_url("**/orders/418.html#*")
    page.wait_for_selector(".rc-copy")
    page.go_back()  # across pages: Material's instant navigation brings the quiz page back
    page.wait_for_url("**/training/on-duty-practice.html*")
    page.wait_for_selector("[data-rollcall='quiz'] .rc-question")
