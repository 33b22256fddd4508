"""The one exception type of Rollcall: problems in input files, each with file and line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RollcallError(Exception):
    """Raised with every problem found; the CLI prints one line per problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, line: int, message: str) -> "RollcallError":
        return cls([Problem(file, line, message)])
