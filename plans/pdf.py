"""The plan as a PDF in the shape of the partnership's printed plans (WeasyPrint, A4,
PDF/UA-1: tagged, with its identifier, XMP metadata, title and language)."""

from __future__ import annotations

from django.template.loader import render_to_string

from csp_portal.financial_year import Quarter
from csp_portal.pdf_render import url_fetcher
from plans import selectors
from plans.models import Plan


def plan_pdf_html(plan: Plan, quarter: Quarter) -> str:
    return render_to_string(
        "plans/plan_pdf.html",
        {
            "plan": plan,
            "partnership": plan.partnership,
            "quarter": quarter,
            "overview": selectors.plan_overview(plan, quarter),
        },
    )


def plan_pdf_bytes(plan: Plan, quarter: Quarter) -> bytes:
    from weasyprint import HTML  # here, not at start-up (1.4 s)

    # base_url=None and no external references; the fetcher refuses anything but our
    # static files should one creep in.
    return HTML(
        string=plan_pdf_html(plan, quarter), base_url=None, url_fetcher=url_fetcher()
    ).write_pdf(pdf_variant="pdf/ua-1")  # tagged, identifier, XMP, title, language
