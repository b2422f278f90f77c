"""How fast the board's plan pages are on the demo plan with a year of live figures.

Builds the demo partnership and its two plans, gives the crime categories the plan's
measures name two years of partnership totals, then times the plan page, a priority
page (the golden thread) and the plan PDF as a board member would request them.
"""

from __future__ import annotations

from django.test import Client

from bench.figures import Figure, median_ms
from csp_portal.demo import DEMO_DIR, load_core
from csp_portal.financial_year import FinancialYear
from performance.models import CrimeCategory, QuarterlyFigure
from plans import demo, selectors

CATEGORIES = [
    "All Crime",
    "Burglary – Residential",
    "Theft of Vehicles",
    "Theft from Vehicles",
    "Robbery",
    "Cycle Theft",
    "Shoplifting",
    "Violence with Injury",
    "Anti-social Behaviour",
    "Burglary",
]


def run() -> list[Figure]:
    partnership, _ = load_core(DEMO_DIR)
    for n, name in enumerate(CATEGORIES):
        category, _ = CrimeCategory.objects.get_or_create(
            partnership=partnership, name=name, defaults={"code": f"B{n}"}
        )
        for year in (2016, 2017):
            for quarter in (1, 2, 3, 4):
                QuarterlyFigure.objects.get_or_create(
                    partnership=partnership,
                    category=category,
                    financial_year=FinancialYear(year),
                    quarter=quarter,
                    beat=None,
                    defaults={"count": 100 + 7 * n + year % 7 + quarter},
                )
    demo.load(partnership, DEMO_DIR)
    plan = selectors.current_plan(partnership)
    priority = plan.priorities.get(number=1)
    client = Client()
    client.force_login(priority.lead_person)
    slug = partnership.slug

    def get(url):
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)

    plan_ms = median_ms(lambda: get(f"/p/{slug}/plans/{plan.pk}/"))
    priority_ms = median_ms(lambda: get(f"/p/{slug}/plans/priorities/{priority.pk}/"))
    pdf_ms = median_ms(lambda: get(f"/p/{slug}/plans/{plan.pk}/pdf/"), repeat=3, warmup=1)
    return [
        Figure("plans: plan page (8 priorities)", f"{plan_ms:.0f} ms", "< 300 ms", plan_ms < 300),
        Figure("plans: priority page", f"{priority_ms:.0f} ms", "< 300 ms", priority_ms < 300),
        Figure("plans: plan PDF (20 pages)", f"{pdf_ms:.0f} ms", "< 8000 ms", pdf_ms < 8000),
    ]
