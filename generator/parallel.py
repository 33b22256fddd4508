"""Work on many files in two processes when there are enough of them to repay the start-up."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable, Sequence

PARALLEL_FROM = 24
"""With this many files to read or more, two processes share them (YAML parsing dominates)."""


def can_fork() -> bool:
    """Two CPUs at least, and processes started by fork (they share this one's memory as it is)."""
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


class Background:
    """`func()` run in a forked child process while this one goes on (it sees this process's
    memory as it was at the fork, so nothing is pickled); `wait()` returns what it returned, or
    raises what it raised. Without fork, or on one CPU, `func` runs at once, here."""

    def __init__(self, func: Callable[[], Any]):
        self.process = None
        self.outcome: tuple[bool, Any] = (True, None)
        if not can_fork():
            try:
                self.outcome = (True, func())
            except Exception as exc:  # noqa: BLE001 - re-raised by wait(), as from a child
                self.outcome = (False, exc)
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_run_and_send, args=(func, send), daemon=True)
        self.process.start()
        send.close()

    def cancel(self) -> None:
        """Stop the child: its result is no longer wanted."""
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            self.process = None
            self.outcome = (False, RuntimeError("background work cancelled"))

    def wait(self) -> Any:
        if self.process is not None:
            try:
                self.outcome = self.receive.recv()
            except EOFError:
                self.outcome = (False, RuntimeError("background work stopped without a result"))
            self.process.join()
            self.process = None
        ok, value = self.outcome
        if not ok:
            raise value
        return value


def _run_and_send(func: Callable[[], Any], send: Any) -> None:
    try:
        outcome: tuple[bool, Any] = (True, func())
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    send.send(outcome)
    send.close()


def map_shared(func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """[func(item) for item in items], shared out between this process and a forked child
    (which sees `func` and `items` as they are here: nothing is pickled but the child's
    results). Each takes the next item not yet taken whenever it is free, so neither waits
    for the other at the end. If any item fails, the first failure in the items' order is
    raised, as if they had run here one by one."""
    if len(items) < PARALLEL_FROM or not can_fork():
        return [func(item) for item in items]
    taken = multiprocessing.get_context("fork").Value("q", 0)

    def work_share() -> list[tuple[int, tuple[bool, Any]]]:
        done = []
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(items):
                return done
            done.append((index, _outcome(func, items[index])))

    child = Background(work_share)
    outcomes: list[tuple[bool, Any]] = [(True, None)] * len(items)
    for index, outcome in work_share() + child.wait():
        outcomes[index] = outcome
    for ok, value in outcomes:
        if not ok:
            raise value
    return [value for _, value in outcomes]


def _outcome(func: Callable[[Any], Any], item: Any) -> tuple[bool, Any]:
    try:
        return (True, func(item))
    except Exception as exc:  # noqa: BLE001 - raised by map_shared in the items' order
        return (False, exc)
