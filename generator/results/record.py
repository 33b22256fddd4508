"""Attempt records (format rollcall-attempt/1): decode, check shape, re-score.

Files handed in may also hold acknowledgement records (generator/results/acknowledgement.py),
told apart by their `format`; read_records yields both.

The record's shape is declared once here as msgspec Structs, which decode and validate each
record in one pass in C (an import reads 100,000 of them). generator/schemas/attempt.schema.json
publishes the same format; tests/results/test_import.py keeps the two in agreement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal, Union

import msgspec

from ..score import round_half_up
from .acknowledgement import FORMAT as ACKNOWLEDGEMENT, NOT_ACKNOWLEDGEMENT, Acknowledgement, parse_acknowledgement

FORMAT = "rollcall-attempt/1"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
VERSION = r"^[0-9a-f]{16}$"


class Employee(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class Quiz(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(min_length=1)]
    title: str
    pass_mark: Annotated[float, msgspec.Meta(ge=0, le=100)]


class Score(msgspec.Struct, forbid_unknown_fields=True):
    total: Annotated[float, msgspec.Meta(ge=0)]
    max: Annotated[int, msgspec.Meta(ge=1)]
    percent: Annotated[float, msgspec.Meta(ge=0, le=100)]
    passed: bool


class Record(msgspec.Struct, forbid_unknown_fields=True):
    format: Literal["rollcall-attempt/1"]
    attempt_id: Annotated[str, msgspec.Meta(pattern=UUID)]
    employee: Employee
    quiz: Quiz
    version: Annotated[str, msgspec.Meta(pattern=VERSION)]
    started: dt.datetime
    finished: dt.datetime
    questions: Annotated[list[str], msgspec.Meta(min_length=1)]
    responses: dict[str, list[str]]
    score: Score
    site: Union[str, None] = None


_decode_one = msgspec.json.Decoder(Record).decode
_decode_many = msgspec.json.Decoder(Union[Record, list[Record]]).decode
_convert = msgspec.convert


@dataclass(frozen=True)
class Source:
    """Where a record came from: a file, and the line (.jsonl) or position (a .json list)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Rejected:
    source: Source
    message: str
    kind: str = "attempt"
    """What was rejected, for the import summary: "attempt", or for acknowledgements
    "acknowledgement" (malformed), "revision" (unknown or forged revision) or "conflict"
    (a different acknowledgement already holds its id)."""

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def _message(exc: Exception) -> str:
    text = str(exc)
    if not isinstance(exc, msgspec.ValidationError):  # (a ValidationError is a DecodeError too)
        return f"not valid JSON ({text.removeprefix('JSON is malformed: ')})"
    return f"not an attempt record: {text}"


def parse_record(data: Any) -> Record | str:
    """A record from already-decoded JSON (e.g. built from LRS statements), or what is wrong."""
    try:
        return _convert(data, Record)
    except msgspec.ValidationError as exc:
        return _message(exc)


def _rejected(source: Source, message: str) -> Rejected:
    return Rejected(source, message, "acknowledgement" if message.startswith(NOT_ACKNOWLEDGEMENT) else "attempt")


def parse_any(data: Any) -> Record | Acknowledgement | str:
    """An attempt or an acknowledgement record, by its `format`, or what is wrong."""
    if isinstance(data, dict) and data.get("format") == ACKNOWLEDGEMENT:
        return parse_acknowledgement(data)
    return parse_record(data)


def _other_kind(raw: bytes, exc: msgspec.ValidationError) -> Record | Acknowledgement | str:
    """A line that is not an attempt: an acknowledgement, or the attempt's own error."""
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:  # pragma: no cover - it decoded as far as validation
        return _message(exc)
    if isinstance(data, dict) and data.get("format") == ACKNOWLEDGEMENT:
        return parse_acknowledgement(data)
    return _message(exc)


