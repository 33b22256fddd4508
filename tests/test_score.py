"""The Python scorer against the shared vectors (the browser scorer runs the same file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.score import score_attempt

VECTORS = json.loads((Path(__file__).parent / "vectors" / "scoring.json").read_text())["cases"]


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_python_scorer_matches_vector(case):
    result = score_attempt(case["questions"], case["responses"], case["pass_mark"])
    expected = case["expected"]
    assert result["scores"] == pytest.approx(expected["scores"])
    assert result["total"] == pytest.approx(expected["total"])
    assert (result["max"], result["percent"], result["passed"]) == (expected["max"], expected["percent"], expected["passed"])
