"""Import benchmarks: police.uk's eighteen Leicestershire monthly files, all at once
against pandas.read_csv reading the same files in the same run, one month alone, and
month by month (shuffled, one month twice) against all at once.

The real files are read from `../shared/data/policeuk/` (or POLICEUK_DIR) when present;
otherwise eighteen synthetic files of the same shape (9,142 rows each, as the real
average) are generated from the shipped sample, so the bench runs on a fresh machine.
The partnership is Charnwood as the demo has it (its beats, categories, crime type
mapping and LSOA → beat lookup, read from fixtures/demo/performance/).
"""

from __future__ import annotations

import csv
import gc
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from bench.figures import Figure
from csp_portal.models import Partnership
from performance import monthly_figures
from performance.models import (
    Beat,
    CrimeCategory,
    CrimeTypeMapping,
    LsoaBeat,
    MonthlyFigure,
    QuarterlyFigure,
)
from performance.policeuk import count_street_files
from tests.factories import PartnershipFactory

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo" / "performance"
SAMPLE = ROOT / "tests/performance/data/2022-07-leicestershire-street-sample.csv"
REAL_ROWS = 164_551
MONTHS = [f"{2021 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(18)]  # 2021-04…


def real_files() -> list[Path]:
    """The eighteen real files: POLICEUK_DIR if set (only there), else ../shared/data/policeuk
    beside the project (or beside its parent, for a worktree)."""
    if os.environ.get("POLICEUK_DIR"):
        candidates = [Path(os.environ["POLICEUK_DIR"])]
    else:
        candidates = [ROOT.parent / "shared/data/policeuk"]
        candidates += [ROOT.parent.parent / "shared/data/policeuk"]
    for folder in candidates:
        files = sorted(folder.glob("*-street.csv")) if folder.is_dir() else []
        if len(files) >= 18:
            return files[:18]
    return []


def synthetic_files(folder: Path, rows_per_file: int = REAL_ROWS // 18) -> list[Path]:
    """Eighteen files of the real shape: the sample's rows, new Crime IDs, each month."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    paths = []
    for number, month in enumerate(MONTHS):
        path = folder / f"{month}-leicestershire-street.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for i in range(rows_per_file):
                row = list(rows[i % len(rows)])
                row[1] = month
                if row[0]:
                    row[0] = f"{number:02d}{i:08d}{row[0][10:]}"
                writer.writerow(row)
        paths.append(path)
    return paths


def charnwood(slug: str) -> Partnership:
    """A partnership set up as the demo's Charnwood (fixtures read as CSV)."""
    partnership = PartnershipFactory(
        slug=slug, name=f"Charnwood CSP {slug}", local_authority="Charnwood Borough Council"
    )

    def rows(name):
        with (DEMO / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    beats = {
        r["code"]: Beat.objects.create(partnership=partnership, code=r["code"], name=r["name"])
        for r in rows("beats.csv")
    }
    categories: dict[str, CrimeCategory] = {}
    for r in rows("categories.csv"):
        categories[r["code"]] = CrimeCategory.objects.create(
            partnership=partnership,
            code=r["code"],
            name=r["name"],
            parent=categories.get(r["parent"]),
            is_asb=r["is_asb"] == "yes",
            display_order=int(r["display_order"]),
        )
    CrimeTypeMapping.objects.bulk_create(
        CrimeTypeMapping(
            partnership=partnership, crime_type=r["crime_type"], category=categories[r["category"]]
        )
        for r in rows("crime_type_mapping.csv")
    )
    LsoaBeat.objects.bulk_create(
        LsoaBeat(partnership=partnership, lsoa_code=r["lsoa_code"], beat=beats[r["beat"]])
        for r in rows("lsoa_beats.csv")
        if r["beat"] in beats
    )
    return partnership


def import_files(partnership: Partnership, paths: list[Path]) -> monthly_figures.MonthPlan:
    result = count_street_files(partnership, paths)
    if result.errors:
        raise ValueError(result.errors[0])
    return monthly_figures.import_months(partnership=partnership, result=result)


def figures_of(partnership: Partnership) -> dict:
    """Every quarterly and monthly figure, keyed by natural keys (comparable across
    partnerships)."""
    quarterly = {
        (f.financial_year.start_year, f.quarter, f.category.code, f.beat.code if f.beat else ""):
        f.count
        for f in QuarterlyFigure.objects.filter(partnership=partnership).select_related(
            "category", "beat"
        )
    }  # fmt: skip
    monthly = {
        (f.month, f.category.code, f.beat.code if f.beat else ""): f.count
        for f in MonthlyFigure.objects.filter(partnership=partnership).select_related(
            "category", "beat"
        )
    }
    return {"quarterly": quarterly, "monthly": monthly}


def month_by_month(
    partnership: Partnership, paths: list[Path], seed: int = 2022
) -> tuple[list[str], set[str]]:
    """Import each file alone in a shuffled order, one of them twice: the order used and
    the Crime IDs reported as already counted in another month."""
    order = list(paths)
    random.Random(seed).shuffle(order)
    order.insert(len(order) // 2, order[0])
    repeated: set[str] = set()
    for path in order:
        plan = import_files(partnership, [path])
        repeated |= {crime_id for crime_id, _, _ in plan.repeated_ids}
    return [p.name[:7] for p in order], repeated


def _read_with_pandas(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        pd.read_csv(path)
    return time.perf_counter() - started


def _cpu_seconds(action) -> float:
    """This process's CPU time for `action` (PostgreSQL's share is not in it)."""
    started = time.process_time()
    action()
    return time.process_time() - started


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        paths = real_files()
        label = "real" if paths else "synthetic"
        if not paths:
            paths = synthetic_files(Path(folder))
        rows = sum(max(sum(1 for _ in p.open("rb")) - 1, 0) for p in paths)
        _read_with_pandas(paths[:2])  # warm the page cache and pandas' code paths
        # Alternate pandas and the import, three times each, into fresh partnerships;
        # medians, as the machine is shared.
        baselines, imports = [], []
        for attempt in range(3):
            partnership = charnwood(f"bench-all-{attempt}")
            gc.collect()
            baselines.append(_read_with_pandas(paths))
            started = time.perf_counter()
            import_files(partnership, paths)
            imports.append(time.perf_counter() - started)
        all_at_once = partnership
        took, baseline = statistics.median(imports), statistics.median(baselines)
        ratio = took / baseline
        # The same comparison in CPU seconds of this process, steadier on a busy machine.
        cpu_world = charnwood("bench-cpu")
        cpu_pandas = _cpu_seconds(lambda: _read_with_pandas(paths))
        cpu_import = _cpu_seconds(lambda: import_files(cpu_world, paths))
        # One month on its own: the latest month imported again (replacing it).
        started = time.perf_counter()
        plan = import_files(all_at_once, paths[-1:])
        one_month = time.perf_counter() - started
        assert plan.replaced and not plan.changes.total
        # Peak memory of a whole import (counting and writing), in a fresh partnership.
        memory = charnwood("bench-memory")
        gc.collect()
        tracemalloc.start()
        import_files(memory, paths)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        one_by_one = charnwood("bench-months")
        order, repeated = month_by_month(one_by_one, paths)
        expected, got = figures_of(all_at_once), figures_of(one_by_one)
        same = expected == got
        all_crime = {k: v for k, v in got["quarterly"].items() if k[2] == "ALL" and not k[3]}
    print(f"  {label} files: {len(paths)}, {rows:,} rows; month-by-month order {order}")
    print(f"  Crime IDs reported as counted in another month: {len(repeated)}")
    quarters = ", ".join(
        f"Q{q} {y}/{(y + 1) % 100:02d} {n:,}" for (y, q, _, _), n in sorted(all_crime.items())
    )
    print(f"  All Crime by quarter (month by month = all at once: {'yes' if same else 'NO'}): "
          f"{quarters}")  # fmt: skip
    return [
        Figure(f"police.uk import, {len(paths)} {label} files ({rows:,} rows)", f"{took:.2f} s",
               "(context)", True),
        Figure("  pandas.read_csv of the same files, same run", f"{baseline:.2f} s", "(context)",
               True),
        Figure("  import time / pandas.read_csv", f"{ratio:.2f}×", "≤ 2×", ratio <= 2),
        Figure("  the same in this process's CPU time", f"{cpu_import / cpu_pandas:.2f}×",
               "(context)", True),
        Figure("  peak memory of the import (tracemalloc)", f"{peak / 2**20:.0f} MB", "≤ 300 MB",
               peak / 2**20 <= 300),
        Figure("  process peak RSS (whole bench run so far)", f"{rss:.0f} MB", "(context)", True),
        Figure("police.uk import of one month (replacing it)", f"{one_month:.2f} s", "≤ 1 s",
               one_month <= 1),
        Figure(f"month by month = all at once ({len(got['quarterly']):,} quarterly, "
               f"{len(got['monthly']):,} monthly figures)", "identical" if same else "DIFFERENT",
               "identical", same),
    ]  # fmt: skip
