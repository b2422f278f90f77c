"""The minutes' pages (clerks): an item's minute, actions, declarations of interest and
amendments to confirmed minutes (rules in meetings/minutes.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from csp_portal.access import partnership_view
from csp_portal.forms import show_refusal
from meetings import forms, minutes, pages
from meetings.access import EDITORS
from meetings.models import Action, AgendaItem, Minute


@partnership_view(EDITORS)
def minute(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = pages.item_or_404(partnership, pk)
    if item.meeting.minutes_locked and request.method != "POST":
        # Confirmed minutes change only by a recorded amendment: send the clerk there
        # rather than show a form whose every save would be refused.
        messages.error(
            request,
            f"The minutes of {item.meeting} were confirmed and signed; "
            "record an amendment instead.",
        )
        url = redirect("meetings:meeting", partnership.slug, item.meeting_id).url
        return redirect(f"{url}#amendments")
    existing = Minute.objects.filter(item=item).first()
    initial = {
        "discussion": existing.discussion if existing else "",
        "resolutions": "\n".join(r.text for r in item.resolutions.all()),
        "version": existing.version if existing else 0,
    }
    form = forms.MinuteForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            stale = pages.save_versioned(
                form,
                lambda version: minutes.record_minute(
                    item=item,
                    discussion=form.cleaned_data["discussion"],
                    resolutions=form.cleaned_data["resolutions"].splitlines(),
                    expected_version=version,
                ),
            )
        except ValidationError as error:
            item.meeting.refresh_from_db()
            if item.meeting.minutes_locked:
                # Confirmed by another clerk while this one typed: keep the text and
                # offer it as an amendment (the only change confirmed minutes take).
                return _minute_became_locked(request, partnership, item, form)
            show_refusal(form, error)
        else:
            if stale is None:
                messages.success(request, f"Minute of “{item.title}” saved.")
                return redirect("meetings:meeting", partnership.slug, item.meeting_id)
    return render(
        request,
        "meetings/minute_form.html",
        {"partnership": partnership, "item": item, "form": form, "stale": stale},
        status=pages.form_status(request, stale),
    )


def _minute_became_locked(request, partnership, item: AgendaItem, form) -> HttpResponse:
    typed = form.cleaned_data["discussion"]
    resolutions = form.cleaned_data["resolutions"].strip()
    text = typed + (f"\n\nResolutions:\n{resolutions}" if resolutions else "")
    amend_form = forms.AmendmentForm(
        initial={"text": text.strip(), "item": item.pk}, meeting=item.meeting
    )
    return render(
        request,
        "meetings/minute_form.html",
        {
            "partnership": partnership,
            "item": item,
            "form": form,
            "locked": True,
            "amend_form": amend_form,
        },
        status=409,
    )


@require_POST
@partnership_view(EDITORS)
def add_action(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    form = forms.ActionForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            data = form.cleaned_data
            minutes.add_action(
                meeting=meeting,
                description=data["description"],
                owner=data["owner"],
                owner_name=data["owner_name"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            pages.show_errors(request, error)
    else:
        messages.error(request, "An action needs a description.")
    return redirect("meetings:meeting", partnership.slug, meeting.pk)


@require_POST
@partnership_view(EDITORS)
def close_action(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk, meeting__body__partnership=partnership)
    form = forms.CloseActionForm(request.POST, body=action.meeting.body)
    at = None
    if form.is_valid():
        at = form.cleaned_data["at"]
        minutes.close_action(action=action, at=at, status=form.cleaned_data["status"])
    else:
        messages.error(request, "Choose whether the action is done or no longer needed.")
    return redirect("meetings:meeting", partnership.slug, (at or action.meeting).pk)


@require_POST
@partnership_view(EDITORS)
def amend(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    form = forms.AmendmentForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            minutes.amend_minutes(
                meeting=meeting,
                by=request.user,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                item=form.cleaned_data["item"],
            )
            messages.success(request, "Amendment recorded.")
        except ValidationError as error:
            pages.show_errors(request, error)
    else:
        messages.error(request, "An amendment needs its text and its reason.")
    return redirect("meetings:meeting", partnership.slug, meeting.pk)


@require_POST
@partnership_view(EDITORS)
def declare(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    form = forms.DeclarationForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            minutes.declare_interest(
                item=form.cleaned_data["item"],
                person=form.cleaned_data["person"],
                interest=form.cleaned_data["interest"],
            )
            messages.success(request, "Declaration of interest recorded.")
        except ValidationError as error:
            pages.show_errors(request, error)
    else:
        messages.error(request, "Choose the item and the person, and say what the interest is.")
    return redirect("meetings:meeting", partnership.slug, meeting.pk)
