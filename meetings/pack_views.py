"""The agenda pack and the minutes as PDFs for signed-in members: the published pack
(members' or public by role), a live draft for editors, and the minutes (draft for full
readers, confirmed for everyone)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from csp_portal.access import READERS, partnership_view
from meetings import access, lifecycle, pages
from meetings.pack_builder import PaperUnreadable, build_pack
from meetings.printed_minutes import build_minutes_pdf


@require_GET
@partnership_view(READERS)
def pack_pdf(request: HttpRequest, partnership, pk: int) -> HttpResponseBase:
    """The latest published pack (members' or public by role); a live draft for editors."""
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    full = access.reads_everything(request.user, partnership)
    latest = meeting.packs.order_by("-number").first()
    filename = f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-pack{'' if full else '-public'}.pdf"
    if latest is not None and request.GET.get("draft") != "1":
        handle = (latest.members_pdf if full else latest.public_pdf).open("rb")
        response = FileResponse(handle, content_type="application/pdf", filename=filename)
        response["Cache-Control"] = pages.NO_STORE
        return response
    if not full:
        raise Http404("No pack has been published.")
    try:
        built = build_pack(meeting, public=False)
    except PaperUnreadable as error:  # a damaged or missing paper: say which, no 500
        pages.show_errors(request, error)
        return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return pages.pdf_response(built.pdf, filename)


@require_GET
@partnership_view(READERS)
def minutes_pdf(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    full = access.reads_everything(request.user, partnership)
    if not lifecycle.minutes_pdf_available(meeting):
        raise Http404("The meeting has not been held, so it has no minutes yet.")
    if not full and not meeting.minutes_locked:
        raise PermissionDenied("These minutes are not confirmed yet.")
    return pages.pdf_response(
        build_minutes_pdf(meeting, public=not full),
        f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-minutes.pdf",
    )
