"""Performance benchmarks: the YTD dashboard with ten years of figures, saving a full
entry grid, and importing 100,000 police.uk rows.

Query counts are compared like for like: each page at ten years and at one year, both
from an empty cache (cold), and again both as a repeat view (cached). They gate `make
bench`; timings are reported against their targets (bench/figures.py).

Data: 10 financial years × 4 quarters × 12 beats × 40 categories (19,200 beat figures
plus 1,600 partnership totals) and a family group of 15 CSPs with figures for every
category and quarter. The police.uk file is built by repeating the test sample (a real
Leicestershire file's rows) over three months.
"""

from __future__ import annotations

import csv
import gc
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.figures import Figure, median_ms
from csp_portal.financial_year import FinancialYear
from csp_portal.models import Partnership, PartnershipPopulation, Role
from performance import services
from performance.family import family_group_for
from performance.forms import cell_name
from performance.models import (
    Beat,
    CrimeCategory,
    CrimeTypeMapping,
    FamilyGroupMember,
    LsoaBeat,
    PeerFigure,
    PoliceUkCrimeType,
    QuarterlyFigure,
)
from performance.policeuk import count_street_files
from tests.factories import PartnershipFactory, member

SAMPLE = (
    Path(__file__).resolve().parent.parent
    / "tests/performance/data/2022-07-leicestershire-street-sample.csv"
)
YEARS_LAST = 2022


def build(partnership: Partnership, years: int, beats_n: int = 12, categories_n: int = 40):
    beats = Beat.objects.bulk_create(
        [
            Beat(partnership=partnership, code=f"{60 + i}", name=f"Beat {60 + i}")
            for i in range(beats_n)
        ]
    )
    categories = CrimeCategory.objects.bulk_create(
        [
            CrimeCategory(partnership=partnership, code=f"C{i:02d}", name=f"Category {i:02d}",
                          display_order=i)
            for i in range(categories_n)
        ]
    )  # fmt: skip
    figures = []
    for start in range(YEARS_LAST - years + 1, YEARS_LAST + 1):
        PartnershipPopulation.objects.create(
            partnership=partnership, financial_year=FinancialYear(start), population=180_000
        )
        for number in (1, 2, 3, 4):
            for c, category in enumerate(categories):
                for b, beat in enumerate([*beats, None]):
                    figures.append(
                        QuarterlyFigure(
                            partnership=partnership, financial_year=FinancialYear(start),
                            quarter=number, category=category, beat=beat,
                            count=(start * 31 + number * 17 + c * 7 + b) % 400,
                        )
                    )  # fmt: skip
    QuarterlyFigure.objects.bulk_create(figures, batch_size=5000)
    group = family_group_for(partnership)
    members = FamilyGroupMember.objects.bulk_create(
        [FamilyGroupMember(family_group=group, csp_name=f"Peer {i}", is_self=i == 0)
         for i in range(15)]
    )  # fmt: skip
    peers = [
        PeerFigure(member=m, financial_year=FinancialYear(start), quarter=number,
                   category=category, count=(m.pk * 13 + number + c) % 500, population=150_000)
        for m in members[1:]
        for start in range(YEARS_LAST - years + 1, YEARS_LAST + 1)
        for number in (1, 2, 3, 4)
        for c, category in enumerate(categories)
    ]  # fmt: skip
    PeerFigure.objects.bulk_create(peers, batch_size=5000)
    return beats, categories, len(figures), len(peers)


#: The dashboards' cache during the benchmark: a real one (the test settings' dummy
#: cache would hide what caching saves; the file cache under CACHE_DIR would keep
#: tables between runs). Cleared before every cold measurement.
BENCH_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bench-performance",
    }
}
#: Most queries a dashboard may make, cold, at either size.
QUERY_BOUND = 20


def _queries(client: Client, url: str, *, cold: bool) -> int:
    """Queries of one GET of `url`: `cold` from an empty cache (the dashboards' tables
    and the session computed afresh), else straight after an identical request."""
    if cold:
        cache.clear()
    else:
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _cold(client: Client, url: str):
    def action():
        cache.clear()
        client.get(url)

    return action


def _query_figures(name: str, clients, urls) -> list[Figure]:
    """The same page at ten years and at one, both cold and both warm: equal, bounded."""
    (big_client, small_client), (big_url, small_url) = clients, urls
    rows = []
    for cold in (True, False):
        q_big = _queries(big_client, big_url, cold=cold)
        q_small = _queries(small_client, small_url, cold=cold)
        state = "cold" if cold else "repeat view (cached)"
        rows.append(
            Figure(f"{name} queries, {state}, 10 years vs 1 year", f"{q_big} vs {q_small}",
                   f"equal, ≤ {QUERY_BOUND}", q_big == q_small and q_big <= QUERY_BOUND,
                   gates=True)
        )  # fmt: skip
    return rows


