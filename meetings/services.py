"""Writes for the meetings app: scheduling, the agenda and its papers, attendance,
minutes, actions, confirmation and amendment. Publishing packs: meetings/publishing.py;
the steps between a meeting's states: meetings/lifecycle.py.

Every function runs in one transaction and raises ValidationError with a message a clerk
can act on, leaving nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from csp_portal.models import Body, Organisation
from csp_portal.pdf_checks import check_pdf
from csp_portal.versioning import check_version
from meetings import access, lifecycle, selectors
from meetings.exclusion import check_not_generated, sync_exclusion
from meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    Declaration,
    ForwardProgrammeEvent,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minute,
    MinutesAmendment,
    Paper,
    PaperKind,
    PartnerReport,
    Resolution,
    Timing,
)


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


def propose_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """Apologies, minutes, matters arising, standing and due Forward Programme items,
    Any Other Business and the Forward Programme: the usual shape, for the clerk to edit."""
    created: list[AgendaItem] = []

    def add(kind: str, title: str, purpose: str = "", entry=None) -> None:
        created.append(
            AgendaItem.objects.create(
                meeting=meeting,
                order=len(created) + 1,
                kind=kind,
                title=title,
                purpose=purpose,
                forward_programme_entry=entry,
            )
        )

    add(ItemKind.APOLOGIES, "Apologies")
    before = selectors.previous_meeting(meeting)
    if before:
        add(
            ItemKind.MINUTES,
            "Minutes",
            f"To approve the minutes of the meeting held on {before.date:%-d %B %Y}, "
            "and to discuss matters arising.",
        )
    actions = list(selectors.open_actions_before(meeting))
    if actions:
        add(
            ItemKind.MATTERS_ARISING,
            "Matters arising",
            f"{len(actions)} open action{'s' if len(actions) != 1 else ''} from earlier meetings.",
        )
    for entry in selectors.entries_due(meeting).order_by("timing", "item"):
        kind = ItemKind.STANDING if entry.timing == Timing.STANDING else ItemKind.BUSINESS
        add(kind, entry.item, entry.detail, entry)
        if entry.timing != Timing.STANDING:  # standing items would repeat every time
            ForwardProgrammeEvent.objects.create(
                entry=entry,
                meeting=meeting,
                date=meeting.date,
                note=f"Put on the agenda of {meeting.date:%-d %B %Y}.",
            )
    add(ItemKind.AOB, "Any Other Business")
    add(
        ItemKind.FORWARD_PROGRAMME,
        "Forward Programme",
        "To enable the Partnership to consider and manage its Forward Programme of work.",
    )
    return created


def _check_agenda_editable(meeting: Meeting) -> None:
    if not lifecycle.agenda_editable(meeting):
        raise ValidationError(
            f"The agenda of {meeting} can no longer be changed: the meeting is "
            f"{meeting.get_status_display().lower()}."
        )


def _siblings(meeting: Meeting, parent_id: int | None):
    return AgendaItem.objects.select_for_update().filter(meeting=meeting, parent_id=parent_id)


def _renumber(meeting: Meeting, parent_id: int | None) -> None:
    """Close the gaps: siblings' orders become 1..n in their current sequence."""
    for position, item in enumerate(_siblings(meeting, parent_id).order_by("order", "pk"), 1):
        if item.order != position:
            AgendaItem.objects.filter(pk=item.pk).update(order=position)


@transaction.atomic
def add_item(
    *,
    meeting: Meeting,
    title: str,
    purpose: str = "",
    parent: AgendaItem | None = None,
    position: int | None = None,
    presenter=None,
    presenter_name: str = "",
    presenter_organisation: Organisation | None = None,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    kind: str = ItemKind.BUSINESS,
) -> AgendaItem:
    """Add an item (at the end, or before Any Other Business when there is one). An
    exempt item cites its paragraph of Schedule 12A and the public interest reason."""
    _check_agenda_editable(meeting)
    if kind == ItemKind.EXCLUSION:
        raise ValidationError("The exclusion of the press and public is proposed by the portal.")
    exempt_paragraph = check_exemption(is_exempt, exempt_paragraph, exempt_reason)
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id):
        raise ValidationError({"parent": "A sub-item goes under a main item of this meeting."})
    siblings = list(_siblings(meeting, parent.pk if parent else None).order_by("order", "pk"))
    if position is None:
        position = len(siblings) + 1
        # new business goes before Any Other Business and the Forward Programme, AOB
        # before the Forward Programme: the order every agenda of the partnership keeps
        closing = {
            ItemKind.FORWARD_PROGRAMME: set(),
            ItemKind.AOB: {ItemKind.FORWARD_PROGRAMME},
        }.get(kind, {ItemKind.AOB, ItemKind.FORWARD_PROGRAMME})
        if parent is None:
            for sibling in siblings:
                if sibling.kind in closing:
                    position = sibling.order
                    break
    for sibling in siblings:
        if sibling.order >= position:
            AgendaItem.objects.filter(pk=sibling.pk).update(order=sibling.order + 1)
    item = AgendaItem.objects.create(
        meeting=meeting,
        parent=parent,
        order=position,
        kind=kind,
        title=title,
        purpose=purpose,
        presenter=presenter,
        presenter_name=presenter_name,
        presenter_organisation=presenter_organisation,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph,
        exempt_reason=exempt_reason,
    )
    _renumber(meeting, parent.pk if parent else None)
    sync_exclusion(meeting)
    item.refresh_from_db(fields=["order"])
    return item


