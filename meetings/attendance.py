"""Attendance for the whole body on one page, saved in one go.

Every member of the body is listed (present, apologies, absent, or a substitute named
with whom they stood in for), then the officers and guests in attendance by name and
organisation, whether or not they have an account. `save_sheet` replaces the meeting's
attendance all-or-nothing, under the meeting's row lock, and refuses a save made from a
page opened before another clerk's save (`Meeting.attendance_version`,
`csp_portal.versioning`), listing what the other clerk recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from csp_portal.models import Organisation
from csp_portal.versioning import check_version
from meetings.minutes import check_minutes_writable
from meetings.models import (
    MEMBER_STATUSES,
    OTHER_STATUSES,
    Attendance,
    AttendanceStatus,
    Meeting,
)


@dataclass(frozen=True)
class MemberLine:
    """What the clerk recorded for one member of the body."""

    person: Any
    status: str
    role: str = ""
    substitute_name: str = ""


@dataclass(frozen=True)
class OtherLine:
    """An officer or guest in attendance, by name (and organisation)."""

    name: str
    status: str
    organisation_name: str = ""
    role: str = ""


def members(meeting: Meeting) -> list[Any]:
    """The body's members (and its chair), by surname: the people the sheet lists."""
    body = meeting.body
    people: dict[int, Any] = {user.pk: user for user in body.members.select_related("profile")}
    if body.chair is not None and body.chair.pk not in people:
        people[body.chair.pk] = body.chair
    # someone recorded earlier who has since left the body keeps their line
    for row in meeting.attendance.filter(person__isnull=False).select_related("person__profile"):
        if row.status in MEMBER_STATUSES and row.person is not None:
            people.setdefault(row.person.pk, row.person)
    return sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.username))


def printed_name(person: Any) -> str:
    name = person.get_full_name() or person.username
    title = getattr(getattr(person, "profile", None), "title", "")
    return f"{title} {name}" if title else name


def _summary(rows: list[dict]) -> dict[str, str]:
    """One line per person, to compare what is stored with what a clerk typed."""
    lines: dict[str, str] = {}
    for row in rows:
        status = AttendanceStatus(row["status"]).label
        detail = (
            f"{status}, substitute {row['substitute_name']}"
            if row.get("substitute_name")
            else status
        )
        if row.get("organisation_name"):
            detail += f", {row['organisation_name']}"
        if row.get("role"):
            detail += f" ({row['role']})"
        lines[row["name"]] = detail
    return lines


def _stored_rows(meeting: Meeting) -> list[dict]:
    return [
        {
            "name": row.label,
            "status": row.status,
            "substitute_name": row.substitute_name,
            "organisation_name": "" if row.person_id else row.organisation_label,
            "role": row.role,
        }
        for row in meeting.attendance.select_related("person__profile", "organisation")
    ]


