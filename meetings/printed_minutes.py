"""The printed minutes of a meeting: what they show (`minutes_context`, shared by the
agenda pack, the minutes PDF and the meeting's web pages) and their own PDF."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from csp_portal.pdf_render import url_fetcher
from meetings import access, selectors
from meetings.attendance import printed
from meetings.models import Declaration, Meeting, Minute, Resolution

#: WeasyPrint's variant for every PDF the meetings app prints (identifier, XMP, tags).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def minutes_context(meeting: Meeting, *, public: bool, agenda=None) -> dict:
    """Everything the printed minutes show (shared by the pack, the PDF and the web page).
    `agenda`: the meeting's numbered agenda when the caller has already built it (with
    exempt items exactly when `public` is false)."""
    if agenda is None:
        agenda = selectors.numbered_agenda(meeting, include_exempt=not public)
    attendance = printed(meeting)
    items = selectors.flatten(agenda)
    # A withheld item (public version) shows its number, heading and notice: none of its
    # minute, resolutions or declarations are even read.
    ids = [n.item.pk for n in items if not n.withheld]
    minutes = {m.item_id: m for m in Minute.objects.filter(item_id__in=ids)}
    declarations: dict[int, list] = {}
    for d in Declaration.objects.filter(item_id__in=ids).select_related("person"):
        declarations.setdefault(d.item_id, []).append(d)
    resolutions: dict[int, list] = {}
    for r in Resolution.objects.filter(item_id__in=ids).order_by("number"):
        resolutions.setdefault(r.item_id, []).append(r)
    actions = access.actions_for(meeting.actions.select_related("owner"), public=public)
    amendments = access.amendments_for(meeting.amendments.select_related("item"), public=public)
    return {
        "meeting": meeting,
        "items": [
            {
                "node": n,
                "minute": minutes.get(n.item.pk),
                "resolutions": resolutions.get(n.item.pk, []),
                "declarations": declarations.get(n.item.pk, []),
            }
            for n in items
        ],
        "attendance": attendance,
        "present": attendance.present,
        "officers": attendance.officers,
        "apologies": attendance.apologies,
        "actions": list(actions),
        "amendments": list(amendments),
        "public": public,
    }


def build_minutes_pdf(meeting: Meeting, *, public: bool) -> bytes:
    """The printed minutes of one meeting as their own PDF."""
    from weasyprint import HTML

    html = render_to_string("meetings/pdf/minutes.html", minutes_context(meeting, public=public))
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()).write_pdf(
        **PDF_OPTIONS
    )