def check_exemption(is_exempt: bool, paragraph: int | None, reason: str) -> int | None:
    """An exempt item needs its paragraph (1–7 of Part 1 of Schedule 12A) and the public
    interest reason; an item that is not exempt cites none. Returns the paragraph to keep."""
    if not is_exempt:
        return None
    problems = {}
    if paragraph not in range(1, 8):
        problems["exempt_paragraph"] = (
            "Choose the paragraph of Schedule 12A (1 to 7) the item is exempt under."
        )
    if not reason.strip():
        problems["exempt_reason"] = "Give the public interest reason for keeping this item exempt."
    if problems:
        raise ValidationError(problems)
    return paragraph


ITEM_LABELS = {
    "title": "Title",
    "purpose": "Purpose",
    "presenter_name": "Presenter's name",
    "is_exempt": "Exempt",
    "exempt_paragraph": "Paragraph of Schedule 12A",
    "exempt_reason": "Public interest reason",
}


@transaction.atomic
def update_item(*, item: AgendaItem, expected_version: int | None = None, **fields) -> AgendaItem:
    """Change an item's wording, presenter, exemption or the plan priorities it discusses
    (its place is changed by moving). `expected_version`: the version the clerk's form
    was opened at; a save against an older one is refused (`StaleVersion`)."""
    stored = AgendaItem.objects.select_for_update().get(pk=item.pk)
    check_version(
        what=f"item “{stored.title}”",
        stored_version=stored.version,
        expected=expected_version,
        stored={name: getattr(stored, name) for name in ITEM_LABELS},
        typed={name: fields.get(name, getattr(stored, name)) for name in ITEM_LABELS},
        labels=ITEM_LABELS,
    )
    item.version = stored.version + 1
    _check_agenda_editable(item.meeting)
    check_not_generated(item, "edited")
    priorities = fields.pop("priorities", None)
    allowed = {
        "title",
        "purpose",
        "presenter",
        "presenter_name",
        "presenter_organisation",
        "is_exempt",
        "exempt_paragraph",
        "exempt_reason",
    }
    for name, value in fields.items():
        if name in allowed:
            setattr(item, name, value)
    item.exempt_paragraph = check_exemption(
        item.is_exempt, item.exempt_paragraph, item.exempt_reason
    )
    item.save()
    sync_exclusion(item.meeting)
    if priorities is not None:
        partnership_id = item.meeting.body.partnership_id
        if any(priority.plan.partnership_id != partnership_id for priority in priorities):
            raise ValidationError({"priorities": "Choose priorities of this partnership's plan."})
        item.priorities.set(priorities)
    return item


