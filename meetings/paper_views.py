"""The papers' pages: attaching one to an item (an upload, a partner report or a
generated paper), downloading an uploaded one, and replacing or removing one (clerks; a
page each, removal confirmed first). Rules in meetings/papers.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from csp_portal.access import READERS, partnership_view
from csp_portal.pdf_checks import is_tagged
from csp_portal.upload_checks import check_size
from meetings import access, generated_papers, pages, papers
from meetings import forms as meeting_forms
from meetings.access import EDITORS
from meetings.models import Paper, PaperKind

NOT_ACCESSIBLE = (
    "“{title}”: this paper is not accessible: ask its author for a tagged PDF. "
    "The pack lists it in its accessibility statement until it is replaced."
)


class ReplaceForm(forms.Form):
    file = forms.FileField(
        label="The new PDF", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


def _paper(partnership, pk: int) -> Paper:
    return get_object_or_404(
        Paper.objects.select_related("item__meeting__body"),
        pk=pk,
        item__meeting__body__partnership=partnership,
    )


def warn_if_untagged(request: HttpRequest, title: str, content: bytes) -> None:
    """Tell the clerk, on upload, that a paper is not a tagged PDF."""
    if not is_tagged(content):
        messages.warning(request, NOT_ACCESSIBLE.format(title=title))


@partnership_view(EDITORS)
def replace_paper(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    paper = _paper(partnership, pk)
    form = ReplaceForm()
    status = 200
    if paper.kind != PaperKind.UPLOAD:
        messages.error(request, "Only an uploaded PDF can be replaced; remove it instead.")
        return redirect("meetings:meeting", partnership.slug, paper.item.meeting_id)
    if request.method == "POST":
        form = ReplaceForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            handle = form.cleaned_data["file"]
            try:
                check_size(handle.name, handle.size)
                content = handle.read()
                papers.replace_upload(paper=paper, name=handle.name, content=content)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                pages = f"{paper.page_count} page{'' if paper.page_count == 1 else 's'}"
                messages.success(request, f"“{paper.title}” replaced ({pages}).")
                warn_if_untagged(request, paper.title, content)
                return redirect("meetings:meeting", partnership.slug, paper.item.meeting_id)
    return render(
        request,
        "meetings/paper_replace.html",
        {"partnership": partnership, "paper": paper, "form": form},
        status=status,
    )


@partnership_view(EDITORS)
def remove_paper(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    """GET: what will be removed and a confirm button; POST (confirm=yes): remove."""
    paper = _paper(partnership, pk)
    meeting_id = paper.item.meeting_id
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            papers.remove_paper(paper=paper)
        except ValidationError as error:
            pages.show_errors(request, error)
        else:
            messages.success(request, f"“{paper.title}” removed from “{paper.item.title}”.")
        return redirect("meetings:meeting", partnership.slug, meeting_id)
    return render(
        request, "meetings/paper_remove.html", {"partnership": partnership, "paper": paper}
    )


@partnership_view(EDITORS)
def add_paper(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = pages.item_or_404(partnership, pk)
    upload = meeting_forms.UploadForm(prefix="up")
    report = meeting_forms.AttachReportForm(prefix="rep", partnership=partnership)
    generated = generated_papers.forms_for(partnership)
    if request.method == "POST":
        try:
            if "upload" in request.POST:
                upload = meeting_forms.UploadForm(request.POST, request.FILES, prefix="up")
                if upload.is_valid():
                    handle = upload.cleaned_data["file"]
                    check_size(handle.name, handle.size)
                    content = handle.read()
                    paper = papers.attach_upload(
                        item=item,
                        name=handle.name,
                        content=content,
                        title=upload.cleaned_data["title"],
                        is_exempt=upload.cleaned_data["is_exempt"],
                    )
                    warn_if_untagged(request, paper.title, content)
                    return _paper_added(request, partnership, item)
            elif "report" in request.POST:
                report = meeting_forms.AttachReportForm(
                    request.POST, prefix="rep", partnership=partnership
                )
                if report.is_valid():
                    papers.attach_report(item=item, report=report.cleaned_data["report"])
                    return _paper_added(request, partnership, item)
            elif "block" in request.POST:
                key = request.POST["block"]
                generated = generated_papers.forms_for(partnership, request.POST, key)
                posted = next((f for f in generated if f.block.key == key), None)
                if posted is None:
                    raise ValidationError(f"No generated paper called “{key}” is registered.")
                if posted.is_valid():
                    generated_papers.attach_generated_paper(
                        item=item,
                        key=key,
                        params=posted.cleaned_params,
                        title=posted.cleaned_data["title"],
                        is_exempt=posted.cleaned_data["is_exempt"],
                    )
                    return _paper_added(request, partnership, item)
        except ValidationError as error:
            pages.show_errors(request, error)
    return render(
        request,
        "meetings/paper_form.html",
        {
            "partnership": partnership,
            "item": item,
            "upload": upload,
            "report": report,
            "generated": generated,
        },
        status=400 if request.method == "POST" else 200,
    )


def _paper_added(request, partnership, item) -> HttpResponse:
    messages.success(request, f"Paper attached to “{item.title}”.")
    return redirect("meetings:meeting", partnership.slug, item.meeting_id)


@require_GET
@partnership_view(READERS)
def paper_file(request: HttpRequest, partnership, pk: int) -> HttpResponseBase:
    paper = get_object_or_404(
        Paper.objects.select_related("item__meeting__body"),
        pk=pk,
        kind=PaperKind.UPLOAD,
        item__meeting__body__partnership=partnership,
    )
    meeting = pages.meeting_or_404(partnership, paper.item.meeting_id, request.user)
    if not access.can_view_paper(request.user, paper):
        raise PermissionDenied("This paper is exempt from publication.")
    # An uploaded file, not one we built: downloaded, never opened inside the portal.
    response = FileResponse(
        paper.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{meeting.date}-{paper.title}.pdf",
    )
    response["Cache-Control"] = pages.NO_STORE
    return response
