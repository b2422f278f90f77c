"""What a benchmark reports: a named figure, its target and whether it was met."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    measured: str
    target: str
    ok: bool


def median_ms(action: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of `action` in milliseconds."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
