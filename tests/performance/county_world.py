"""Builders for the county tests: partnerships made from the county template, with
year-to-date figures entered through the services."""

from __future__ import annotations

from csp_portal.financial_year import Quarter
from csp_portal.models import County, Partnership
from performance import services
from performance.county_template import create_from_template
from performance.models import CrimeCategory

#: (slug, name, ONS code, local authorities) of the force area, as fixtures/county has them.
FORCE_AREA = [
    ("charnwood", "Charnwood CSP", "E22000165", ["Charnwood"]),
    ("blaby-hinckley-bosworth", "Blaby and Hinckley & Bosworth CSP", "E22000164",
     ["Blaby", "Hinckley and Bosworth"]),
    ("harborough", "Harborough CSP", "E22000166", ["Harborough"]),
    ("melton", "Melton CSP", "E22000169", ["Melton"]),
    ("nw-leicestershire", "North West Leicestershire CSP", "E22000170",
     ["North West Leicestershire"]),
    ("oadby-wigston", "Oadby and Wigston CSP", "E22000171", ["Oadby and Wigston"]),
    ("leicester", "Safer Leicester Partnership", "E22000168", ["Leicester"]),
    ("rutland", "Safer Rutland Partnership", "E22000172", ["Rutland"]),
]  # fmt: skip


def county_of(slug: str = "leicestershire") -> County:
    county, _ = County.objects.get_or_create(
        slug=slug,
        defaults={
            "name": "Leicestershire Safer Communities Strategy Board",
            "force_name": "Leicestershire Police",
        },
    )
    return county


def make_partnership(county: County, slug: str) -> Partnership:
    spec = next(p for p in FORCE_AREA if p[0] == slug)
    return create_from_template(
        county=county, slug=spec[0], name=spec[1], ons_code=spec[2], local_authorities=spec[3]
    )


def category(partnership: Partnership, code: str) -> CrimeCategory:
    return CrimeCategory.objects.get(partnership=partnership, code=code)


def enter_quarters(partnership: Partnership, counts: dict[tuple[str, int, str], int]) -> None:
    """counts: (financial year "2022/23", quarter, category code) -> partnership total."""
    codes = dict(CrimeCategory.objects.filter(partnership=partnership).values_list("code", "pk"))
    values = {
        (Quarter.parse(year, number).financial_year.start_year, number, codes[code], None): n
        for (year, number, code), n in counts.items()
    }
    services.apply_figures(partnership=partnership, values=values)


def full_year_to_q2(partnership: Partnership, previous: int, current: int, code="ALL") -> None:
    """Every template category stored for Q1–Q2 of 2021/22 and 2022/23 (complete), with
    `code`'s year to date `previous` and `current` (split Q1 = rest, Q2 = half)."""
    counts = {}
    for year, ytd in (("2021/22", previous), ("2022/23", current)):
        for other in CrimeCategory.objects.filter(partnership=partnership):
            for number in (1, 2):
                counts[(year, number, other.code)] = 0
        counts[(year, 1, code)] = ytd - ytd // 2
        counts[(year, 2, code)] = ytd // 2
    enter_quarters(partnership, counts)
