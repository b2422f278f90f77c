"""Confirmation pages before the steps that cannot simply be undone: publishing the
agenda (or a supplementary pack), confirming the previous minutes, cancelling the
meeting and removing an agenda item.

Each is a GET page saying what will happen, with one form that posts to the step's own
URL (`meetings:status`, `meetings:move_item`), so the step itself, and every check it
makes, is unchanged; without JavaScript it works the same.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from csp_portal.access import partnership_view
from meetings import access, lifecycle, pages, publishing, selectors
from meetings.access import EDITORS
from meetings.models import Meeting, MeetingStatus, Minute, PackKind

STEPS = ("publish", "confirm_previous", "cancelled")


def _publish_facts(meeting: Meeting) -> tuple[str, list[str], str]:
    agenda = selectors.flatten(selectors.numbered_agenda(meeting))
    papers = sum(len(node.papers) for node in agenda)
    exempt = [node for node in agenda if node.exempt]
    published = meeting.packs.order_by("-number").first()
    if published is None:
        title = "Publish the agenda"
        button = "Publish the agenda"
        facts = [
            f"The agenda pack of {meeting} is built from the {len(agenda)} items and "
            f"{papers} paper{'s' if papers != 1 else ''} as they stand now, and kept.",
            "Generated papers (figures, budget tables, the Forward Programme) are frozen "
            "as they are today.",
            "The meeting, its agenda and the public pack appear on the public site and "
            "in the body's calendar feed.",
        ]
    else:
        # The changes the new pack will list, and so its kind (publishing decides both)
        pending = publishing.pending_changes(meeting) or []
        word = (
            "revised" if publishing.pack_kind_for(pending) == PackKind.REVISED else "supplementary"
        )
        title = f"Issue {word} pack {published.number + 1}"
        button = f"Issue the {word} pack"
        facts = [
            f"A {word} pack is issued after pack {published.number} (published "
            f"{published.published_at:%-d %B %Y}), listing what changed since:",
            *(change for _, change in pending),
        ]
        if not pending:
            facts = [publishing.nothing_changed_message(published)]
    if exempt:
        facts.append(
            f"{len(exempt)} exempt item{'s' if len(exempt) != 1 else ''} "
            f"({', '.join(node.number for node in exempt)}) stay out of the public pack."
        )
    return title, facts, button


def _step_page(meeting: Meeting, step: str) -> dict[str, Any]:
    open_status = meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED)
    if step == "publish":
        title, facts, button = _publish_facts(meeting)
        allowed = lifecycle.agenda_editable(meeting) and (
            not meeting.packs.exists() or bool(publishing.pending_changes(meeting))
        )
        refusal = (
            f"{meeting} is {meeting.get_status_display().lower()}: nothing can be published."
            if not lifecycle.agenda_editable(meeting)
            else "Nothing has changed since the last pack was published: there is nothing to issue."
        )
    elif step == "confirm_previous":
        previous = selectors.previous_meeting(meeting)
        allowed = previous is not None and previous.status == MeetingStatus.HELD
        when = f"{previous.date:%-d %B %Y}" if previous else ""
        title = f"Confirm and sign the minutes of {when}" if previous else "Confirm minutes"
        chair = meeting.body.chair
        facts = [
            f"The minutes of {previous} are recorded as confirmed at this meeting"
            + (f" and signed by the chair, {chair.get_full_name() or chair}." if chair else ".")
            if previous
            else "",
            "They are then locked: a later change is made only as a recorded amendment, "
            "with its reason.",
            "The public minutes are printed once and published on the public site.",
        ]
        button = "Confirm and sign the minutes"
        refusal = "There are no held minutes before this meeting to confirm."
    else:
        title = f"Cancel the meeting of {meeting.date:%-d %B %Y}"
        allowed = open_status
        facts = [
            f"{meeting} is marked cancelled; its agenda can no longer be changed and no "
            "minutes are written for it.",
            "It stays on the public site and in the calendar feed, marked cancelled"
            if meeting.published_at
            else "It was never published, so the public never saw it.",
            "This cannot be undone from the portal: schedule a new meeting instead.",
        ]
        button = "Cancel the meeting"
        refusal = f"{meeting} is {meeting.get_status_display().lower()}: it cannot be cancelled."
    return {
        "title": title,
        "facts": [fact for fact in facts if fact],
        "button": button,
        "allowed": allowed,
        "refusal": refusal,
        "danger": step == "cancelled",
    }


@require_GET
@partnership_view(EDITORS)
def confirm_step(request: HttpRequest, partnership: Any, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("No such step.")
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    page = _step_page(meeting, step)
    return render(
        request,
        "meetings/confirm.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "step": step,
            "action": "status",
            **page,
        },
        status=200 if page["allowed"] else 409,
    )


@require_GET
@partnership_view(EDITORS)
def remove_item(request: HttpRequest, partnership: Any, pk: int) -> HttpResponse:
    item = pages.item_or_404(partnership, pk)
    meeting = item.meeting
    if not access.can_view_meeting(request.user, meeting):
        raise Http404
    node = next(n for n in selectors.flatten(selectors.numbered_agenda(meeting)) if n.item == item)
    children = list(item.children.all())
    papers = item.papers.count() + sum(child.papers.count() for child in children)
    minuted = Minute.objects.filter(item__in=[item, *children]).exists()
    editable = meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.MINUTES_CONFIRMED)
    facts = [f"Item {node.number}, “{item.title}”, is taken off the agenda of {meeting}."]
    if children:
        facts.append(
            f"Its {len(children)} sub-item{'s' if len(children) != 1 else ''} "
            f"({', '.join(c.title for c in children)}) go with it."
        )
    if papers:
        facts.append(
            f"{papers} attached paper{'s' if papers != 1 else ''} "
            f"{'are' if papers != 1 else 'is'} removed with it."
        )
    facts.append("The items after it are renumbered.")
    if meeting.packs.exists():
        facts.append("A published pack keeps it; the next supplementary pack lists it withdrawn.")
    refusal = (
        f"“{item.title}” has minutes, so it cannot be removed."
        if minuted
        else f"The agenda of {meeting} can no longer be changed."
    )
    allowed = editable and not minuted
    return render(
        request,
        "meetings/confirm.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "item": item,
            "action": "remove",
            "title": f"Remove item {node.number}: {item.title}",
            "facts": facts,
            "button": f"Remove item {node.number}",
            "allowed": allowed,
            "refusal": refusal,
            "danger": True,
        },
        status=200 if allowed else 409,
    )
