"""The Forward Programme picker on a meeting's agenda (rules in forward_programme.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from csp_portal.access import partnership_view
from meetings import forward_programme
from meetings.access import EDITORS
from meetings.models import ForwardProgrammeEntry


@require_POST
@partnership_view(EDITORS)
def pick(request: HttpRequest, partnership: Any, pk: int) -> HttpResponse:
    from meetings.views import _errors, _meeting

    meeting = _meeting(partnership, pk, request.user)
    wanted = [value for value in request.POST.getlist("entry") if value.isdigit()]
    entries = list(
        ForwardProgrammeEntry.objects.filter(body__partnership=partnership, pk__in=wanted)
    )
    try:
        if len(entries) != len(set(wanted)):
            raise ValidationError("One of the chosen entries is not in this Forward Programme.")
        items = forward_programme.add_to_agenda(meeting=meeting, entries=entries)
    except ValidationError as error:
        _errors(request, error)
        url = redirect("meetings:meeting", partnership.slug, meeting.pk).url
        return redirect(f"{url}#fp-picker")
    names = ", ".join(f"“{item.title}”" for item in items)
    messages.success(request, f"Added to the agenda from the Forward Programme: {names}.")
    url = redirect("meetings:meeting", partnership.slug, meeting.pk).url
    return redirect(f"{url}#agenda-item-{items[0].pk}")
