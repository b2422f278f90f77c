"""Runs every benchmark in bench/ (modules named bench_*.py) and prints one table.

Each module defines `run() -> list[Figure]`. Benchmarks run against the database in
DATABASE_URL (PostgreSQL for real figures) inside a throwaway test database, so they
never touch real data.

The exit status is 1 only when a query count regressed (a figure with `gates=True`
missed); a timing that misses its target is reported as "slow" and does not fail the
run (see bench/figures.py).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.figures import Figure  # noqa: E402


def main(selected: list[str]) -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    rows: list[Figure] = []
    try:
        for path in sorted((ROOT / "bench").glob("bench_*.py")):
            if selected and path.stem not in selected:
                continue
            print(f"running {path.stem} …", flush=True)
            started = time.perf_counter()
            module = importlib.import_module(f"bench.{path.stem}")
            rows.extend(module.run())
            # Each benchmark builds its own world; start the next from an empty database.
            call_command("flush", interactive=False, verbosity=0)
            print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print()
    print(
        f"Benchmarks on {platform.node()} ({os.cpu_count()} cores, {platform.python_version()}, "
        f"{connection.vendor}) {time.strftime('%Y-%m-%d')}"
    )
    width = max([len(r.name) for r in rows] + [9])
    print(f"{'benchmark':<{width}}  {'measured':>14}  {'target':>14}  ok")
    for row in rows:
        print(f"{row.name:<{width}}  {row.measured:>14}  {row.target:>14}  {verdict(row)}")
    status, summary = outcome(rows)
    print()
    print(f"{summary} (load average now {os.getloadavg()[0]:.1f})")
    return status


def verdict(row: Figure) -> str:
    """yes (met), NO (a query-count regression), slow (a timing over its target)."""
    return "yes" if row.ok else ("NO" if row.gates else "slow")


def outcome(rows: list[Figure]) -> tuple[int, str]:
    """The exit status (1 only for a query-count regression) and a one-line summary."""
    regressions = [row for row in rows if row.gates and not row.ok]
    slow = [row for row in rows if not row.gates and not row.ok]
    summary = (
        f"{len(regressions)} query-count regression(s), which fail the run; {len(slow)} "
        "figure(s) over their target, reported only (timings depend on the machine's load)."
    )
    return (1 if regressions else 0), summary


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
