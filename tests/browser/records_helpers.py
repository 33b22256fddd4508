"""Browser helpers shared by the record tests (test_records.py, test_ack.py): what the device
stores, and taking a scored quiz by mouse."""

from __future__ import annotations

import json

STORE = "rollcall.attempts.v1"
IDENTITY = "rollcall.identity.v1"


def quiz_data(page) -> dict:
    return json.loads(page.text_content("[data-rollcall='quiz-data']"))


def stored(page) -> list:
    raw = page.evaluate(f"() => localStorage.getItem('{STORE}')")
    return json.loads(raw) if raw else []


def identify(page, name: str = "Dana Ruiz", employee_id: str = "TP-4711") -> None:
    page.wait_for_selector("[data-rollcall='identity']")
    page.fill("[data-rollcall='identity-name']", name)
    page.fill("[data-rollcall='identity-id']", employee_id)
    page.click("[data-rollcall='start']")
    page.wait_for_selector(".rc-question")


def answer_all(page, miss: int = 0) -> tuple[dict, dict[str, list[str]]]:
    """Answer the drawn questions (the first `miss` wrong), review and submit."""
    data = quiz_data(page)
    responses: dict[str, list[str]] = {}
    for index in range(data["quiz"]["draw"]):
        qid = page.get_attribute(".rc-question", "data-question-id")
        question = next(q for q in data["questions"] if q["id"] == qid)
        answer = question["answer"] if index >= miss else [next(o["id"] for o in question["options"] if o["id"] not in question["answer"])]
        for oid in answer:
            page.check(f".rc-question input[value='{oid}']")
        responses[qid] = answer
        page.click("[data-rollcall='review']" if index == data["quiz"]["draw"] - 1 else "[data-rollcall='next']")
    page.click("[data-rollcall='submit']")
    page.wait_for_selector("[data-rollcall='record']")
    return data, responses
