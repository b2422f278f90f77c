"""Public pages (no login): each body's published agendas, public packs, confirmed
minutes and an iCalendar feed. Only meetings the clerk published appear
(`access.is_public`); exempt items, papers and what hangs from them never do. The PDFs
are files frozen at publication and confirmation, served from storage, and anonymous
visitors are throttled on them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csp_portal.models import Body, Partnership
from meetings import access, minutes, selectors
from meetings.models import Meeting, MeetingStatus
from meetings.printed_minutes import minutes_context
from meetings.throttle import throttle_anonymous


def _body(partnership: str, body: str) -> Body:
    return get_object_or_404(
        Body.objects.select_related("partnership"), partnership__slug=partnership, slug=body
    )


def _published(body: Body, date: dt.date) -> Meeting:
    meeting = (
        selectors.public_meetings(body)
        .filter(date=date)
        .select_related("body__partnership")
        .first()
    )
    if meeting is None:
        raise Http404("No published agenda for that date.")
    return meeting


@login_not_required
@require_GET
def partnership_index(request: HttpRequest, partnership: str) -> HttpResponse:
    found = get_object_or_404(Partnership, slug=partnership)
    return render(
        request,
        "public/partnership.html",
        {"partnership": found, "bodies": found.bodies.filter(is_active=True)},
    )


@login_not_required
@require_GET
def body_index(request: HttpRequest, partnership: str, body: str) -> HttpResponse:
    found = _body(partnership, body)
    meetings = Meeting.objects.filter(body=found).exclude(status=MeetingStatus.CANCELLED)
    return render(
        request,
        "public/body.html",
        {
            "body": found,
            "partnership": found.partnership,
            "meetings": [(m, access.is_public(m)) for m in meetings.order_by("-date")],
        },
    )


@login_not_required
@require_GET
def meeting_page(request: HttpRequest, partnership: str, body: str, date: str) -> HttpResponse:
    meeting = _published(_body(partnership, body), _date(date))
    return render(
        request,
        "public/meeting.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "partnership": meeting.body.partnership,
            "agenda": selectors.flatten(selectors.numbered_agenda(meeting, include_exempt=False)),
            "minutes": minutes_context(meeting, public=True) if meeting.minutes_locked else None,
            "has_pack": meeting.packs.exists(),
        },
    )


@login_not_required
@require_GET
@throttle_anonymous
def pack_pdf(request: HttpRequest, partnership: str, body: str, date: str) -> FileResponse:
    meeting = _published(_body(partnership, body), _date(date))
    latest = meeting.packs.order_by("-number").first()
    if latest is None:
        raise Http404("No pack has been published.")
    return FileResponse(
        latest.public_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-agenda-pack.pdf",
    )


@login_not_required
@require_GET
@throttle_anonymous
def minutes_pdf(request: HttpRequest, partnership: str, body: str, date: str) -> FileResponse:
    """The public minutes as frozen at confirmation (and reprinted on an amendment)."""
    meeting = _published(_body(partnership, body), _date(date))
    if not meeting.minutes_locked:
        raise Http404("These minutes have not been confirmed yet.")
    if not meeting.public_minutes_pdf:  # confirmed before minutes were frozen: once
        meeting = minutes.frozen_public_minutes(meeting=meeting)
    return FileResponse(
        meeting.public_minutes_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-minutes.pdf",
    )


@login_not_required
@require_GET
def ical(request: HttpRequest, partnership: str, body: str) -> HttpResponse:
    """A body's published meetings as an iCalendar feed (RFC 5545); a published meeting
    cancelled later stays in the feed as CANCELLED, so calendars drop it."""
    from icalendar import Calendar, Event  # here, not at start-up (0.5 s)

    found = _body(partnership, body)
    london = ZoneInfo("Europe/London")
    calendar = Calendar()
    calendar.add("prodid", "-//CSP portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{found.partnership.name}: {found.name}")
    stamp = timezone.now()
    for meeting in selectors.calendar_meetings(found).order_by("date"):
        event = Event()
        start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=london)
        event.add("uid", f"meeting-{meeting.pk}@{found.partnership.slug}.csp-portal")
        event.add("summary", found.name)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(hours=2))
        event.add("dtstamp", stamp)
        event.add("location", meeting.venue)
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        if access.is_public(meeting):
            event.add(
                "url",
                request.build_absolute_uri(
                    f"/public/{found.partnership.slug}/{found.slug}/{meeting.date:%Y-%m-%d}/"
                ),
            )
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{found.slug}.ics"'
    return response


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404("Not a date.") from None
