"""The lead's quarterly report on a priority as a paper: on its own page, and as a
generated paper a meeting's agenda pack can carry (registered in apps.py).

The pack is printed by WeasyPrint on A4, so the HTML is self-contained: inline styles,
no scripts, no external URLs.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from csp_portal.models import Partnership
from plans import selectors
from plans.models import PriorityReport


def render_report_html(partnership: Partnership, report: PriorityReport, *, standalone=True) -> str:
    priority = report.priority
    (status,) = selectors.priority_statuses(priority.plan, report.period, [priority])
    return render_to_string(
        "plans/report_paper.html",
        {
            "partnership": partnership,
            "report": report,
            "priority": priority,
            "plan": priority.plan,
            "status": status,
            "standalone": standalone,
        },
    )


def render_pack_block(partnership: Partnership, params: dict) -> str:
    """PackBlock render: params {"report": <id>} naming one of this partnership's reports."""
    given = params.get("report") if isinstance(params, dict) else None
    try:
        if given is None:
            raise TypeError
        report_id = int(given)
    except (TypeError, ValueError):
        raise LookupError('Give the report to print as {"report": <id>}.') from None
    report = (
        PriorityReport.objects.select_related(
            "priority__plan__partnership", "priority__theme", "priority__lead_person", "author"
        )
        .filter(pk=report_id, priority__plan__partnership=partnership)
        .first()
    )
    if report is None:
        raise LookupError(f"There is no priority report {report_id} in {partnership}.")
    return render_report_html(partnership, report)


def report_choices(partnership: Partnership) -> list[tuple[int, str]]:
    """The leads' reports of the partnership's plans, newest first: the paper's list."""
    reports = (
        PriorityReport.objects.filter(priority__plan__partnership=partnership)
        .select_related("priority")
        .order_by("-financial_year", "-quarter", "priority__number")
    )
    return [(r.pk, f"{r.period}: priority {r.priority.number} {r.priority.title}") for r in reports]
