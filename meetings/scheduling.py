"""A body's calendar of meetings: scheduling one (with its proposed agenda), moving it
or changing its venue before it is held, and marking it held or cancelled (the life
cycle's steps, meetings/lifecycle.py).

Every action runs in one transaction and raises ValidationError with a message a clerk
can act on, leaving nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from csp_portal.models import Body
from meetings import lifecycle
from meetings.agenda import propose_agenda
from meetings.models import Meeting, MeetingStatus


def _clash_message(body: Body, date: dt.date, start_time: dt.time) -> str:
    return (
        f"{body} already meets on {date:%-d %B %Y} at {start_time:%H:%M}. "
        "Choose another date or time."
    )


@transaction.atomic
def schedule_meeting(
    *,
    body: Body,
    date: dt.date,
    start_time: dt.time | None = None,
    venue: str = "",
    propose: bool = True,
) -> Meeting:
    """Add a meeting to a body's schedule and propose its agenda."""
    start_time = start_time or body.default_start_time or dt.time(10, 0)
    if Meeting.objects.filter(body=body, date=date, start_time=start_time).exists():
        raise ValidationError({"date": _clash_message(body, date, start_time)})
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                body=body, date=date, start_time=start_time, venue=venue or body.default_venue
            )
    except IntegrityError as exc:  # someone else scheduled it a moment ago
        raise ValidationError({"date": _clash_message(body, date, start_time)}) from exc
    if propose:
        propose_agenda(meeting=meeting)
    return meeting


@transaction.atomic
def change_meeting_details(
    *, meeting: Meeting, date: dt.date, start_time: dt.time, venue: str
) -> Meeting:
    """Move a meeting or change its venue (before it is held). After publication the
    meeting page then offers a revised pack naming the change (meetings/publishing.py)."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        raise ValidationError(
            f"{meeting} is {meeting.get_status_display().lower()}: its date, time and venue "
            "are a matter of record."
        )
    clash = Meeting.objects.filter(body=meeting.body, date=date, start_time=start_time)
    if clash.exclude(pk=meeting.pk).exists():
        raise ValidationError({"date": _clash_message(meeting.body, date, start_time)})
    if not venue.strip():
        raise ValidationError({"venue": "Say where the meeting is held."})
    meeting.date, meeting.start_time, meeting.venue = date, start_time, venue.strip()
    meeting.save(update_fields=["date", "start_time", "venue"])
    return meeting


def set_status(*, meeting: Meeting, status: str, by=None) -> Meeting:
    """Mark a meeting held or cancelled: the life cycle's `hold` and `cancel` steps
    (publishing and confirming have their own: meetings/lifecycle.py)."""
    steps: dict[str, Callable[..., Meeting]] = {
        MeetingStatus.HELD: lifecycle.hold,
        MeetingStatus.CANCELLED: lifecycle.cancel,
    }
    if status not in steps:
        raise ValidationError(f"A meeting is not marked {status} by hand.")
    return steps[status](meeting=meeting, by=by)
