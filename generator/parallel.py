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


def map_shared(func: Callable[[Any], Any], items: Sequence[Any], arrived: Callable[[Any], Any] | None = None) -> list[Any]:
    """[func(item) for item in items], shared out between this process and a forked child
    (which sees `func` and `items` as they are here: nothing is pickled but the child's
    results). Each takes the next item not yet taken whenever it is free, so neither waits
    for the other at the end. The child sends each result as soon as it has it, and this
    process takes in what has come between items of its own, applying `arrived` (say, to
    unpickle what the child pickled) while the child works on. If any item fails, the first
    failure in the items' order is raised, as if they had run here one by one."""
    if len(items) < PARALLEL_FROM or not can_fork():
        return [func(item) for item in items]
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)
    receive, send = context.Pipe(duplex=False)
    _widen(send)

    def next_index() -> int:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        return index

    def child_share() -> None:
        while (index := next_index()) < len(items):
            send.send((index, _outcome(func, items[index])))
        send.send(None)

    child = context.Process(target=child_share, daemon=True)
    child.start()
    send.close()
    outcomes: list[tuple[bool, Any]] = [(True, None)] * len(items)
    child_done = False

    def take_in(wait: bool) -> None:
        nonlocal child_done
        while not child_done and (wait or receive.poll()):
            try:
                message = receive.recv()
            except EOFError:
                raise RuntimeError("background work stopped without a result") from None
            if message is None:
                child_done = True
            else:
                index, (ok, value) = message
                outcomes[index] = (ok, arrived(value) if ok and arrived is not None else value)

    try:
        while (index := next_index()) < len(items):
            outcomes[index] = _outcome(func, items[index])
            take_in(wait=False)
        take_in(wait=True)
    finally:
        receive.close()
        if not child_done:
            child.terminate()
        child.join()
    for ok, value in outcomes:
        if not ok:
            raise value
    return [value for _, value in outcomes]


def _widen(connection: Any) -> None:
    """Let a pipe hold 1 MB (Linux) so that a child sending results never waits for this
    process to finish the item it is on before taking them in."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _outcome(func: Callable[[Any], Any], item: Any) -> tuple[bool, Any]:
    try:
        return (True, func(item))
    except Exception as exc:  # noqa: BLE001 - raised by map_shared in the items' order
        return (False, exc)
