"""Attempt records from a Learning Record Store: fetch xAPI statements, rebuild each attempt.

The site sends, per attempt (context.registration = attempt id, context.revision = version),
one `answered` statement per question and a `passed`/`failed` statement for the quiz
(site_overrides/assets/javascripts/record.js). This rebuilds the attempt record from them, so
LRS attempts are re-scored exactly like handed-in files.

An acknowledgement of an order (site_overrides/assets/javascripts/acknowledge.js) is one
statement with the Activity Streams verb `acknowledge`, the acknowledgement id as registration
and the order revision in the context extension ORDER_EXTENSION; it is rebuilt into its record
and checked against the revision archive like a handed-in file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections import defaultdict
from typing import Any, Iterator
from urllib.parse import unquote, urljoin

from ..errors import RollcallError
from .acknowledgement import FORMAT as ACKNOWLEDGEMENT_FORMAT, Acknowledgement, parse_acknowledgement
from .record import Record, Rejected, Source, parse_record
from .store import AnswerKeys

VERBS = "http://adlnet.gov/expapi/verbs/"
ACKNOWLEDGE = "http://activitystrea.ms/schema/1.0/acknowledge"
ORDER_EXTENSION = "urn:rollcall:order"
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")
_QUESTION_NUMBER = re.compile(r"^Question (\d+):")


def fetch_statements(url: str, user: str | None, password: str | None, timeout: float = 30) -> Iterator[dict[str, Any]]:
    """Every statement the LRS holds, following its `more` links."""
    headers = {"X-Experience-API-Version": "1.0.3", "Accept": "application/json"}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    endpoint: str | None = url.rstrip("/") + "/statements?limit=500"
    while endpoint:
        request = urllib.request.Request(endpoint, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's LRS
                page = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise RollcallError.at(url, 1, f"the LRS answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise RollcallError.at(url, 1, f"cannot read statements from the LRS: {getattr(exc, 'reason', exc)}") from None
        yield from page.get("statements", [])
        more = page.get("more")
        endpoint = urljoin(endpoint, more) if more else None


def _duration_seconds(text: str | None) -> float:
    match = _DURATION.match(text or "")
    if not match:
        return 0.0
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _verb(statement: dict[str, Any]) -> str:
    return str(statement.get("verb", {}).get("id", "")).removeprefix(VERBS)


def rebuild(registration: str, statements: list[dict[str, Any]], keys: AnswerKeys) -> dict[str, Any] | str:
    """The attempt record the statements of one registration describe, or what is missing."""
    verdicts = [s for s in statements if _verb(s) in ("passed", "failed")]
    if not verdicts:
        return "no passed or failed statement: the attempt is not finished"
    quiz_statement = verdicts[0]
    answered = [s for s in statements if _verb(s) == "answered"]
    if not answered:
        return "no answered statements"
    quiz_iri = quiz_statement["object"]["id"]
    quiz_id = unquote(quiz_iri.rsplit("/training/", 1)[-1])
    version = quiz_statement.get("context", {}).get("revision", "")
    key = keys.get(version)
    pass_mark = key.quizzes[quiz_id]["pass_mark"] if key and quiz_id in key.quizzes else 0

    def number(s: dict[str, Any]) -> int:
        name = s["object"].get("definition", {}).get("name", {}).get("en-US", "")
        match = _QUESTION_NUMBER.match(name)
        return int(match.group(1)) if match else 0

    questions, responses = [], {}
    for s in sorted(answered, key=number):
        qid = unquote(s["object"]["id"].split("#", 1)[1]) if "#" in s["object"]["id"] else s["object"]["id"]
        questions.append(qid)
        text = s.get("result", {}).get("response", "")
        responses[qid] = text.split("[,]") if text else []
    result = quiz_statement.get("result", {})
    score = result.get("score", {})
    finished = quiz_statement.get("timestamp", "")
    try:
        end = dt.datetime.fromisoformat(finished.replace("Z", "+00:00"))
    except ValueError:
        return f"unreadable timestamp {finished!r}"
    started = end - dt.timedelta(seconds=_duration_seconds(result.get("duration")))
    actor = quiz_statement.get("actor", {})
    return {
        "format": "rollcall-attempt/1",
        "attempt_id": registration,
        "employee": {"name": actor.get("name", ""), "id": actor.get("account", {}).get("name", "")},
        "quiz": {"id": quiz_id, "title": quiz_statement["object"].get("definition", {}).get("name", {}).get("en-US", quiz_id),
                 "pass_mark": pass_mark},
        "version": version,
        "started": started.isoformat().replace("+00:00", "Z"),
        "finished": end.isoformat().replace("+00:00", "Z"),
        "questions": questions,
        "responses": responses,
        "score": {"total": score.get("raw", 0), "max": score.get("max", len(questions)),
                  "percent": round(100 * float(score.get("scaled", 0)), 2), "passed": bool(result.get("success"))},
    }


def rebuild_acknowledgement(registration: str, statement: dict[str, Any]) -> dict[str, Any] | str:
    """The acknowledgement record an `acknowledge` statement describes, or what is missing."""
    context = statement.get("context") or {}
    order = (context.get("extensions") or {}).get(ORDER_EXTENSION)
    if not isinstance(order, dict):
        return f"an acknowledge statement without the order revision (context extension {ORDER_EXTENSION})"
    actor = statement.get("actor") or {}
    site = str((statement.get("object") or {}).get("id", "")).split("?", 1)[0] or None
    return {
        "format": ACKNOWLEDGEMENT_FORMAT,
        "id": registration,
        "employee": {"name": actor.get("name", ""), "id": (actor.get("account") or {}).get("name", "")},
        "order": order,
        "acknowledged": statement.get("timestamp", ""),
        "site": site,
    }


def records_from_lrs(url: str, user: str | None, password: str | None, keys: AnswerKeys) -> Iterator[tuple[Source, Record | Acknowledgement] | Rejected]:
    by_registration: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for statement in fetch_statements(url, user, password):
        registration = statement.get("context", {}).get("registration")
        if registration:
            by_registration[registration].append(statement)
    for registration, statements in by_registration.items():
        source = Source(f"{url} registration {registration}")
        acknowledging = [s for s in statements if (s.get("verb") or {}).get("id") == ACKNOWLEDGE]
        if acknowledging:
            data = rebuild_acknowledgement(registration, acknowledging[0])
            ack = parse_acknowledgement(data) if isinstance(data, dict) else data
            yield Rejected(source, ack, "acknowledgement") if isinstance(ack, str) else (source, ack)
            continue
        data = rebuild(registration, statements, keys)
        record = parse_record(data) if isinstance(data, dict) else data
        yield Rejected(source, record) if isinstance(record, str) else (source, record)
