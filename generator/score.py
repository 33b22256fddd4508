"""Score quiz responses. The same specification as site_overrides/assets/javascripts/score.js;
tests/vectors/scoring.json pins both.

- A response is the list of option ids the employee chose (empty: unanswered).
- verdict, clause, choice and definition questions: 1 when exactly the one correct option is
  chosen, else 0.
- select_all: (right chosen − wrong chosen) ÷ number of right options, never below 0; so
  choosing every option, or none, earns nothing, and one slip costs as much as one find.
- An attempt: total = sum of question scores, max = number of questions,
  percent = 100 × total ÷ max; passed when percent ≥ the pass mark. The percent recorded is
  rounded half up to 2 decimals; pass/fail uses the unrounded value.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence


def score_question(question: Mapping[str, Any], response: Sequence[str]) -> float:
    answer = list(question["answer"])
    chosen = list(dict.fromkeys(response))
    if question["kind"] == "select_all":
        right = sum(1 for c in chosen if c in answer)
        wrong = len(chosen) - right
        return max(0.0, (right - wrong) / len(answer))
    return 1.0 if len(chosen) == 1 and chosen[0] == answer[0] else 0.0


def round_half_up(value: float, places: int = 2) -> float:
    factor = 10**places
    return math.floor(value * factor + 0.5) / factor


def score_attempt(questions: Sequence[Mapping[str, Any]], responses: Mapping[str, Sequence[str]], pass_mark: float) -> dict[str, Any]:
    scores = {q["id"]: score_question(q, responses.get(q["id"], [])) for q in questions}
    total = sum(scores.values())
    maximum = len(questions)
    percent = 100 * total / maximum if maximum else 0.0
    return {
        "scores": scores,
        "total": total,
        "max": maximum,
        "percent": round_half_up(percent),
        "passed": percent >= pass_mark,
    }
