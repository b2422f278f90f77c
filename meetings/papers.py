"""The papers on an agenda item: uploaded PDFs (checked before they are kept, replaced
in place) and partner reports. Generated papers: meetings/generated_papers.py.

Every action runs in one transaction and raises ValidationError with a message a clerk
can act on, leaving nothing changed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from csp_portal.pdf_checks import check_pdf
from meetings.agenda import check_agenda_editable
from meetings.models import AgendaItem, Paper, PaperKind, PartnerReport


def next_paper_order(item: AgendaItem) -> int:
    return (item.papers.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def attach_upload(
    *, item: AgendaItem, name: str, content: bytes, title: str = "", is_exempt: bool = False
) -> Paper:
    """Attach an uploaded PDF after checking it opens; a bad file changes nothing."""
    check_agenda_editable(item.meeting)
    checked = check_pdf(name, content)
    paper = Paper(
        item=item,
        order=next_paper_order(item),
        kind=PaperKind.UPLOAD,
        title=title or name.rsplit(".", 1)[0],
        is_exempt=is_exempt,
        page_count=checked.page_count,
        sha256=checked.sha256,
    )
    paper.file.save(f"{checked.sha256[:16]}.pdf", ContentFile(checked.content), save=False)
    paper.save()
    return paper


@transaction.atomic
def replace_upload(*, paper: Paper, name: str, content: bytes) -> Paper:
    """Put a new file in place of an uploaded paper (same item, title and place); the
    page count and hash follow the new file, so the pack has no page too many."""
    check_agenda_editable(paper.item.meeting)
    if paper.kind != PaperKind.UPLOAD:
        raise ValidationError("Only an uploaded PDF can be replaced by another file.")
    checked = check_pdf(name, content)
    old = paper.file.name
    paper.page_count = checked.page_count
    paper.sha256 = checked.sha256
    paper.file.save(f"{checked.sha256[:16]}.pdf", ContentFile(checked.content), save=False)
    paper.save(update_fields=["file", "page_count", "sha256"])
    if old and old != paper.file.name:
        transaction.on_commit(lambda: paper.file.storage.delete(old))
    return paper


@transaction.atomic
def remove_paper(*, paper: Paper) -> None:
    """Take a paper off its item (its file is deleted once the removal is committed)."""
    item = paper.item
    check_agenda_editable(item.meeting)
    name = paper.file.name if paper.kind == PaperKind.UPLOAD else ""
    storage = paper.file.storage
    paper.delete()
    for order, sibling in enumerate(item.papers.order_by("order", "pk"), start=1):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attach_report(*, item: AgendaItem, report: PartnerReport, is_exempt: bool = False) -> Paper:
    check_agenda_editable(item.meeting)
    if report.partnership_id != item.meeting.body.partnership_id:
        raise ValidationError({"report": "That report belongs to another partnership."})
    return Paper.objects.create(
        item=item,
        order=next_paper_order(item),
        kind=PaperKind.REPORT,
        title=f"{report.subject} ({report.organisation})",
        report=report,
        is_exempt=is_exempt,
    )
