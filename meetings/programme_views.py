"""The Forward Programme's pages: adding, rescheduling or completing a body's entry, and
the picker on a meeting's agenda (rules in meetings/forward_programme.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from csp_portal.access import partnership_view
from csp_portal.forms import show_refusal
from meetings import forms, forward_programme, pages
from meetings.access import EDITORS
from meetings.models import ForwardProgrammeEntry


@require_POST
@partnership_view(EDITORS)
def pick(request: HttpRequest, partnership: Any, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    wanted = [value for value in request.POST.getlist("entry") if value.isdigit()]
    entries = list(
        ForwardProgrammeEntry.objects.filter(body__partnership=partnership, pk__in=wanted)
    )
    try:
        if len(entries) != len(set(wanted)):
            raise ValidationError("One of the chosen entries is not in this Forward Programme.")
        items = forward_programme.add_to_agenda(meeting=meeting, entries=entries)
    except ValidationError as error:
        pages.show_errors(request, error)
        url = redirect("meetings:meeting", partnership.slug, meeting.pk).url
        return redirect(f"{url}#fp-picker")
    names = ", ".join(f"“{item.title}”" for item in items)
    messages.success(request, f"Added to the agenda from the Forward Programme: {names}.")
    url = redirect("meetings:meeting", partnership.slug, meeting.pk).url
    return redirect(f"{url}#agenda-item-{items[0].pk}")


@partnership_view(EDITORS)
def forward_programme_entry(
    request: HttpRequest, partnership, slug: str, pk: int | None = None
) -> HttpResponse:
    """Add an entry to a body's Forward Programme, or reschedule or complete one."""
    body = get_object_or_404(partnership.bodies, slug=slug)
    entry = get_object_or_404(body.forward_programme, pk=pk) if pk else None
    initial: dict[str, object] = {}
    if entry is not None:
        initial = {
            "item": entry.item,
            "detail": entry.detail,
            "timing": entry.timing,
            "target_meeting": entry.target_meeting_id,
            "target_date": entry.target_date,
            "annual_month": entry.annual_month,
            "action_by": entry.action_by,
        }
    form = forms.ForwardProgrammeForm(request.POST or None, initial=initial, body=body)
    if request.method == "POST" and entry is not None and "complete" in request.POST:
        forward_programme.complete_forward_programme_entry(entry=entry)
        messages.success(request, f"“{entry.item}” marked complete.")
        return redirect("meetings:body", partnership.slug, body.slug)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forward_programme.plan_forward_programme_entry(
                body=body,
                entry=entry,
                item=data["item"],
                detail=data["detail"],
                timing=data["timing"],
                target_meeting=data["target_meeting"],
                target_date=data["target_date"],
                annual_month=data["annual_month"],
                action_by=data["action_by"],
                note=data["note"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Forward Programme updated.")
            return redirect("meetings:body", partnership.slug, body.slug)
    return render(
        request,
        "meetings/forward_programme_form.html",
        {"partnership": partnership, "body": body, "entry": entry, "form": form},
        status=400 if request.method == "POST" else 200,
    )
