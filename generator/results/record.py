"""Attempt records (format rollcall-attempt/1): read files, check shape, re-score.

generator/schemas/attempt.schema.json documents the format; `record_problem` checks the same
rules by hand because it runs on every record of an import (100,000 at a time), where a
general JSON Schema validator would dominate the import. tests/results/test_record.py keeps the
two in agreement.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..score import score_attempt

FORMAT = "rollcall-attempt/1"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_VERSION = re.compile(r"^[0-9a-f]{16}$")
_KEYS = {"format", "attempt_id", "employee", "quiz", "version", "started", "finished", "questions", "responses", "score", "site"}
_REQUIRED = _KEYS - {"site"}


@dataclass(frozen=True)
class Source:
    """Where a record came from: a file, and the line for .jsonl files."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Rejected:
    source: Source
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def _is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def record_problem(record: Any) -> str | None:
    """What is wrong with the record's shape, or None. Mirrors attempt.schema.json."""
    if not isinstance(record, dict):
        return "not an attempt record (expected a JSON object)"
    missing = sorted(_REQUIRED - record.keys())
    if missing:
        return f"missing field(s): {', '.join(missing)}"
    unknown = sorted(record.keys() - _KEYS)
    if unknown:
        return f"unknown field(s): {', '.join(unknown)}"
    if record["format"] != FORMAT:
        return f"format {record['format']!r} is not {FORMAT!r}"
    if not isinstance(record["attempt_id"], str) or not _UUID.match(record["attempt_id"]):
        return "attempt_id is not a UUID"
    employee = record["employee"]
    if not isinstance(employee, dict) or set(employee) != {"name", "id"}:
        return "employee must have exactly name and id"
    for key, limit in (("name", 200), ("id", 64)):
        if not isinstance(employee[key], str) or not 1 <= len(employee[key]) <= limit:
            return f"employee.{key} must be text of 1 to {limit} characters"
    quiz = record["quiz"]
    if not isinstance(quiz, dict) or set(quiz) != {"id", "title", "pass_mark"}:
        return "quiz must have exactly id, title and pass_mark"
    if not isinstance(quiz["id"], str) or not quiz["id"] or not isinstance(quiz["title"], str):
        return "quiz.id and quiz.title must be text"
    if not _number(quiz["pass_mark"]) or not 0 <= quiz["pass_mark"] <= 100:
        return "quiz.pass_mark must be a number from 0 to 100"
    if not isinstance(record["version"], str) or not _VERSION.match(record["version"]):
        return "version is not a 16-digit content hash"
    for key in ("started", "finished"):
        if not _is_time(record[key]):
            return f"{key} is not a date-time"
    questions = record["questions"]
    if not isinstance(questions, list) or not questions or not all(isinstance(q, str) for q in questions):
        return "questions must be a non-empty list of question ids"
    responses = record["responses"]
    if not isinstance(responses, dict) or not all(
        isinstance(v, list) and all(isinstance(o, str) for o in v) for v in responses.values()
    ):
        return "responses must map question ids to lists of option ids"
    score = record["score"]
    if not isinstance(score, dict) or set(score) != {"total", "max", "percent", "passed"}:
        return "score must have exactly total, max, percent and passed"
    if not (_number(score["total"]) and score["total"] >= 0):
        return "score.total must be a number of at least 0"
    if not (isinstance(score["max"], int) and not isinstance(score["max"], bool) and score["max"] >= 1):
        return "score.max must be a whole number of at least 1"
    if not (_number(score["percent"]) and 0 <= score["percent"] <= 100) or not isinstance(score["passed"], bool):
        return "score.percent must be 0 to 100 and score.passed true or false"
    if "site" in record and not isinstance(record["site"], str):
        return "site must be text"
    return None


def read_records(path: Path, display: str) -> Iterator[tuple[Source, Any] | Rejected]:
    """Records in a .json file (one record, or a list of them) or a .jsonl file (one a line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield Rejected(Source(display), f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        return
    if path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield Source(display, number), json.loads(line)
            except ValueError as exc:
                yield Rejected(Source(display, number), f"not valid JSON ({exc.msg})")
        return
    try:
        data = json.loads(text)
    except ValueError as exc:
        yield Rejected(Source(display), f"not valid JSON ({exc.msg} at line {exc.lineno})")
        return
    if isinstance(data, list):
        for index, record in enumerate(data, start=1):
            yield Source(display, index), record
    else:
        yield Source(display), data


def record_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl") and p.is_file())
        else:
            yield path


@dataclass(frozen=True)
class Rescored:
    percent: float
    total: float
    passed: bool
    scores: dict[str, float]
    tampered: bool


def rescore(record: dict[str, Any], key: dict[str, Any]) -> Rescored | str:
    """Score the record's responses against the answer key of its version; a string says why not."""
    quiz = key["quizzes"].get(record["quiz"]["id"])
    if quiz is None:
        return f"quiz {record['quiz']['id']!r} is not in version {key['version']}"
    questions = []
    answers = key["questions"]
    for qid in record["questions"]:
        entry = answers.get(qid)
        if entry is None:
            return f"question {qid!r} is not in version {key['version']}"
        questions.append({"id": qid, "kind": entry["kind"], "answer": entry["answer"]})
    if len(set(record["questions"])) != len(record["questions"]):
        return "a question appears twice"
    extra = set(record["responses"]) - set(record["questions"])
    if extra:
        return f"responses to questions that were not asked: {', '.join(sorted(extra))}"
    result = score_attempt(questions, record["responses"], quiz["pass_mark"])
    stored = record["score"]
    tampered = (
        abs(stored["percent"] - result["percent"]) > 0.005
        or stored["passed"] != result["passed"]
        or abs(stored["total"] - result["total"]) > 1e-6
        or stored["max"] != result["max"]
        or record["quiz"]["pass_mark"] != quiz["pass_mark"]
    )
    return Rescored(result["percent"], result["total"], result["passed"], result["scores"], tampered)
