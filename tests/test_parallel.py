"""Work in a second process: results and errors come back as if the work ran here."""

from __future__ import annotations

import os

import pytest

from generator.errors import Problem, RollcallError
from generator.parallel import Background


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


def test_map_in_halves_keeps_order_and_raises_the_first_failure_in_that_order() -> None:
    from generator.parallel import PARALLEL_FROM, map_in_halves

    assert map_in_halves(lambda n: n * n, range(3)) == [0, 1, 4]  # few: all here
    items = list(range(PARALLEL_FROM * 2))
    assert map_in_halves(lambda n: (n, os.getpid()), items)[::2] == [(n, os.getpid()) for n in items[::2]]
    children = {pid for _, pid in map_in_halves(lambda n: (n, os.getpid()), items)[1::2]}
    if (os.cpu_count() or 1) >= 2:
        assert children and os.getpid() not in children

    def fail_on_odd_then_even(n: int) -> int:
        if n in (5, 8):  # 5 is worked out by the child, 8 here; 5 comes first
            raise RollcallError([Problem("f.yaml", n, "bad")])
        return n

    with pytest.raises(RollcallError) as caught:
        map_in_halves(fail_on_odd_then_even, items)
    assert [str(p) for p in caught.value.problems] == ["f.yaml:5: bad"]


def test_a_cancelled_background_stops_its_child_and_returns_nothing() -> None:
    import time

    started = time.monotonic()
    work = Background(lambda: time.sleep(30) or "finished")
    work.cancel()
    assert time.monotonic() - started < 10  # the child was stopped, not waited for
    with pytest.raises(RuntimeError, match="cancelled"):
        work.wait()
