"""Statistics for the training unit's report. Pure: values in, values out.

Item analysis follows Moodle's definitions, on each person's first attempt at a quiz:
x = the mark on the item (0..1), y = the rest of that attempt (total − x);
facility = 100 · mean(x); discrimination = 100 · Cov(x, y) / √(Var(x) · Var(y)) with sample
(n − 1) statistics; discriminative efficiency = 100 · Cov(x, y) / Cov_max, where Cov_max pairs
the sorted x with the sorted y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


def _cov(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (n - 1)


@dataclass(frozen=True)
class ItemStats:
    n: int
    facility: float
    discrimination: float | None
    efficiency: float | None

    @property
    def flags(self) -> list[str]:
        found = []
        if self.facility <= 5:
            found.append("extremely difficult or something wrong")
        elif self.facility >= 95:
            found.append("extremely easy")
        if self.discrimination is not None:
            if self.discrimination < 30:
                found.append("very likely needs checking (discrimination < 30)")
            elif self.discrimination < 50:
                found.append("likely needs checking (discrimination < 50)")
        if self.efficiency is not None and self.efficiency < 15:
            found.append("dubious (efficiency < 15)")
        return found


def item_stats(xs: Sequence[float], ys: Sequence[float]) -> ItemStats:
    """Facility, discrimination and efficiency of one item from (item mark, rest of test) pairs."""
    n = len(xs)
    facility = 100 * sum(xs) / n if n else 0.0
    if n < 2:
        return ItemStats(n, facility, None, None)
    cov = _cov(xs, ys)
    var_x, var_y = _cov(xs, xs), _cov(ys, ys)
    discrimination = 100 * cov / math.sqrt(var_x * var_y) if var_x > 0 and var_y > 0 else None
    cov_max = _cov(sorted(xs), sorted(ys))
    efficiency = 100 * cov / cov_max if cov_max > 0 else None
    return ItemStats(n, facility, discrimination, efficiency)


@dataclass(frozen=True)
class MissRate:
    citation: str
    asked: int
    missed: int

    @property
    def rate(self) -> float:
        return 100 * self.missed / self.asked if self.asked else 0.0