def read_records(path: Path, display: str) -> Iterator[tuple[Source, Record | Acknowledgement] | Rejected]:
    """Records in a .json file (one record, or a list of them) or a .jsonl file (one a line).
    Attempts are decoded and checked in one pass; anything else is looked at again for an
    acknowledgement, so mixing the two costs attempts nothing."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Rejected(Source(display), f"cannot read: {exc.strerror}")
        return
    if path.suffix == ".jsonl":
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield Source(display, number), _decode_one(line)
            except msgspec.ValidationError as exc:
                other = _other_kind(line, exc)
                yield _rejected(Source(display, number), other) if isinstance(other, str) else (Source(display, number), other)
            except msgspec.DecodeError as exc:
                yield Rejected(Source(display, number), _message(exc))
        return
    try:
        data = _decode_many(raw)
    except msgspec.ValidationError:  # (before DecodeError, its base class)
        # one bad record in a list must not hide the good ones, and an acknowledgement is not an
        # attempt: check them one by one
        try:
            items = msgspec.json.decode(raw)
        except msgspec.DecodeError as exc:  # pragma: no cover - decoded once already
            yield Rejected(Source(display), _message(exc))
            return
        if not isinstance(items, list):
            result = parse_any(items)
            yield _rejected(Source(display), result) if isinstance(result, str) else (Source(display), result)
            return
        for index, item in enumerate(items, start=1):
            result = parse_any(item)
            yield _rejected(Source(display, index), result) if isinstance(result, str) else (Source(display, index), result)
        return
    except msgspec.DecodeError as exc:
        yield Rejected(Source(display), _message(exc))
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


@dataclass(frozen=True, slots=True)
class Rescored:
    percent: float
    total: float
    passed: bool
    scores: list[float]
    """Score of each question, in the order asked."""
    tampered: bool
    positions: str = ""
    """The questions asked as positions in the answer key, comma-separated (how the store keeps them)."""
    marks: str = ""
    """The scores as the store keeps them: comma-separated, 1 and 0 written short."""
    chosen: list[list[str]] | None = None
    """The options chosen for each question, in the order asked."""


class KeyIndex:
    """An archived answer key prepared for scoring many records quickly."""

    def __init__(self, key: dict[str, Any]):
        self.version: str = key["version"]
        self.quizzes: dict[str, dict[str, Any]] = key["quizzes"]
        self.questions: dict[str, dict[str, Any]] = key["questions"]
        self.orders: dict[str, dict[str, Any]] | None = key.get("orders")
        """Order number -> the revision its quizzes were written on; None in keys older than that."""
        self.answers = {
            qid: (e["kind"] == "select_all", tuple(e["answer"]), list(e["answer"][:1]))
            for qid, e in key["questions"].items()
        }
        self.order: list[str] = sorted(key["questions"])
        """Questions by position: the store keeps positions, not the (long) ids."""
        self.position = {qid: str(i) for i, qid in enumerate(self.order)}


def rescore(record: Record, key: KeyIndex) -> Rescored | str:
    """Score the record's responses against the answer key of its version; a string says why not.

    The same rules as generator/score.py, which the shared vectors pin;
    tests/results/test_import.py checks that the two agree.
    """
    quiz = key.quizzes.get(record.quiz.id)
    if quiz is None:
        return f"quiz {record.quiz.id!r} is not in version {key.version}"
    responses = record.responses
    questions = record.questions
    answers = key.answers
    position = key.position
    scores: list[float] = []
    marks: list[str] = []
    chosen_lists: list[list[str]] = []
    for qid in questions:
        entry = answers.get(qid)
        if entry is None:
            return f"question {qid!r} is not in version {key.version}"
        chosen = responses.get(qid)
        select_all, answer, single = entry
        if not chosen:
            score, mark = 0.0, "0"
            chosen = []
        elif not select_all:
            if chosen == single or (chosen[0] == answer[0] and len(set(chosen)) == 1):
                score, mark = 1.0, "1"
            else:
                score, mark = 0.0, "0"
        else:
            picked = set(chosen)
            right = len(picked.intersection(answer))
            score = max(0.0, (right - (len(picked) - right)) / len(answer))
            mark = "1" if score == 1 else "0" if score == 0 else repr(score)
        scores.append(score)
        marks.append(mark)
        chosen_lists.append(chosen)
    if len(set(questions)) != len(questions):
        return "a question appears twice"
    if len(responses) > len(questions) or not responses.keys() <= set(questions):
        extra = sorted(set(responses) - set(questions))
        if extra:
            return f"responses to questions that were not asked: {', '.join(extra)}"
    total = sum(scores)
    raw_percent = 100 * total / len(scores)
    percent, passed = round_half_up(raw_percent), raw_percent >= quiz["pass_mark"]
    stored = record.score
    tampered = (
        abs(stored.percent - percent) > 0.005
        or stored.passed != passed
        or abs(stored.total - total) > 1e-6
        or stored.max != len(scores)
        or record.quiz.pass_mark != quiz["pass_mark"]
    )
    return Rescored(percent, total, passed, scores, tampered,
                    ",".join([position[q] for q in questions]), ",".join(marks), chosen_lists)