@transaction.atomic
def move_item(*, item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour ("up" or "down"); numbers follow, and the
    exclusion of the press and public goes with the first exempt item."""
    _check_agenda_editable(item.meeting)
    check_not_generated(item, "moved")
    _renumber(item.meeting, item.parent_id)
    siblings = list(_siblings(item.meeting, item.parent_id).order_by("order", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        raise ValidationError(f"“{item.title}” cannot move {direction} any further.")
    a, b = siblings[index], siblings[other]
    if ItemKind.EXCLUSION in (a.kind, b.kind):
        # The generated item stays straight before the first exempt item: moving past it
        # swaps with the item on its other side.
        step = -1 if direction == "up" else 1
        if not 0 <= other + step < len(siblings):
            raise ValidationError(f"“{item.title}” cannot move {direction} any further.")
        b = siblings[other + step]
    AgendaItem.objects.filter(pk=a.pk).update(order=b.order)
    AgendaItem.objects.filter(pk=b.pk).update(order=a.order)
    sync_exclusion(item.meeting)


@transaction.atomic
def indent_item(*, item: AgendaItem) -> None:
    """Make an item a sub-item of the main item above it (6 → 5(a))."""
    meeting = item.meeting
    _check_agenda_editable(meeting)
    check_not_generated(item, "nested")
    if item.parent_id:
        raise ValidationError(f"“{item.title}” is already a sub-item.")
    if item.children.exists():
        raise ValidationError(f"“{item.title}” has sub-items of its own, so it cannot be nested.")
    above = _siblings(meeting, None).filter(order__lt=item.order).order_by("-order", "-pk").first()
    if above is None:
        raise ValidationError(f"“{item.title}” is first, so there is no item to nest it under.")
    last = above.children.aggregate(m=Max("order"))["m"] or 0
    item.parent = above
    item.order = last + 1
    item.save(update_fields=["parent", "order"])
    _renumber(meeting, None)
    sync_exclusion(meeting)


@transaction.atomic
def outdent_item(*, item: AgendaItem) -> None:
    """Make a sub-item a main item, placed straight after its former parent."""
    meeting = item.meeting
    _check_agenda_editable(meeting)
    check_not_generated(item, "un-nested")
    parent = item.parent
    if parent is None:
        raise ValidationError(f"“{item.title}” is already a main item.")
    for sibling in _siblings(meeting, None).filter(order__gt=parent.order):
        AgendaItem.objects.filter(pk=sibling.pk).update(order=sibling.order + 1)
    item.parent = None
    item.order = parent.order + 1
    item.save(update_fields=["parent", "order"])
    _renumber(meeting, parent.pk)
    _renumber(meeting, None)
    sync_exclusion(meeting)


@transaction.atomic
def remove_item(*, item: AgendaItem) -> None:
    meeting = item.meeting
    _check_agenda_editable(meeting)
    check_not_generated(item, "removed")
    parent_id = item.parent_id
    if Minute.objects.filter(item__in=[item, *item.children.all()]).exists():
        raise ValidationError(f"“{item.title}” has minutes, so it cannot be removed.")
    item.delete()
    _renumber(meeting, parent_id)
    sync_exclusion(meeting)


def _next_paper_order(item: AgendaItem) -> int:
    return (item.papers.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def attach_upload(
    *, item: AgendaItem, name: str, content: bytes, title: str = "", is_exempt: bool = False
) -> Paper:
    """Attach an uploaded PDF after checking it opens; a bad file changes nothing."""
    _check_agenda_editable(item.meeting)
    checked = check_pdf(name, content)
    paper = Paper(
        item=item,
        order=_next_paper_order(item),
        kind=PaperKind.UPLOAD,
        title=title or name.rsplit(".", 1)[0],
        is_exempt=is_exempt,
        page_count=checked.page_count,
        sha256=checked.sha256,
    )
    paper.file.save(f"{checked.sha256[:16]}.pdf", ContentFile(checked.content), save=False)
    paper.save()
    return paper


@transaction.atomic
def replace_upload(*, paper: Paper, name: str, content: bytes) -> Paper:
    """Put a new file in place of an uploaded paper (same item, title and place); the
    page count and hash follow the new file, so the pack has no page too many."""
    _check_agenda_editable(paper.item.meeting)
    if paper.kind != PaperKind.UPLOAD:
        raise ValidationError("Only an uploaded PDF can be replaced by another file.")
    checked = check_pdf(name, content)
    old = paper.file.name
    paper.page_count = checked.page_count
    paper.sha256 = checked.sha256
    paper.file.save(f"{checked.sha256[:16]}.pdf", ContentFile(checked.content), save=False)
    paper.save(update_fields=["file", "page_count", "sha256"])
    if old and old != paper.file.name:
        transaction.on_commit(lambda: paper.file.storage.delete(old))
    return paper


@transaction.atomic
def remove_paper(*, paper: Paper) -> None:
    """Take a paper off its item (its file is deleted once the removal is committed)."""
    item = paper.item
    _check_agenda_editable(item.meeting)
    name = paper.file.name if paper.kind == PaperKind.UPLOAD else ""
    storage = paper.file.storage
    paper.delete()
    for order, sibling in enumerate(item.papers.order_by("order", "pk"), start=1):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attach_report(*, item: AgendaItem, report: PartnerReport, is_exempt: bool = False) -> Paper:
    _check_agenda_editable(item.meeting)
    if report.partnership_id != item.meeting.body.partnership_id:
        raise ValidationError({"report": "That report belongs to another partnership."})
    return Paper.objects.create(
        item=item,
        order=_next_paper_order(item),
        kind=PaperKind.REPORT,
        title=f"{report.subject} ({report.organisation})",
        report=report,
        is_exempt=is_exempt,
    )


def attach_block(
    *, item: AgendaItem, key: str, params: dict, title: str = "", is_exempt: bool = False
) -> Paper:
    """Attach a generated paper registered by another app (see extension_points), its
    parameters checked as `generated_papers.attach_generated_paper` does."""
    from meetings.generated_papers import attach_generated_paper

    return attach_generated_paper(
        item=item, key=key, params=params, title=title, is_exempt=is_exempt
    )


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    person,
    status: str,
    role: str = "",
    organisation: Organisation | None = None,
) -> Attendance:
    _check_minutes_writable(meeting)
    if organisation is None:
        profile = getattr(person, "profile", None)
        organisation = profile.organisation if profile else None
    from meetings.attendance import bump_version, printed_name

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


def _check_minutes_writable(meeting: Meeting) -> None:
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
    _check_minutes_writable(meeting)
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
    _check_minutes_writable(item.meeting)
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
    _check_minutes_writable(meeting)
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
    from meetings.pack_builder import build_minutes_pdf

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


def set_status(*, meeting: Meeting, status: str, by=None) -> Meeting:
    """Mark a meeting held or cancelled: the life cycle's `hold` and `cancel` steps
    (publishing and confirming have their own: meetings/lifecycle.py)."""
    steps = {MeetingStatus.HELD: lifecycle.hold, MeetingStatus.CANCELLED: lifecycle.cancel}
    if status not in steps:
        raise ValidationError(f"A meeting is not marked {status} by hand.")
    return steps[status](meeting=meeting, by=by)


def record_forward_programme_event(*, entry, meeting: Meeting | None, note: str) -> None:
    ForwardProgrammeEvent.objects.create(
        entry=entry,
        meeting=meeting,
        date=meeting.date if meeting else timezone.localdate(),
        note=note,
    )


@transaction.atomic
def write_partner_report(*, partnership, data: dict, updates: dict) -> PartnerReport:
    """Save a partner's quarterly update report with its update for each plan theme."""
    from meetings.models import ThemeUpdate

    priorities = data.pop("priorities", None)
    report = PartnerReport.objects.create(partnership=partnership, **data)
    if priorities:
        report.priorities.set(priorities)
    for theme, text in updates.items():
        if text and text.strip():
            ThemeUpdate.objects.create(report=report, theme=theme, text=text.strip())
    return report


def _check_timing(timing: str, target_meeting, target_date, annual_month, body: Body) -> None:
    if timing == Timing.MEETING and (target_meeting is None or target_meeting.body_id != body.pk):
        raise ValidationError({"target_meeting": "Choose the meeting of this body it is due at."})
    if timing == Timing.DATE and target_date is None:
        raise ValidationError({"target_date": "Give the date it is due by."})
    if timing == Timing.ANNUAL and not (annual_month and 1 <= annual_month <= 12):
        raise ValidationError({"annual_month": "Give the month it comes round each year."})


@transaction.atomic
def plan_forward_programme_entry(
    *,
    body: Body,
    item: str,
    timing: str,
    detail: str = "",
    target_meeting: Meeting | None = None,
    target_date: dt.date | None = None,
    annual_month: int | None = None,
    action_by: str = "",
    entry=None,
    note: str = "",
):
    """Add an entry to a body's Forward Programme, or reschedule one, keeping its history."""
    from meetings.models import ForwardProgrammeEntry

    _check_timing(timing, target_meeting, target_date, annual_month, body)
    fields = {
        "item": item,
        "detail": detail,
        "timing": timing,
        "target_meeting": target_meeting if timing == Timing.MEETING else None,
        "target_date": target_date if timing == Timing.DATE else None,
        "annual_month": annual_month if timing == Timing.ANNUAL else None,
        "action_by": action_by,
    }
    if entry is None:
        entry = ForwardProgrammeEntry.objects.create(body=body, **fields)
        what = "Added to the Forward Programme"
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        what = "Rescheduled"
    ForwardProgrammeEvent.objects.create(
        entry=entry,
        meeting=None,
        date=timezone.localdate(),
        note=f"{what}: {entry.when}." + (f" {note}" if note else ""),
    )
    return entry


@transaction.atomic
def complete_forward_programme_entry(*, entry, note: str = ""):
    entry.is_complete = True
    entry.save(update_fields=["is_complete"])
    ForwardProgrammeEvent.objects.create(
        entry=entry,
        date=timezone.localdate(),
        note="Completed." + (f" {note}" if note else ""),
    )
    return entry
