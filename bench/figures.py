"""What a benchmark reports: a named figure, its target and whether it was met.

Two kinds of figure. A *query count* (`gates=True`) does not depend on the machine: a
page that makes more queries with ten years of data than with one, or more than its
bound, is a regression, and `make bench` fails on it. A *timing* or a memory figure
(`gates=False`, the default) depends on how busy the machine is (two cores shared by
everyone): it is compared with its target and reported, never failing the run.
"""

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
    gates: bool = False  # True for query counts: a miss fails `make bench`


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
