"""The demo holds the force area: nine partnerships (eight records: Blaby and Hinckley &
Bosworth are one) in the county, each with its bodies, partners, officer, Census 2021
population and the shipped police.uk figures; Charnwood's own figures untouched."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from csp_portal.county import TEMPLATE_DIR, read_rows
from csp_portal.models import County, CountyBody, Partnership
from performance.models import PublishedQuarter, QuarterlyFigure

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_force_area(client_for):
    call_command("load_demo", "--force")
    county = County.objects.get(slug="leicestershire")
    assert county.force_name == "Leicestershire Police"
    slugs = set(Partnership.objects.filter(county=county).values_list("slug", flat=True))
    assert slugs == {row["slug"] for row in read_rows(TEMPLATE_DIR / "partnerships.csv")}
    stored = {
        (slug, str(year), str(number), code): str(count)
        for slug, year, number, code, count in QuarterlyFigure.objects.filter(beat__isnull=True)
        .exclude(partnership__slug="charnwood")
        .values_list("partnership__slug", "financial_year", "quarter", "category__code", "count")
    }
    shipped = {
        (r["partnership"], r["financial_year"], r["quarter"], r["category"]): r["count"]
        for r in read_rows(TEMPLATE_DIR / "figures.csv")
        if r["partnership"] != "charnwood"
    }
    assert stored == shipped
    bhb = Partnership.objects.get(slug="blaby-hinckley-bosworth")
    assert bhb.populations.get().population == 216600
    assert set(bhb.bodies.values_list("slug", flat=True)) == {"board", "jag"}
    assert bhb.memberships.filter(user__username="officer-blaby-hinckley-bosworth").exists()
    assert "Leicestershire Police" in bhb.organisations.values_list("name", flat=True)
    # All but the latest quarter published: 5 of 6.
    assert PublishedQuarter.objects.filter(partnership=bhb).count() == 5
    board = CountyBody.objects.get(county=county, slug="strategy-board")
    assert board.chair.username == "county-chair"
    # Charnwood keeps its own (seed-based) figures: its 2022/23 Q2 All Crime YTD is 7,475.
    charnwood = Partnership.objects.get(slug="charnwood")
    assert charnwood.county == county
    ytd = sum(
        QuarterlyFigure.objects.filter(
            partnership=charnwood, financial_year=2022, category__code="ALL", beat__isnull=True
        ).values_list("count", flat=True)
    )
    assert ytd == 7475
    # Twice changes nothing.
    before = (QuarterlyFigure.objects.count(), PublishedQuarter.objects.count())
    call_command("load_demo", "--force")
    assert (QuarterlyFigure.objects.count(), PublishedQuarter.objects.count()) == before
