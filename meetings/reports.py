"""Partner update reports in the partnership's template (seed 003): the quarter they
report on, the meeting they are written for, the performance table as rows (crime
type, performance to date, the year to date a year ago and now) prefilled from the
portal's own figures, and the next step once a report is in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from csp_portal.financial_year import Quarter
from csp_portal.models import Organisation, Partnership
from meetings.models import Meeting, MeetingStatus, PartnerReport, PerformanceRow, ThemeUpdate


@dataclass(frozen=True)
class Row:
    """One line of the performance table as typed (or prefilled)."""

    crime_type: str
    change_pct: Decimal | None = None
    previous: int | None = None
    current: int | None = None


def meetings_to_report_to(partnership: Partnership, today: dt.date | None = None) -> QuerySet:
    """The future meetings of the partnership's bodies a report can be written for."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(body__partnership=partnership, date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .order_by("date", "start_time")
    )


def quarters_to_report_on(today: dt.date | None = None, count: int = 6) -> list[Quarter]:
    """The last `count` quarters that have ended, newest first (a report looks back)."""
    latest = Quarter.latest_complete(today or timezone.localdate())
    return [Quarter.from_index(latest.index - n) for n in range(count)]


def prefilled_rows(partnership: Partnership, quarter: Quarter) -> list[Row]:
    """The partnership's year to date at `quarter` against a year earlier, one row per
    crime type the portal has a figure for (performance.selectors.year_to_date)."""
    from performance.selectors import year_to_date

    return [
        Row(ytd.category.name, ytd.change_pct, ytd.previous, ytd.current)
        for ytd in year_to_date(partnership, quarter)
        if ytd.current is not None
    ]


def _change(row: Row) -> Decimal | None:
    if row.change_pct is not None:
        return row.change_pct
    from performance.selectors import change_pct

    return change_pct(row.previous, row.current)


@transaction.atomic
def submit_partner_report(
    *,
    partnership: Partnership,
    organisation: Organisation,
    author: str,
    date: dt.date,
    subject: str,
    summary: str,
    quarter: Quarter,
    meeting: Meeting,
    rows: Iterable[Row] = (),
    updates: dict | None = None,
    priorities: Iterable = (),
    recommendations: str = "",
    budget_implications: str = "",
    key_risks: str = "",
    planned_activity: str = "",
    other_updates: str = "",
    gaps_support: str = "",
    today: dt.date | None = None,
) -> PartnerReport:
    """Save a partner's report with its performance rows and its update for each plan
    theme, all or nothing. The meeting must be a future one of the partnership's."""
    today = today or timezone.localdate()
    if meeting.body.partnership_id != partnership.pk:
        raise ValidationError({"meeting": "Choose a meeting of this partnership's bodies."})
    if meeting.date < today or meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": "Choose a meeting that is still to come."})
    report = PartnerReport.objects.create(
        partnership=partnership,
        organisation=organisation,
        author=author,
        date=date,
        subject=subject,
        summary=summary,
        recommendations=recommendations,
        budget_implications=budget_implications,
        key_risks=key_risks,
        planned_activity=planned_activity,
        other_updates=other_updates,
        gaps_support=gaps_support,
        financial_year=quarter.financial_year,
        quarter=quarter.number,
        meeting=meeting,
    )
    report.priorities.set(list(priorities))
    PerformanceRow.objects.bulk_create(
        PerformanceRow(
            report=report,
            order=position,
            crime_type=row.crime_type,
            change_pct=_change(row),
            previous=row.previous,
            current=row.current,
        )
        for position, row in enumerate(rows, start=1)
    )
    for theme, text in (updates or {}).items():
        if text and text.strip():
            ThemeUpdate.objects.create(report=report, theme=theme, text=text.strip())
    return report


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    link_text: str = ""


def next_step(report: PartnerReport, *, clerk: bool) -> NextStep | None:
    """What happens to the report now: on an agenda already, waiting for the clerk to
    attach it, or (for the clerk) the agenda to attach it to."""
    from django.urls import reverse

    paper = report.papers.select_related("item__meeting__body").first()
    if paper is not None:
        on_agenda = paper.item.meeting
        return NextStep(
            f"On the agenda of {on_agenda}, item “{paper.item.title}”.",
            reverse("meetings:meeting", args=[report.partnership.slug, on_agenda.pk])
            + f"#agenda-item-{paper.item_id}",
            "Open the agenda",
        )
    meeting = report.meeting
    if meeting is None:
        return None
    url = reverse("meetings:meeting", args=[report.partnership.slug, meeting.pk])
    if clerk:
        return NextStep(
            f"Attach to the agenda of {meeting}: add it as a paper to its item.",
            url,
            f"Attach to the agenda of {meeting}",
        )
    return NextStep(f"Submitted to the clerk for {meeting}.", url, f"See {meeting}")
