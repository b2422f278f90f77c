"""Builders for performance tests: Charnwood's categories and beats, figures by YTD."""

from __future__ import annotations

from csp_portal.financial_year import Quarter
from performance import services
from performance.models import Beat, CrimeCategory, CrimeTypeMapping, LsoaBeat

CATEGORIES = [
    # code, name, parent code, is_asb
    ("ALL", "All Crime", None, False),
    ("VWI", "Violence with Injury", "ALL", False),
    ("BUR", "Burglary", "ALL", False),
    ("BUR-RES", "Burglary – Residential", "BUR", False),
    ("BUR-BUS", "Burglary – Business", "BUR", False),
    ("VEH", "Vehicle Crime", "ALL", False),
    ("TOV", "Theft of Vehicles", "VEH", False),
    ("TFV", "Theft from Vehicles", "VEH", False),
    ("ROB", "Robbery", "ALL", False),
    ("CYC", "Cycle Theft", "ALL", False),
    ("SHOP", "Shoplifting", "ALL", False),
    ("ASB", "Anti-social Behaviour", None, True),
]
BEATS = [
    ("61", "Charnwood East"),
    ("62", "Loughborough Town Centre & University"),
    ("64", "Loughborough West"),
    ("65", "Loughborough East"),
]


def make_categories(partnership) -> dict[str, CrimeCategory]:
    made: dict[str, CrimeCategory] = {}
    for order, (code, name, parent, is_asb) in enumerate(CATEGORIES):
        made[code] = CrimeCategory.objects.create(
            partnership=partnership,
            code=code,
            name=name,
            parent=made.get(parent),
            is_asb=is_asb,
            display_order=order,
        )
    return made


def make_beats(partnership) -> dict[str, Beat]:
    return {
        code: Beat.objects.create(partnership=partnership, code=code, name=name)
        for code, name in BEATS
    }


def enter_ytd(partnership, category, quarter: Quarter, ytd: int, beat=None, user=None) -> None:
    """Enter quarterly totals whose YTD to `quarter` is `ytd` (split evenly, rest in Q1)."""
    n = quarter.number
    share, rest = divmod(ytd, n)
    cells = {}
    for number in range(1, n + 1):
        count = share + (rest if number == 1 else 0)
        cells[
            (quarter.financial_year.start_year, number, category.pk, beat.pk if beat else None)
        ] = count
    services.apply_figures(partnership=partnership, values=cells, user=user)


def map_policeuk(partnership, categories) -> None:
    """All crime types feed All Crime; a few feed their own category; ASB its own."""
    own = {
        "Bicycle theft": "CYC",
        "Burglary": "BUR",
        "Robbery": "ROB",
        "Shoplifting": "SHOP",
        "Vehicle crime": "VEH",
    }
    from performance.models import PoliceUkCrimeType

    for crime_type in PoliceUkCrimeType.values:
        if crime_type == "Anti-social behaviour":
            CrimeTypeMapping.objects.create(
                partnership=partnership, crime_type=crime_type, category=categories["ASB"]
            )
            continue
        CrimeTypeMapping.objects.create(
            partnership=partnership, crime_type=crime_type, category=categories["ALL"]
        )
        if crime_type in own:
            CrimeTypeMapping.objects.create(
                partnership=partnership, crime_type=crime_type, category=categories[own[crime_type]]
            )


def map_lsoas(partnership, beats, lsoas: dict[str, str]) -> None:
    for code, beat_code in lsoas.items():
        LsoaBeat.objects.create(partnership=partnership, lsoa_code=code, beat=beats[beat_code])


def fill_totals(partnership, quarters, count: int = 5) -> None:
    """Give every category without a partnership total in `quarters` one of `count`, so
    those quarters are complete (performance.completeness) around the figures a test
    entered itself."""
    from performance.models import QuarterlyFigure

    stored = set(
        QuarterlyFigure.objects.filter(partnership=partnership, beat__isnull=True).values_list(
            "financial_year", "quarter", "category_id"
        )
    )
    stored = {(year.start_year, number, category) for year, number, category in stored}
    values = {}
    for quarter in quarters:
        for category in CrimeCategory.objects.filter(partnership=partnership):
            key = (quarter.financial_year.start_year, quarter.number, category.pk, None)
            if key[:3] not in stored:
                values[key] = count
    if values:
        services.apply_figures(partnership=partnership, values=values)
