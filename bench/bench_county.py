"""The county view and the dashboards at one partnership and at nine.

Two force areas side by side in one database: one with a single partnership, one with
nine, each partnership holding 10 financial years × 4 quarters × 12 beats × 40
categories of figures (20,800 rows; 187,200 for the nine). Query counts (gating `make
bench`): every dashboard, the county view and the home page make as many queries at nine
partnerships as at one. Timings (reported, never failing the run): each page's cold time
at nine partnerships against one, in the same run; the target is a ratio ≤ 1.2.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.bench_performance import BENCH_CACHES, build
from bench.figures import Figure, median_ms
from csp_portal.financial_year import FinancialYear
from csp_portal.models import County, CountyRole, Partnership, PartnershipPopulation, Role
from csp_portal.services import grant_county_role
from performance.models import Beat, CrimeCategory, QuarterlyFigure
from tests.factories import PartnershipFactory, UserFactory, member

YEARS_LAST = 2022
PAGES = ("", "trend/", "beats/", "family/", "rates/")


def figures_only(partnership: Partnership, years: int = 10) -> int:
    """Beats, categories and figures as bench_performance.build, without a family group."""
    beats = Beat.objects.bulk_create(
        [Beat(partnership=partnership, code=f"{60 + i}", name=f"Beat {60 + i}") for i in range(12)]
    )
    categories = CrimeCategory.objects.bulk_create(
        [CrimeCategory(partnership=partnership, code=f"C{i:02d}", name=f"Category {i:02d}",
                       display_order=i) for i in range(40)]
    )  # fmt: skip
    rows = []
    for start in range(YEARS_LAST - years + 1, YEARS_LAST + 1):
        year = FinancialYear(start)
        PartnershipPopulation.objects.create(
            partnership=partnership, financial_year=year, population=100_000 + partnership.pk
        )
        rows += [
            QuarterlyFigure(partnership=partnership, financial_year=year, quarter=number,
                            category=category, beat=beat,
                            count=(start * 31 + number * 17 + c * 7 + b + partnership.pk) % 400)
            for number in (1, 2, 3, 4)
            for c, category in enumerate(categories)
            for b, beat in enumerate([*beats, None])
        ]  # fmt: skip
    QuarterlyFigure.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def force_area(slug: str, partnerships: int, years: int = 10) -> dict:
    """A county of `partnerships` partnerships (the first with a family group), a member
    of the first, and a county analyst."""
    county = County.objects.create(name=f"County {slug}", slug=slug, force_name=f"{slug} Police")
    made = [
        PartnershipFactory(slug=f"{slug}-{i}", name=f"{slug} CSP {i}", county=county)
        for i in range(partnerships)
    ]
    _, _, figures, _ = build(made[0], years)
    figures += sum(figures_only(p, years) for p in made[1:])
    analyst = UserFactory(username=f"{slug}-analyst")
    grant_county_role(user=analyst, county=county, role=CountyRole.ANALYST)
    board = member(made[0], Role.BOARD_MEMBER, username=f"{slug}-board")
    return {"county": county, "first": made[0], "analyst": analyst, "board": board,
            "figures": figures}  # fmt: skip


def page_urls(world: dict) -> dict[str, str]:
    first, county = world["first"].slug, world["county"].slug
    urls = {
        f"{page[:-1] or 'ytd'} dashboard": f"/p/{first}/performance/{page}?year=2022&quarter=2"
        for page in PAGES
    }
    urls["county view"] = f"/county/{county}/performance/?category=C00&year=2022&quarter=2"
    urls["home"] = "/"
    return urls


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    """Queries of one cold GET of `url` (empty cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def query_counts(world: dict) -> dict[str, tuple[int, int]]:
    """Per page: (queries as the partnership's board member, as the county analyst)."""
    board, analyst = client_for(world["board"]), client_for(world["analyst"])
    return {
        name: (queries(board, url), queries(analyst, url)) for name, url in page_urls(world).items()
    }


def _cold(client: Client, url: str):
    def action() -> None:
        cache.clear()
        client.get(url)

    return action


@override_settings(CACHES=BENCH_CACHES)
def run() -> list[Figure]:
    one, nine = force_area("one", 1), force_area("nine", 9)
    rows = []
    small, big = query_counts(one), query_counts(nine)
    for name in small:
        rows.append(
            Figure(f"{name} queries, 9 partnerships vs 1 (member, analyst)",
                   f"{big[name]} vs {small[name]}", "equal", big[name] == small[name],
                   gates=True)
        )  # fmt: skip
    analyst_one, analyst_nine = client_for(one["analyst"]), client_for(nine["analyst"])
    urls_one, urls_nine = page_urls(one), page_urls(nine)
    for name in urls_one:
        if name == "home":
            continue
        t_one = median_ms(_cold(analyst_one, urls_one[name]), repeat=9)
        t_nine = median_ms(_cold(analyst_nine, urls_nine[name]), repeat=9)
        ratio = t_nine / t_one
        rows.append(
            Figure(f"{name}, cold, 9 partnerships ({nine['figures']:,} figures) vs 1",
                   f"{t_nine:.0f}/{t_one:.0f} ms = {ratio:.2f}", "ratio ≤ 1.2", ratio <= 1.2)
        )  # fmt: skip
    return rows
