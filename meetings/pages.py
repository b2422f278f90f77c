"""What the meetings app's pages share: the meeting or item a URL names (scoped to the
partnership, so another partnership's is a 404), a service's refusal shown as messages,
the save of a form two clerks can have open (refused when stale) and the responses for
confidential PDFs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from csp_portal.models import Partnership
from csp_portal.versioning import StaleVersion, refresh_version
from meetings import access
from meetings.models import AgendaItem, Meeting

#: Confidential downloads: never kept by a shared cache or the browser's disk cache.
NO_STORE = "private, no-store"


def meeting_or_404(partnership: Partnership, pk: int, user: Any) -> Meeting:
    """The partnership's meeting `pk`, refused (403) while its agenda is unpublished to
    someone who may not see it yet."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("body", "body__partnership"),
        pk=pk,
        body__partnership=partnership,
    )
    if not access.can_view_meeting(user, meeting):
        raise PermissionDenied("This agenda has not been published yet.")
    return meeting


def item_or_404(partnership: Partnership, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__body"),
        pk=pk,
        meeting__body__partnership=partnership,
    )


def show_errors(request: HttpRequest, error: ValidationError) -> None:
    """A refusal from a step taken by a button (no form to show it on): as messages."""
    for message in error.messages:
        messages.error(request, message)


def posted_version(form: forms.Form) -> int:
    """The version the form was opened at; a post without one (a page from before
    versions, a hand-made request) counts as stale rather than overwriting blindly."""
    version = form.cleaned_data.get("version")
    return -1 if version is None else version


def save_versioned(form: forms.Form, save: Callable[[int], object]) -> StaleVersion | None:
    """Call `save(expected_version)` with the version the form was opened at. A save
    refused because someone else saved since returns the `StaleVersion` (the form then
    carries the newer version, so sending it again overwrites knowingly); any other
    refusal (ValidationError) is raised to the page."""
    try:
        save(posted_version(form))
    except StaleVersion as stale:
        refresh_version(form, stale)
        return stale
    return None


def form_status(request: HttpRequest, stale: StaleVersion | None) -> int:
    """A form page's status: 409 after a stale save, 400 after any other refused post."""
    if stale is not None:
        return 409
    return 400 if request.method == "POST" else 200


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF we built, shown in the browser; kept by no cache (it may hold exempt items)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = NO_STORE
    return response
