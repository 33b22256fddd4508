"""Work in a second process: results and errors come back as if the work ran here."""

from __future__ import annotations

import os

import pytest

from generator.errors import Problem, RollcallError
from generator.parallel import Background, parallel_map


def test_background_returns_what_the_child_returned_and_runs_elsewhere() -> None:
    here = os.getpid()
    job = Background(lambda: ("done", os.getpid()))
    result, pid = job.wait()
    assert result == "done"
    if (os.cpu_count() or 1) >= 2:
        assert pid != here


def test_background_raises_the_childs_problems_with_file_and_line() -> None:
    def fail() -> None:
        raise RollcallError([Problem("policy/go-418.yaml", 12, "bad"), Problem("scenarios/x.yaml", 3, "worse")])

    job = Background(fail)
    with pytest.raises(RollcallError) as caught:
        job.wait()
    assert [str(p) for p in caught.value.problems] == ["policy/go-418.yaml:12: bad", "scenarios/x.yaml:3: worse"]


def test_parallel_map_keeps_the_order_of_its_inputs() -> None:
    numbers = list(range(100))
    assert parallel_map(pow, numbers, [2] * len(numbers)) == [n * n for n in numbers]
