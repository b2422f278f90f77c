"""The minutes of a meeting: each item's minute and resolutions, declarations of
interest, actions, confirming and signing the minutes at a later meeting (then frozen
as the public copy) and the recorded amendments that are the only change confirmed
minutes take. Attendance: meetings/attendance.py.

Every action runs in one transaction and raises ValidationError with a message a clerk
can act on, leaving nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from csp_portal.versioning import check_version
from meetings import access, lifecycle
from meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Declaration,
    Meeting,
    MeetingStatus,
    Minute,
    MinutesAmendment,
    Resolution,
)


def check_minutes_writable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(f"{meeting} was cancelled, so it has no minutes.")
    if meeting.minutes_locked:
        raise ValidationError(
            f"The minutes of {meeting} were confirmed and signed; record an amendment instead."
        )
    if meeting.date > timezone.localdate():
        raise ValidationError(
            f"{meeting} has not taken place yet (it is on {meeting.date:%-d %B %Y}); "
            "minutes can be written on or after the day."
        )


MINUTE_LABELS = {"discussion": "Discussion", "resolutions": "Resolutions"}


@transaction.atomic
def record_minute(
    *,
    item: AgendaItem,
    discussion: str,
    resolutions: list[str],
    expected_version: int | None = None,
) -> Minute:
    """Write (or rewrite) an item's minute and its numbered resolutions.

    Never changes the meeting's status: marking it held and publishing are the clerk's
    own steps. `expected_version` is the minute's version when the form was opened (0
    when there was no minute yet); if another clerk saved since, `StaleVersion` is
    raised and nothing changes. The meeting row is locked first, so two saves (and a
    confirmation of the minutes) run one after the other.
    """
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    check_minutes_writable(meeting)
    minute = Minute.objects.filter(item=item).first()
    check_version(
        what=f"the minute of “{item.title}”",
        stored_version=minute.version if minute else 0,
        expected=expected_version,
        stored={
            "discussion": minute.discussion if minute else "",
            "resolutions": "\n".join(r.text for r in item.resolutions.all()),
        },
        typed={"discussion": discussion, "resolutions": "\n".join(resolutions)},
        labels=MINUTE_LABELS,
    )
    if minute is None:
        minute = Minute.objects.create(item=item, discussion=discussion)
    else:
        minute.discussion = discussion
        minute.version += 1
        minute.save(update_fields=["discussion", "version"])
    item.resolutions.all().delete()
    for number, text in enumerate((t.strip() for t in resolutions if t.strip()), start=1):
        text = text.removeprefix("AGREED").strip().removeprefix("that").strip()
        Resolution.objects.create(item=item, number=number, text=text)
    return minute


@transaction.atomic
def declare_interest(*, item: AgendaItem, person, interest: str) -> Declaration:
    """Record a declaration of interest on an item (part of the minutes)."""
    check_minutes_writable(item.meeting)
    if not interest.strip():
        raise ValidationError({"interest": "Say what the interest is."})
    return Declaration.objects.create(item=item, person=person, interest=interest.strip())


@transaction.atomic
def add_action(
    *,
    meeting: Meeting,
    description: str,
    item: AgendaItem | None = None,
    owner=None,
    owner_name: str = "",
    due_date: dt.date | None = None,
) -> Action:
    check_minutes_writable(meeting)
    return Action.objects.create(
        meeting=meeting,
        item=item,
        description=description,
        owner=owner,
        owner_name=owner_name,
        due_date=due_date,
    )


@transaction.atomic
def close_action(*, action: Action, at: Meeting | None = None, status: str = "done") -> Action:
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ValidationError({"status": "An action closes as done or no longer needed."})
    action.status = status
    action.closed_at = at
    action.save(update_fields=["status", "closed_at"])
    return action


@transaction.atomic
def confirm_minutes(*, meeting: Meeting, at: Meeting, signed_by, by=None) -> Meeting:
    """Confirm and sign a meeting's minutes at a later meeting (the life cycle's
    `confirm_minutes` step); they are then locked and the public minutes printed."""
    meeting = lifecycle.confirm_minutes(meeting=meeting, at=at, by=by, signed_by=signed_by)
    _freeze_public_minutes(meeting)
    return meeting


def _freeze_public_minutes(meeting: Meeting) -> None:
    """Print the public minutes once and keep the file: the public site serves it and
    never lays the minutes out on a visitor's request."""
    from meetings.printed_minutes import build_minutes_pdf

    pdf = build_minutes_pdf(meeting, public=True)
    old = meeting.public_minutes_pdf.name if meeting.public_minutes_pdf else ""
    stem = f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-minutes"
    meeting.public_minutes_pdf.save(
        f"{stem}-{hashlib.sha256(pdf).hexdigest()[:12]}.pdf", ContentFile(pdf), save=False
    )
    meeting.save(update_fields=["public_minutes_pdf"])
    if old and old != meeting.public_minutes_pdf.name:
        storage = meeting.public_minutes_pdf.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def frozen_public_minutes(*, meeting: Meeting) -> Meeting:
    """The meeting with its public minutes file, printing it now if it was confirmed
    before minutes were frozen (once: the row lock makes a second caller wait and reuse)."""
    meeting = (
        Meeting.objects.select_for_update().select_related("body__partnership").get(pk=meeting.pk)
    )
    if not meeting.minutes_locked:
        raise ValidationError(f"The minutes of {meeting} are not confirmed yet.")
    if not meeting.public_minutes_pdf or not meeting.public_minutes_pdf.storage.exists(
        meeting.public_minutes_pdf.name
    ):
        _freeze_public_minutes(meeting)
    return meeting


@transaction.atomic
def amend_minutes(
    *, meeting: Meeting, text: str, reason: str, by, item: AgendaItem | None = None
) -> MinutesAmendment:
    """The only way to change confirmed minutes: a recorded amendment with its reason.

    An amendment to an exempt item (`item`, exempt itself or through its parent) is
    exempt with it and stays out of the public minutes, which are printed again."""
    meeting = (
        Meeting.objects.select_for_update().select_related("body__partnership").get(pk=meeting.pk)
    )
    if not meeting.minutes_locked:
        raise ValidationError("These minutes are not confirmed yet; edit them directly.")
    if not text.strip() or not reason.strip():
        raise ValidationError("An amendment needs its text and the reason for it.")
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    amendment = MinutesAmendment.objects.create(
        meeting=meeting, item=item, text=text, reason=reason, made_by=by
    )
    if not (item is not None and access.is_exempt(item)):
        _freeze_public_minutes(meeting)  # the public copy shows the amendment
    return amendment
