"""The force area's partnerships' performance data in the demo (after csp_portal.county).

For each partnership of the demo partnership's county but the demo partnership itself
(Charnwood keeps its own figures): the county template (categories, police.uk mapping,
one beat per district and its LSOAs) and the real quarterly figures derived from the
police.uk files, April 2021 – September 2022 (fixtures/county/figures.csv), every quarter
but the latest published. Idempotent: unchanged figures are left alone.
"""

from __future__ import annotations

from pathlib import Path

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance import services
from performance.county_template import apply_template, rows_by_partnership, template_figures
from performance.models import PublishedQuarter


def load(partnership: Partnership, directory) -> None:
    if partnership.county_id is None:
        return
    template = Path(directory).parent / "county"
    rows = rows_by_partnership(template)
    others = Partnership.objects.filter(county_id=partnership.county_id).exclude(pk=partnership.pk)
    for other in others:
        apply_template(partnership=other, directory=template)
        # (year, quarter, category, beat) -> count, as apply_figures takes them (the
        # template's figures are partnership totals: no beat)
        values: dict[tuple[int, int, int, int | None], int | None] = {}
        for key, count in template_figures(other, rows.get(other.slug, [])).items():
            values[key] = count
        services.apply_figures(
            partnership=other,
            values=values,
            reason="Quarterly figures from police.uk street-level crime data",
        )
        quarters = sorted({Quarter.parse(year, number) for year, number, _, _ in values})
        published = set(
            PublishedQuarter.objects.filter(partnership=other).values_list(
                "financial_year", "quarter"
            )
        )
        for quarter in quarters[:-1]:
            if (quarter.financial_year, quarter.number) not in published:
                services.publish_quarter(partnership=other, quarter=quarter)
