"""The meetings app's own pages for signed-in members: the list of meetings, a body's
page, scheduling a meeting, the meeting page and its steps (publish, hold, cancel,
confirm the previous minutes). The agenda's edits: agenda_views.py; papers:
paper_views.py; minutes: minutes_views.py; the PDFs: pack_views.py; public pages:
public_views.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from csp_portal.access import READERS, partnership_view
from csp_portal.forms import show_refusal
from meetings import (
    access,
    forms,
    forward_programme,
    lifecycle,
    minutes,
    pages,
    publishing,
    scheduling,
    selectors,
)
from meetings.access import EDITORS
from meetings.printed_minutes import minutes_context


@require_GET
@partnership_view(READERS)
def index(request: HttpRequest, partnership) -> HttpResponse:
    meetings = selectors.visible_meetings(request.user, partnership).order_by("date", "start_time")
    form = forms.MeetingForm(partnership=partnership)
    return render(
        request,
        "meetings/index.html",
        {
            "partnership": partnership,
            "bodies": partnership.bodies.filter(is_active=True),
            "upcoming": [m for m in meetings if m.date >= _today()][:20],
            "recent": [m for m in reversed(list(meetings)) if m.date < _today()][:10],
            "form": form,
            "can_edit": access.can_edit(request.user, partnership),
        },
    )


def _today() -> dt.date:
    return timezone.localdate()


@partnership_view(EDITORS)
def schedule(request: HttpRequest, partnership) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = scheduling.schedule_meeting(
                body=data["body"],
                date=data["date"],
                start_time=data["start_time"],
                venue=data["venue"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{meeting} scheduled, with a proposed agenda.")
            return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return render(request, "meetings/schedule.html", {"partnership": partnership, "form": form})


@require_GET
@partnership_view(READERS)
def body_detail(request: HttpRequest, partnership, slug: str) -> HttpResponse:
    body = get_object_or_404(partnership.bodies, slug=slug)
    return render(
        request,
        "meetings/body.html",
        {
            "partnership": partnership,
            "body": body,
            "meetings": selectors.visible_meetings(request.user, partnership)
            .filter(body=body)
            .order_by("-date"),
            "programme": body.forward_programme.select_related("target_meeting").prefetch_related(
                "events__meeting"
            ),
            "attendance": selectors.attendance_record(body),
            "can_edit": access.can_edit(request.user, partnership),
        },
    )


@require_GET
@partnership_view(READERS)
def meeting_detail(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    full = access.reads_everything(request.user, partnership)
    can_edit = access.can_edit(request.user, partnership)
    tree = selectors.numbered_agenda(meeting, include_exempt=full)
    agenda = selectors.flatten(tree)
    # Offer only what the services would accept (the life cycle says which steps): a
    # cancelled meeting or one whose minutes are confirmed keeps its agenda; minutes are
    # written on or after the day.
    day_reached = meeting.date <= _today()
    agenda_editable = can_edit and lifecycle.agenda_editable(meeting)
    previous = selectors.previous_meeting(meeting)
    packs = list(meeting.packs.order_by("number"))
    publish_job = publishing.job_in_progress(meeting) if meeting.publish_job_id else None
    last_job = meeting.publish_job if can_edit and meeting.publish_job_id else None
    can_publish = (
        agenda_editable and publish_job is None and lifecycle.can_issue_pack(meeting, request.user)
    )
    pending = publishing.pending_changes(meeting) if can_publish and packs else None
    # "Declare an interest" in an item's menu opens the declaration form for that item
    declare_item = next(
        (n.item.pk for n in agenda if str(n.item.pk) == request.GET.get("declare")), None
    )
    context = {
        "partnership": partnership,
        "meeting": meeting,
        "agenda": agenda,
        "can_edit": can_edit,
        "agenda_editable": agenda_editable,
        "minutes_writable": agenda_editable and day_reached,
        "transitions": {t.name: t for t in lifecycle.allowed_transitions(meeting, request.user)},
        "pack_offer": _pack_offer(packs, pending) if can_publish else "",
        "can_change_details": can_edit and meeting.status in ("scheduled", "agenda_published"),
        "can_confirm_previous": previous is not None
        and lifecycle.allows(previous, request.user, "confirm_minutes"),
        "publish_job": publish_job,
        "failed_job": last_job
        if last_job
        and last_job.status == "failed"
        and not (packs and packs[-1].published_at > last_job.created_at)
        else None,
        "pending_changes": pending,
        "has_minutes_pdf": lifecycle.minutes_pdf_available(meeting)
        and (full or meeting.minutes_locked),
        "full_reader": full,
        "matters_arising": selectors.open_actions_before(meeting, public=not full),
        "previous": previous,
        "packs": packs,
        # Draft minutes are for full readers; others see them once confirmed, as the
        # minutes PDF and the public page do.
        "minutes": minutes_context(meeting, public=not full, agenda=tree)
        if full or meeting.minutes_locked
        else None,
        "item_form": forms.ItemForm(meeting=meeting) if agenda_editable else None,
        "programme_offers": forward_programme.offers(meeting) if agenda_editable else [],
        "action_form": forms.ActionForm(partnership=partnership) if can_edit else None,
        "declaration_form": forms.DeclarationForm(meeting=meeting, initial={"item": declare_item})
        if can_edit
        else None,
        "declare_item": declare_item,
        "amend_form": forms.AmendmentForm(meeting=meeting)
        if can_edit and meeting.minutes_locked
        else None,
    }
    return render(request, "meetings/meeting.html", context)


@partnership_view(EDITORS)
def edit_meeting(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    """Change a meeting's date, time or venue."""
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    initial = {"date": meeting.date, "start_time": meeting.start_time, "venue": meeting.venue}
    form = forms.MeetingDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.change_meeting_details(
                meeting=meeting,
                date=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                venue=form.cleaned_data["venue"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The meeting's details are saved.")
            return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return render(
        request,
        "meetings/meeting_details_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _pack_offer(packs: list, pending: list | None) -> str:
    """The publish button's words: the first pack, or the kind of pack the changes call
    for; none when nothing has changed."""
    if not packs:
        return "Publish the agenda"
    if not pending:
        return ""
    if publishing.pack_kind_for(pending) == "supplementary":
        return "Issue a supplementary pack"
    return "Issue a revised pack"


@require_POST
@partnership_view(EDITORS)
def change_status(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    step = request.POST.get("step")
    try:
        if step == "publish":
            # Built in the background: the clerk watches its progress on the job's page.
            job = publishing.start_publishing(meeting=meeting, by=request.user)
            messages.info(request, "The pack is being built; this page says when it is ready.")
            return redirect(job)
        elif step == "confirm_previous":
            previous = selectors.previous_meeting(meeting)
            if previous is None:
                raise ValidationError("There is no previous meeting to confirm.")
            minutes.confirm_minutes(
                meeting=previous, at=meeting, signed_by=meeting.body.chair, by=request.user
            )
            messages.success(request, f"The minutes of {previous} are confirmed and signed.")
        elif step in ("held", "cancelled"):
            scheduling.set_status(meeting=meeting, status=step, by=request.user)
            messages.success(request, f"{meeting} marked {step}.")
        else:
            raise ValidationError("Unknown step.")
    except lifecycle.NotAllowed as refusal:
        raise PermissionDenied(refusal.messages[0]) from refusal
    except ValidationError as error:
        pages.show_errors(request, error)
    return redirect("meetings:meeting", partnership.slug, meeting.pk)
