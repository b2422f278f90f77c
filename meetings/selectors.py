"""Reads for the meetings app: numbered agendas, what a person may see, open actions,
attendance records, Forward Programme entries due and upcoming meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from csp_portal.access import partnerships_for
from csp_portal.models import Body, BodyType, Partnership
from meetings import access
from meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ForwardProgrammeEntry,
    Meeting,
    MeetingStatus,
    Paper,
    Timing,
    sub_item_letter,
)


def visible_meetings(user, partnership: Partnership) -> QuerySet[Meeting]:
    """The partnership's meetings the user may open (`access.can_view_meeting`)."""
    return Meeting.objects.filter(
        access.visible_meetings_q(user, partnership), body__partnership=partnership
    ).select_related("body")


def meetings_of(partnership: Partnership) -> QuerySet[Meeting]:
    """Every meeting of the partnership's bodies, latest first: the choice of "taken at
    the meeting of" for a decision recorded elsewhere (a bid's)."""
    return (
        Meeting.objects.filter(body__partnership=partnership)
        .select_related("body")
        .order_by("-date")
    )


def last_board_meeting(partnership: Partnership, *, before: dt.date) -> Meeting | None:
    """The Board's latest meeting before a date, not counting cancelled ones."""
    return (
        Meeting.objects.filter(
            body__partnership=partnership, body__body_type=BodyType.BOARD, date__lt=before
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-date")
        .first()
    )


def public_meetings(body: Body) -> QuerySet[Meeting]:
    """A body's meetings on the public site (`access.is_public`)."""
    return Meeting.objects.filter(access.PUBLIC_MEETINGS, body=body)


def calendar_meetings(body: Body) -> QuerySet[Meeting]:
    """The iCalendar feed's meetings: every one ever published (cancelled ones too, so a
    subscriber's calendar learns of the cancellation); never an unpublished one."""
    return Meeting.objects.filter(access.IN_CALENDAR, body=body)


@dataclass
class NumberedItem:
    item: AgendaItem
    number: str
    depth: int
    papers: list[Paper] = field(default_factory=list)
    children: list[NumberedItem] = field(default_factory=list)
    #: In a public version: an exempt item shown by number and heading only, its
    #: `item` a copy holding nothing else (no purpose, presenter or reason).
    withheld: bool = False

    @property
    def exempt(self) -> bool:
        """Exempt itself or through the item above it (`access.is_exempt`)."""
        return access.is_exempt(self.item)

    @property
    def exempt_paragraph(self) -> int | None:
        return access.exempt_paragraph(self.item)

    @property
    def notice(self) -> str:
        """The public notice, "Not for publication by virtue of paragraph N …"."""
        return access.withheld_notice(self.item) if self.exempt else ""

    @property
    def anchor(self) -> str:
        return f"item-{self.number.replace('(', '-').replace(')', '')}"


def numbered_agenda(meeting: Meeting, *, include_exempt: bool = True) -> list[NumberedItem]:
    """The agenda as a tree with display numbers derived from the order: 1, 2 … 6(a).

    Numbers are derived from positions (not stored), so they are always right after a
    move. With `include_exempt=False` (the public version) an exempt item (exempt status
    is inherited: `access.is_exempt`) keeps its number and heading but nothing else:
    its node is `withheld`, its item a copy with only the title and the paragraph it is
    exempt under, and it has no papers; exempt papers of open items are left out.
    """
    items = list(
        meeting.items.select_related(
            "presenter", "presenter__profile", "presenter_organisation"
        ).order_by("order", "pk")
    )
    papers: dict[int, list[Paper]] = {}
    for paper in Paper.objects.filter(item__meeting=meeting).order_by("order", "pk"):
        papers.setdefault(paper.item_id, []).append(paper)
    by_parent: dict[int | None, list[AgendaItem]] = {}
    by_pk = {item.pk: item for item in items}
    for item in items:
        if item.parent_id in by_pk:
            item.parent = by_pk[item.parent_id]  # so is_exempt walks up without a query
        by_parent.setdefault(item.parent_id, []).append(item)
    for paper_list in papers.values():
        for paper in paper_list:
            paper.item = by_pk[paper.item_id]
    result: list[NumberedItem] = []
    for position, item in enumerate(by_parent.get(None, []), start=1):
        node = NumberedItem(item, str(position), 0, papers.get(item.pk, []))
        for sub_position, child in enumerate(by_parent.get(item.pk, []), start=1):
            node.children.append(
                NumberedItem(
                    child,
                    f"{position}({sub_item_letter(sub_position)})",
                    1,
                    papers.get(child.pk, []),
                )
            )
        result.append(node)
    if not include_exempt:
        result = _without_exempt(result)
    return result


def _without_exempt(nodes: list[NumberedItem]) -> list[NumberedItem]:
    for node in nodes:
        if access.is_exempt(node.item):
            node.item = _heading_only(node.item)
            node.withheld = True
            node.papers = []
        else:
            node.papers = [p for p in node.papers if not access.is_paper_exempt(p)]
        node.children = _without_exempt(node.children)
    return nodes


def _heading_only(item: AgendaItem) -> AgendaItem:
    """A copy of an exempt item that can show its heading and its notice, and nothing a
    template could leak by mistake."""
    return AgendaItem(
        pk=item.pk,
        meeting=item.meeting,
        order=item.order,
        kind=item.kind,
        title=item.title,
        is_exempt=True,
        exempt_paragraph=access.exempt_paragraph(item),
    )


def flatten(nodes: list[NumberedItem]) -> list[NumberedItem]:
    flat = []
    for node in nodes:
        flat.append(node)
        flat.extend(flatten(node.children))
    return flat


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that took place (not cancelled)."""
    return (
        Meeting.objects.filter(body=meeting.body)
        .filter(Q(date__lt=meeting.date) | Q(date=meeting.date, start_time__lt=meeting.start_time))
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-date", "-start_time")
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(body=meeting.body)
        .filter(Q(date__gt=meeting.date) | Q(date=meeting.date, start_time__gt=meeting.start_time))
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date", "start_time")
        .first()
    )


def open_actions_before(meeting: Meeting, *, public: bool = False) -> QuerySet[Action]:
    """Actions from the body's earlier meetings still open: this meeting's matters arising
    (`public`: those of exempt items left out)."""
    actions = Action.objects.filter(
        meeting__body=meeting.body, meeting__date__lt=meeting.date, status=ActionStatus.OPEN
    )
    return (
        access.actions_for(actions, public=public)
        .select_related("meeting", "owner")
        .order_by("meeting__date", "pk")
    )


def entries_due(meeting: Meeting) -> QuerySet[ForwardProgrammeEntry]:
    """Forward Programme entries for this meeting: standing items, those targeted at it,
    dated entries falling before it (and after the previous one) and annual ones due
    in its month."""
    before = previous_meeting(meeting)
    since = before.date if before else dt.date.min
    return ForwardProgrammeEntry.objects.filter(body=meeting.body, is_complete=False).filter(
        Q(timing=Timing.STANDING)
        | Q(timing=Timing.MEETING, target_meeting=meeting)
        | Q(timing=Timing.DATE, target_date__gt=since, target_date__lte=meeting.date)
        | Q(timing=Timing.ANNUAL, annual_month=meeting.date.month)
    )


@dataclass(frozen=True)
class AttendanceRow:
    person_id: int
    name: str
    present: int
    apologies: int
    absent: int

    @property
    def meetings(self) -> int:
        return self.present + self.apologies + self.absent


def attendance_record(body: Body) -> list[AttendanceRow]:
    """Per person with an account: meetings attended, apologies (a substitute sent counts
    as apologies) and absences; cancelled meetings left out. Guests named only are not
    counted."""
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    rows = (
        Attendance.objects.filter(meeting__body=body, person__isnull=False)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("person")
    )
    for row in rows:
        person = row.person
        if person is None:  # not reached: the query keeps rows with a person
            continue
        tally = counts.setdefault(person.pk, {"present": 0, "apologies": 0, "absent": 0})
        names[person.pk] = person.get_full_name() or person.username
        if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.OFFICER):
            tally["present"] += 1
        elif row.status in (AttendanceStatus.APOLOGIES, AttendanceStatus.SUBSTITUTE):
            tally["apologies"] += 1
        else:
            tally["absent"] += 1
    return sorted(
        (AttendanceRow(pid, names[pid], **tally) for pid, tally in counts.items()),
        key=lambda r: r.name,
    )


def upcoming_meetings_for(user, *, days: int = 60, limit: int = 8) -> list[Meeting]:
    """The next meetings across the partnerships a person belongs to."""
    today = timezone.localdate()
    meetings = (
        Meeting.objects.filter(
            body__partnership__in=partnerships_for(user),
            date__gte=today,
            date__lte=today + dt.timedelta(days=days),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body", "body__partnership")
        .order_by("date", "start_time")
    )
    return [m for m in meetings[: limit * 2] if access.can_view_meeting(user, m)][:limit]