def _check_lines(meeting: Meeting, lines: list[MemberLine], others: list[OtherLine]) -> None:
    errors: list[str] = []
    allowed = {user.pk for user in members(meeting)}
    for line in lines:
        name = printed_name(line.person)
        if line.person.pk not in allowed:
            errors.append(f"{name} is not a member of {meeting.body}.")
        if line.status not in MEMBER_STATUSES:
            errors.append(f"{name}: choose present, apologies, absent or substitute.")
        if line.status == AttendanceStatus.SUBSTITUTE and not line.substitute_name.strip():
            errors.append(f"{name}: give the name of the substitute who attended.")
        if line.status != AttendanceStatus.SUBSTITUTE and line.substitute_name.strip():
            errors.append(f"{name}: a substitute is named but {name} is not marked as sending one.")
    seen: set[str] = set()
    for number, other in enumerate(others, 1):
        if not other.name.strip():
            errors.append(f"In attendance, row {number}: give the person's name.")
        if other.status not in OTHER_STATUSES:
            errors.append(f"In attendance, row {number} ({other.name}): choose officer or guest.")
        key = other.name.strip().lower()
        if key in seen:
            errors.append(f"In attendance, row {number}: {other.name} is listed twice.")
        seen.add(key)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_sheet(
    *,
    meeting: Meeting,
    lines: list[MemberLine],
    others: list[OtherLine],
    expected_version: int | None,
) -> Meeting:
    """Replace the meeting's attendance with the sheet: every line checked first, then
    all of it saved, or nothing (a refusal names the person and the problem)."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    check_minutes_writable(meeting)
    typed = [
        {
            "name": printed_name(line.person),
            "status": line.status,
            "substitute_name": line.substitute_name.strip(),
            "role": line.role.strip(),
        }
        for line in lines
    ] + [
        {
            "name": other.name.strip(),
            "status": other.status,
            "organisation_name": other.organisation_name.strip(),
            "role": other.role.strip(),
        }
        for other in others
    ]
    stored = _summary(_stored_rows(meeting))
    mine = _summary(typed)
    check_version(
        what=f"the attendance of {meeting}",
        stored_version=meeting.attendance_version,
        expected=expected_version,
        stored={name: stored.get(name, "Not recorded") for name in {*stored, *mine}},
        typed={name: mine.get(name, "Not recorded") for name in {*stored, *mine}},
    )
    _check_lines(meeting, lines, others)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                person=line.person,
                name=printed_name(line.person),
                status=line.status,
                organisation=getattr(getattr(line.person, "profile", None), "organisation", None),
                role=line.role.strip(),
                substitute_name=line.substitute_name.strip()
                if line.status == AttendanceStatus.SUBSTITUTE
                else "",
            )
            for line in lines
        ]
        + [
            Attendance(
                meeting=meeting,
                name=other.name.strip(),
                status=other.status,
                organisation_name=other.organisation_name.strip(),
                role=other.role.strip(),
            )
            for other in others
        ]
    )
    Meeting.objects.filter(pk=meeting.pk).update(attendance_version=F("attendance_version") + 1)
    meeting.refresh_from_db(fields=["attendance_version"])
    return meeting


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    person,
    status: str,
    role: str = "",
    organisation: Organisation | None = None,
) -> Attendance:
    """Record one person's attendance (the whole-body sheet: `save_sheet`)."""
    check_minutes_writable(meeting)
    if organisation is None:
        profile = getattr(person, "profile", None)
        organisation = profile.organisation if profile else None
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "status": status,
            "role": role,
            "organisation": organisation,
            "name": printed_name(person),
        },
    )
    bump_version(meeting)  # a whole-body sheet opened before this is now stale
    return attendance


def bump_version(meeting: Meeting) -> None:
    """Any other write to the attendance (one person at a time, the demo) makes a sheet
    opened before it stale."""
    Meeting.objects.filter(pk=meeting.pk).update(attendance_version=F("attendance_version") + 1)


@dataclass(frozen=True)
class PrintedAttendance:
    """The attendance as the minutes and the meeting page print it, seed 001's order."""

    present: list[Attendance]
    substitutes: list[Attendance]
    officers: list[Attendance]
    guests: list[Attendance]
    apologies: list[Attendance]
    absent: list[Attendance]

    @property
    def attended(self) -> int:
        return len(self.present) + len(self.substitutes)


def printed(meeting: Meeting) -> PrintedAttendance:
    rows = list(
        meeting.attendance.select_related("person", "person__profile", "organisation").order_by(
            "pk"
        )
    )

    def having(status: str) -> list[Attendance]:
        return [row for row in rows if row.status == status]

    return PrintedAttendance(
        present=having(AttendanceStatus.PRESENT),
        substitutes=having(AttendanceStatus.SUBSTITUTE),
        officers=having(AttendanceStatus.OFFICER),
        guests=having(AttendanceStatus.GUEST),
        apologies=having(AttendanceStatus.APOLOGIES) + having(AttendanceStatus.SUBSTITUTE),
        absent=having(AttendanceStatus.ABSENT),
    )
