"""Factories and helpers for the meetings tests."""

from __future__ import annotations

import datetime as dt
import io

import factory
from weasyprint import HTML

from csp_portal.models import BodyType
from meetings.models import Meeting
from tests.factories import BodyFactory


def board(partnership, **fields):
    return BodyFactory(
        partnership=partnership,
        name=fields.pop("name", "Partnership Board"),
        slug=fields.pop("slug", "board"),
        body_type=BodyType.BOARD,
        default_venue="Committee Room 1, Council Offices, Southfields, Loughborough",
        default_start_time=dt.time(13, 30),
        **fields,
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = dt.date(2017, 1, 26)
    start_time = dt.time(13, 30)
    venue = "Committee Room 1"


def make_pdf(label: str, pages: int = 1, size: str = "A4") -> bytes:
    """A real PDF (laid out by WeasyPrint) whose pages say `label` and their own number."""
    body = "".join(
        f'<p style="break-before: page">{label} – own page {n}</p>' for n in range(1, pages + 1)
    )
    html = f"<html><head><style>@page {{ size: {size}; }}</style></head><body>{body}</body></html>"
    buffer = io.BytesIO()
    HTML(string=html).write_pdf(buffer)
    return buffer.getvalue()


def report_post(partnership, **fields) -> dict:
    """The fields a partner report's form needs besides its text: the latest quarter
    offered, a future Board meeting (scheduled if there is none) and an empty table."""
    from django.utils import timezone

    from meetings import reports, scheduling
    from meetings.report_forms import quarter_key

    meeting = reports.meetings_to_report_to(partnership).first()
    if meeting is None:
        body = partnership.bodies.first() or board(partnership)
        meeting = scheduling.schedule_meeting(
            body=body, date=timezone.localdate() + dt.timedelta(days=21)
        )
    return {
        "quarter": quarter_key(reports.quarters_to_report_on()[0]),
        "meeting": meeting.pk,
        "rows-TOTAL_FORMS": "0",
        "rows-INITIAL_FORMS": "0",
        **fields,
    }
