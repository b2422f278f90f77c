"""The home page's next jobs from the meetings app: a board member's next meeting, its
pack (only one that has been published) and the dashboards; a clerk's next meetings'
missing papers (items with no paper yet, partner reports asked for and not in, reports
in but not yet on the agenda).

Each provider costs a fixed number of queries whatever the number of meetings, items
or partnerships (tests/core/test_request_costs.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from csp_portal.access import has_role, member_partnerships
from csp_portal.extension_points import HomeEntry
from csp_portal.models import Body
from csp_portal.roles import BOARD_MEMBERS
from meetings import access
from meetings.models import (
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingStatus,
    PackVersion,
    Paper,
    PartnerReport,
)

#: How far ahead the clerk's list looks for the next meeting of each body.
CLERK_HORIZON_DAYS = 60
#: Items that carry a paper when they have one (not apologies, minutes, AOB…).
ITEMS_WITH_PAPERS = (ItemKind.BUSINESS, ItemKind.STANDING)


def _when(meeting: Meeting) -> str:
    return f"{meeting.body.name}, {meeting.date:%-d %B %Y} at {meeting.start_time:%H:%M}"


def board_member_jobs(user) -> list[HomeEntry]:
    """For each partnership where the person sits on the board: the next meeting (of a
    body they belong to, else the partnership's next), its pack when one is published,
    and the year-to-date dashboard. One query."""
    partnerships = [p for p in member_partnerships(user) if has_role(user, p, BOARD_MEMBERS)]
    if not partnerships:
        return []
    today = timezone.localdate()
    # Each partnership's first upcoming meeting, a body the person sits on first: a
    # correlated subquery (DISTINCT ON would be PostgreSQL's alone; this runs on SQLite too)
    upcoming = Meeting.objects.filter(date__gte=today).exclude(status=MeetingStatus.CANCELLED)
    first = (
        upcoming.filter(body__partnership=OuterRef("body__partnership"))
        .annotate(mine=Exists(Body.objects.filter(pk=OuterRef("body_id"), members=user)))
        .order_by("-mine", "date", "start_time", "pk")
        .values("pk")[:1]
    )
    next_meetings = (
        upcoming.filter(body__partnership__in=partnerships)
        .annotate(
            first=Subquery(first),
            has_pack=Exists(PackVersion.objects.filter(meeting=OuterRef("pk"))),
        )
        .filter(pk=F("first"))
        .select_related("body", "body__partnership")
    )
    by_partnership = {m.body.partnership_id: m for m in next_meetings}
    entries = []
    for partnership in partnerships:
        meeting = by_partnership.get(partnership.pk)
        if meeting is not None and access.can_view_meeting(user, meeting):
            args = [partnership.slug, meeting.pk]
            entries.append(
                HomeEntry(
                    title=f"Next meeting: {_when(meeting)}",
                    url=reverse("meetings:meeting", args=args),
                    partnership=partnership.name,
                    detail=f"Read its agenda · {meeting.get_status_display()}",
                    due=meeting.date,
                )
            )
            if meeting.has_pack:
                full = access.reads_everything(user, partnership)
                entries.append(
                    HomeEntry(
                        title=f"Read the {'members’' if full else 'public'} pack for "
                        f"{meeting.body.name}, {meeting.date:%-d %B %Y}",
                        url=reverse("meetings:pack", args=args),
                        partnership=partnership.name,
                        detail="PDF, as published by the clerk",
                    )
                )
        entries.append(
            HomeEntry(
                title="Performance dashboard: year to date",
                url=reverse("performance:index", kwargs={"partnership": partnership.slug}),
                partnership=partnership.name,
                detail="Crime this year against last, with targets and status",
            )
        )
    return entries


def clerk_jobs(user, today: dt.date | None = None) -> list[HomeEntry]:
    """For the next meeting of each body the person clerks (within two months): each item
    still without a paper (naming the partner whose report is awaited) and each partner
    report written for the meeting but not yet attached. Two queries."""
    partnerships = [p for p in member_partnerships(user) if access.can_edit(user, p)]
    if not partnerships:
        return []
    today = today or timezone.localdate()
    within = Meeting.objects.filter(
        date__gte=today, date__lte=today + dt.timedelta(days=CLERK_HORIZON_DAYS)
    ).exclude(status=MeetingStatus.CANCELLED)
    # each body's first meeting in the horizon (a correlated subquery, as above)
    first = (
        within.filter(body=OuterRef("body")).order_by("date", "start_time", "pk").values("pk")[:1]
    )
    next_of_each_body = (
        within.filter(body__partnership__in=partnerships)
        .annotate(first=Subquery(first))
        .filter(pk=F("first"))
        .values("pk")
    )
    items = (
        AgendaItem.objects.filter(meeting__in=next_of_each_body, kind__in=ITEMS_WITH_PAPERS)
        .exclude(Exists(Paper.objects.filter(item=OuterRef("pk"))))
        .exclude(Exists(AgendaItem.objects.filter(parent=OuterRef("pk"))))
        .select_related("meeting__body__partnership", "presenter_organisation", "parent")
        .order_by("meeting__date", "meeting__start_time", "parent__order", "order")
    )
    entries = []
    for item in items:
        meeting = item.meeting
        awaited = item.presenter_organisation
        entries.append(
            HomeEntry(
                title=f"{_when(meeting)}: “{item.title}” has no paper yet",
                url=reverse("meetings:meeting", args=[meeting.body.partnership.slug, meeting.pk])
                + f"#agenda-item-{item.pk}",
                partnership=meeting.body.partnership.name,
                detail=f"Partner report from {awaited} not in yet"
                if awaited
                else "Add a paper or a generated paper to the item",
                due=meeting.date,
            )
        )
    waiting = (
        PartnerReport.objects.filter(meeting__in=next_of_each_body)
        .exclude(Exists(Paper.objects.filter(report=OuterRef("pk"))))
        .select_related("organisation", "meeting__body__partnership")
        .order_by("meeting__date", "date")
    )
    for report in waiting:
        if (for_meeting := report.meeting) is None:  # the filter keeps only reports with one
            continue
        meeting = for_meeting
        entries.append(
            HomeEntry(
                title=f"{_when(meeting)}: report from {report.organisation} is in",
                url=reverse("meetings:report", args=[meeting.body.partnership.slug, report.pk]),
                partnership=meeting.body.partnership.name,
                detail=f"Attach “{report.subject}” to the agenda",
                due=meeting.date,
            )
        )
    return entries
