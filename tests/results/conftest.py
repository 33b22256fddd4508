"""A small answer key and records made to measure, so every number in a test can be checked by hand."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any, Callable

import pytest

VERSION = "0123456789abcdef"
KEY = {
    "format": "rollcall-answer-key/1",
    "version": VERSION,
    "quizzes": {"photos": {"title": "Photos quiz", "pass_mark": 80.0, "draw": 3},
                "final": {"title": "Final test", "pass_mark": 50.0, "draw": 3}},
    "questions": {
        "m/a/verdict": {"kind": "verdict", "answer": ["prohibited"], "clauses": ["418.05.E"]},
        "m/b/select_all": {"kind": "select_all", "answer": ["o1", "o2"], "clauses": ["418.05.E", "418.05.F"]},
        "m/c/clause": {"kind": "clause", "answer": ["418.05.H"], "clauses": ["418.05.H"]},
    },
}
RIGHT = {"m/a/verdict": ["prohibited"], "m/b/select_all": ["o1", "o2"], "m/c/clause": ["418.05.H"]}


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "answer-keys"
    folder.mkdir()
    (folder / f"{VERSION}.json").write_text(json.dumps(KEY))
    return folder


def make_record(employee: tuple[str, str], responses: dict[str, list[str]], *, quiz: str = "photos",
                finished: str = "2026-11-20T10:05:00Z", claimed: dict[str, Any] | None = None,
                attempt_id: str | None = None) -> dict[str, Any]:
    """A record as the browser writes it, its stored score computed honestly unless `claimed`."""
    from generator.score import score_attempt

    questions = list(KEY["questions"])
    answer_key = [{"id": q, **KEY["questions"][q]} for q in questions]
    result = score_attempt(answer_key, responses, KEY["quizzes"][quiz]["pass_mark"])
    score = {k: result[k] for k in ("total", "max", "percent", "passed")}
    score.update(claimed or {})
    return {
        "format": "rollcall-attempt/1",
        "attempt_id": attempt_id or str(uuid.uuid4()),
        "employee": {"name": employee[1], "id": employee[0]},
        "quiz": {"id": quiz, "title": KEY["quizzes"][quiz]["title"], "pass_mark": KEY["quizzes"][quiz]["pass_mark"]},
        "version": VERSION,
        "started": finished.replace("10:05", "10:00"),
        "finished": finished,
        "questions": questions,
        "responses": copy.deepcopy(responses),
        "score": score,
    }


@pytest.fixture
def record() -> Callable[..., dict[str, Any]]:
    return make_record
