"""Progress of a long command, redrawn on one line of the terminal (stderr).

Where stderr is not a terminal (a pipe, a log file, CI) nothing is drawn: the command's
summary line says what was done.
"""

from __future__ import annotations

import sys
import time
from typing import Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")


class Progress:
    """`[#####-----] 3/8 what` or `what…` on one line; silent without a stream."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self._drawn = 0.0

    @classmethod
    def on_terminal(cls) -> "Progress":
        return cls(sys.stderr if sys.stderr.isatty() else None)

    def step(self, what: str) -> None:
        """A stage of work whose size is not counted."""
        self._draw(f"{what}…")

    def count(self, done: int, total: int, what: str = "", every: float = 0.1) -> None:
        """`done` of `total` things; redrawn at most every `every` seconds, and at the end."""
        now = time.perf_counter()
        if self.stream is None or (done < total and now - self._drawn < every):
            return
        self._drawn = now
        filled = self.width * done // max(total, 1)
        self._draw(f"[{'#' * filled}{'-' * (self.width - filled)}] {done}/{total} {what[:40]}".rstrip())

    def counted(self, items: Iterable[T], total: int, what: str = "") -> Iterator[T]:
        """The items, counted as they are taken."""
        self.count(0, total, what, every=0)
        for done, item in enumerate(items, 1):
            yield item
            self.count(done, total, what)

    def done(self, summary: str | None = None, keep: bool = False) -> None:
        """Clear the line; or leave `summary` there, or (`keep`) what it shows now."""
        if self.stream is None:
            return
        if keep:
            self.stream.write("\n")
        else:
            self.stream.write("\r\033[K" + (f"{summary}\n" if summary else ""))
        self.stream.flush()

    def _draw(self, line: str) -> None:
        if self.stream is not None:
            self.stream.write(f"\r\033[K{line}")
            self.stream.flush()
