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


def test_map_shared_keeps_order_shares_the_work_and_raises_the_first_failure_in_that_order() -> None:
    import time

    from generator.parallel import PARALLEL_FROM, map_shared

    assert map_shared(lambda n: (n * n, os.getpid()), range(3)) == [(n * n, os.getpid()) for n in range(3)]  # few: all here
    items = list(range(PARALLEL_FROM * 2))

    def slow_square(n: int) -> tuple[int, int]:
        time.sleep(0.01)  # long enough that the child starts before this process has taken everything
        return n * n, os.getpid()

    results = map_shared(slow_square, items)
    assert [square for square, _ in results] == [n * n for n in items]
    workers = {pid for _, pid in results}
    if (os.cpu_count() or 1) >= 2:
        assert os.getpid() in workers and len(workers) == 2

    def fail_on(n: int) -> int:
        time.sleep(0.01)
        if n in (5, 8, 40):
            raise RollcallError([Problem("f.yaml", n, "bad")])
        return n

    with pytest.raises(RollcallError) as caught:
        map_shared(fail_on, items)
    assert [str(p) for p in caught.value.problems] == ["f.yaml:5: bad"]  # whichever process met 5, it comes first


def test_map_shared_hands_each_child_result_to_arrived_here_and_notices_a_lost_child() -> None:
    import time

    from generator.parallel import PARALLEL_FROM, map_shared

    here = os.getpid()
    items = list(range(PARALLEL_FROM * 2))

    def work(n: int) -> tuple[int, int, int]:
        time.sleep(0.01)
        return n, os.getpid(), os.getpid()

    results = map_shared(work, items, arrived=lambda value: (value[0], value[1], here))
    assert [n for n, _, _ in results] == items
    # every result went through `arrived` in this process, except this process's own
    assert all(taken_in == here for _, _, taken_in in results)
    if (os.cpu_count() or 1) >= 2:
        assert len({worker for _, worker, _ in results}) == 2

        def die_in_the_child(n: int) -> int:
            time.sleep(0.01)
            if os.getpid() != here:
                os._exit(3)
            return n

        with pytest.raises(RuntimeError, match="stopped without a result"):
            map_shared(die_in_the_child, items)
