"""Replacing and removing a paper (clerks): a page each, removal confirmed first."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from csp_portal.access import partnership_view
from csp_portal.pdf_checks import is_tagged
from csp_portal.upload_checks import check_size
from meetings import services
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
                services.replace_upload(paper=paper, name=handle.name, content=content)
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
            services.remove_paper(paper=paper)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{paper.title}” removed from “{paper.item.title}”.")
        return redirect("meetings:meeting", partnership.slug, meeting_id)
    return render(
        request, "meetings/paper_remove.html", {"partnership": partnership, "paper": paper}
    )