@override_settings(CACHES=BENCH_CACHES)
def bench_dashboard() -> list[Figure]:
    big = PartnershipFactory(slug="bench-ten-years")
    small = PartnershipFactory(slug="bench-one-year")
    _, _, figures, peers = build(big, 10)
    build(small, 1)
    officer = member(big, Role.PERFORMANCE_OFFICER, username="bench-officer")
    small_officer = member(small, Role.PERFORMANCE_OFFICER, username="bench-officer-1")
    client, small_client = Client(), Client()
    client.force_login(officer)
    small_client.force_login(small_officer)
    clients = (client, small_client)
    url = "/p/{}/performance/?year=2022&quarter=2"
    assert client.get(url.format(big.slug)).status_code == 200
    cold = median_ms(_cold(client, url.format(big.slug)), repeat=15)
    warm = median_ms(lambda: client.get(url.format(big.slug)), repeat=25)
    rows = [
        Figure(f"YTD dashboard, cold, {figures:,} figures + {peers:,} peer", f"{cold:.1f} ms",
               "≤ 100 ms", cold <= 100),
        Figure("YTD dashboard, repeat view (cached)", f"{warm:.1f} ms", "≤ 100 ms", warm <= 100),
        *_query_figures("YTD dashboard", clients, (url.format(big.slug), url.format(small.slug))),
    ]  # fmt: skip
    for page in ("trend/", "beats/", "family/", "rates/"):
        page_url = "/p/{}/performance/" + page + "?year=2022&quarter=2"
        took = median_ms(_cold(client, page_url.format(big.slug)), repeat=9)
        rows.append(
            Figure(f"{page[:-1]} dashboard, cold, 10 years", f"{took:.1f} ms", "(no target)", True)
        )
        rows += _query_figures(
            f"{page[:-1]} dashboard",
            clients,
            (page_url.format(big.slug), page_url.format(small.slug)),
        )
    return rows, big, client


def bench_grid(partnership: Partnership, client: Client) -> list[Figure]:
    beats = list(Beat.objects.filter(partnership=partnership))
    categories = list(CrimeCategory.objects.filter(partnership=partnership))
    url = f"/p/{partnership.slug}/performance/enter/2023/q1/"
    timings = []
    for round_ in range(8):
        data = {
            cell_name(c.pk, b.pk if b else None): str(100 + round_ + i)
            for i, (c, b) in enumerate((c, b) for c in categories for b in [*beats, None])
        }
        data["version"] = client.get(url).context["version"]  # as opened (not timed)
        started = time.perf_counter()
        response = client.post(url, data)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
    cells = len(beats) * len(categories)
    create, update = timings[0], statistics.median(timings[1:])
    return [
        Figure(f"Save a new {len(beats)} × {len(categories)} grid (+ totals)", f"{create:.0f} ms",
               "≤ 500 ms", create <= 500),
        Figure(f"Change every cell of the grid ({cells + len(categories)} cells)",
               f"{update:.0f} ms", "≤ 500 ms", update <= 500),
    ]  # fmt: skip


def _street_file(folder: Path, rows_wanted: int) -> Path:
    with SAMPLE.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sample = list(reader)
    path = folder / "2022-07-leicestershire-street.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for i in range(rows_wanted):
            row = list(sample[i % len(sample)])
            row[1] = ("2022-07", "2022-08", "2022-09")[i % 3]
            writer.writerow(row)
    return path


def bench_policeuk() -> list[Figure]:
    partnership = PartnershipFactory(
        slug="bench-policeuk", local_authority="Charnwood Borough Council"
    )
    beats = Beat.objects.bulk_create(
        [Beat(partnership=partnership, code=str(60 + i), name=f"Beat {i}") for i in range(8)]
    )
    categories = {
        t: CrimeCategory.objects.create(partnership=partnership, code=f"T{i}", name=t)
        for i, t in enumerate(PoliceUkCrimeType.values)
    }
    all_crime = CrimeCategory.objects.create(partnership=partnership, code="ALL", name="All Crime")
    for crime_type, category in categories.items():
        CrimeTypeMapping.objects.create(
            partnership=partnership, crime_type=crime_type, category=category
        )
        if crime_type != PoliceUkCrimeType.ASB:
            CrimeTypeMapping.objects.create(
                partnership=partnership, crime_type=crime_type, category=all_crime
            )
    with SAMPLE.open(encoding="utf-8") as handle:
        lsoas = sorted(
            {
                r["LSOA code"]
                for r in csv.DictReader(handle)
                if r["LSOA name"].startswith("Charnwood")
            }
        )
    LsoaBeat.objects.bulk_create(
        [
            LsoaBeat(partnership=partnership, lsoa_code=code, beat=beats[i % 8])
            for i, code in enumerate(lsoas)
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = _street_file(Path(folder), 100_000)
        gc.collect()
        started = time.perf_counter()
        result = count_street_files(partnership, [path])
        services.apply_figures(partnership=partnership, values=result.values)
        took = time.perf_counter() - started
        assert result.rows == 100_000
        tracemalloc.start()
        count_street_files(partnership, [path])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    return [
        Figure("Import 100,000 police.uk rows (count + write)", f"{took:.2f} s", "≤ 5 s",
               took <= 5),
        Figure("  peak memory allocated while counting (tracemalloc)", f"{peak / 2**20:.0f} MB",
               "≤ 500 MB", peak / 2**20 <= 500),
        Figure("  process peak RSS so far (whole bench run)", f"{rss:.0f} MB", "(context)", True),
    ]  # fmt: skip


def run() -> list[Figure]:
    rows, big, client = bench_dashboard()
    rows += bench_grid(big, client)
    rows += bench_policeuk()
    return rows
