"""The agenda's pages (clerks): adding an item, editing one, and the buttons that move,
nest, un-nest and remove items (rules in meetings/agenda.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from csp_portal.access import partnership_view
from csp_portal.forms import show_refusal
from meetings import agenda, forms, pages
from meetings.access import EDITORS


def _wording(data: dict[str, Any]) -> dict[str, Any]:
    """What the item form says of an item beyond its place: the keywords `add_item` and
    `update_item` both take, named one by one."""
    return {
        "title": data["title"],
        "purpose": data["purpose"],
        "presenter": data["presenter"],
        "presenter_name": data["presenter_name"],
        "presenter_organisation": data["presenter_organisation"],
        "is_exempt": data["is_exempt"],
        "exempt_paragraph": data["exempt_paragraph"],
        "exempt_reason": data["exempt_reason"],
    }


@require_POST
@partnership_view(EDITORS)
def add_item(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    form = forms.ItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = agenda.add_item(
                meeting=meeting,
                parent=data["parent"],
                **_wording(data),
            )
        except ValidationError as error:
            pages.show_errors(request, error)
        else:
            messages.success(request, f"“{item.title}” added to the agenda.")
            return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return render(
        request,
        "meetings/item_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
    )


@require_POST
@partnership_view(EDITORS)
def move_item(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = pages.item_or_404(partnership, pk)
    action = request.POST.get("move", "")
    try:
        if action in ("up", "down"):
            agenda.move_item(item=item, direction=action)
        elif action == "indent":
            agenda.indent_item(item=item)
        elif action == "outdent":
            agenda.outdent_item(item=item)
        elif action == "remove":
            agenda.remove_item(item=item)
        else:
            raise ValidationError("Choose up, down, indent, outdent or remove.")
    except ValidationError as error:
        pages.show_errors(request, error)
    url = redirect("meetings:meeting", partnership.slug, item.meeting_id).url
    return redirect(f"{url}#agenda-item-{item.pk}" if action != "remove" else url)


@partnership_view(EDITORS)
def edit_item(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = pages.item_or_404(partnership, pk)
    meeting = item.meeting
    initial = {
        "title": item.title,
        "purpose": item.purpose,
        "presenter": item.presenter_id,
        "presenter_name": item.presenter_name,
        "presenter_organisation": item.presenter_organisation_id,
        "is_exempt": item.is_exempt,
        "exempt_paragraph": item.exempt_paragraph,
        "exempt_reason": item.exempt_reason,
        "priorities": list(item.priorities.all()),
        "version": item.version,
    }
    form = forms.ItemForm(
        request.POST or None, initial=initial, meeting=meeting, with_priorities=True
    )
    del form.fields["parent"]  # nesting is done with the Nest / Un-nest buttons
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stale = pages.save_versioned(
                form,
                lambda version: agenda.update_item(
                    item=item,
                    expected_version=version,
                    priorities=data["priorities"],
                    **_wording(data),
                ),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if stale is None:
                messages.success(request, f"“{item.title}” saved.")
                return redirect(
                    redirect("meetings:meeting", partnership.slug, meeting.pk).url
                    + f"#agenda-item-{item.pk}"
                )
    return render(
        request,
        "meetings/item_form.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "form": form,
            "item": item,
            "stale": stale,
        },
        status=pages.form_status(request, stale),
    )
