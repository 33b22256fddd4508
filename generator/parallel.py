"""Work on many files in two processes when there are enough of them to repay the start-up."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence

PARALLEL_FROM = 24
"""With this many files to read or more, two processes share them (YAML parsing dominates)."""


def parallel_map(func: Callable[..., Any], *columns: Sequence[Any]) -> list[Any]:
    """[func(*row) for row in zip(*columns)], in two forked processes for long inputs."""
    count = len(columns[0]) if columns else 0
    if count < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(*row) for row in zip(*columns)]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(func, *columns, chunksize=max(1, count // 8)))


class Background:
    """`func()` run in a forked child process while this one goes on (it sees this process's
    memory as it was at the fork, so nothing is pickled); `wait()` raises if the child failed.
    Without fork, or on one CPU, `func` runs at once, here."""

    def __init__(self, func: Callable[[], None]):
        self.process = None
        if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            func()
            return
        self.process = multiprocessing.get_context("fork").Process(target=func, daemon=True)
        self.process.start()

    def wait(self) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"background work failed (exit code {self.process.exitcode})")
