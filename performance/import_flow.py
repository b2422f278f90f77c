"""The upload → preview → confirm flow every figures import shares (spreadsheet, police.uk,
Home Office): the preview's lists of new and changed figures and the published quarters
needing a reason; and, for the imports that run as jobs (police.uk, Home Office), keeping
the previewed files with their fingerprint and starting the job when the officer
confirms (performance.import_jobs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance import import_jobs, pending_imports
from performance.dashboards import categories_in_order
from performance.models import Beat
from performance.services import FigureChanges, published_quarters
from performance.views import _context

#: (quarter, category, beat or "Partnership total", count) of a new figure.
Created = tuple[str, str, str, int]
#: (quarter, category, beat or "Partnership total", old count, new count).
Changed = tuple[str, str, str, int, int]


def quarter_or_404(year: int, number: int) -> Quarter:
    """The quarter a URL or a kept upload names; a 404 for one that does not exist."""
    try:
        return Quarter(FinancialYear(year), number)
    except ValueError as error:
        raise Http404(str(error)) from error


def describe_changes(
    changes: FigureChanges, partnership: Partnership, limit: int = 300
) -> tuple[list[Created], list[Changed]]:
    """The preview's rows: the new figures and the changed ones, labelled, in order."""
    categories = {c.pk: c.name for c in categories_in_order(partnership)}
    beats = {b.pk: f"Beat {b.code}" for b in Beat.objects.filter(partnership=partnership)}

    def label(key: tuple[int, int, int, int | None]) -> tuple[str, str, str]:
        year, number, category_id, beat_id = key
        return (
            str(quarter_or_404(year, number)),
            categories.get(category_id, "?"),
            beats.get(beat_id, "Partnership total") if beat_id else "Partnership total",
        )

    created = [(*label(k), v) for k, v in sorted(changes.created.items(), key=lambda kv: kv[0][:3])]
    changed = [
        (*label(k), old, new)
        for k, (old, new) in sorted(changes.changed.items(), key=lambda kv: kv[0][:3])
    ]
    return created[:limit], changed[:limit]


def needs_reason(partnership: Partnership, changes: FigureChanges) -> list[Quarter]:
    """The published quarters the import would change: confirming them needs a reason."""
    published = published_quarters(partnership) & changes.quarters()
    return [quarter_or_404(y, q) for y, q in sorted(published)]


def changes_context(partnership: Partnership, changes: FigureChanges) -> dict[str, Any]:
    """What every preview page shows of the changes an import would make."""
    created, changed = describe_changes(changes, partnership)
    return {
        "changes": changes,
        "created": created,
        "changed": changed,
        "needs_reason": needs_reason(partnership, changes),
    }


def job_preview(
    request: HttpRequest,
    partnership: Partnership,
    *,
    kind: str,
    files: Sequence[UploadedFile],
    changes: FigureChanges,
    ok: bool,
    template: str,
    tab: str,
    kept: dict[str, Any] | None = None,
    **shown: Any,
) -> HttpResponse:
    """The preview of an import run as a job: the files are kept (with `kept` details and
    the fingerprint of `changes`) only when they can be imported (`ok`); 400 otherwise."""
    token = None
    if ok:
        token = pending_imports.keep(
            request,
            partnership=partnership,
            kind=kind,
            files=list(files),
            fingerprint=import_jobs.preview_fingerprint(changes),
            **(kept or {}),
        )
    return render(
        request,
        template,
        _context(
            request, partnership, tab, token=token, **changes_context(partnership, changes), **shown
        ),
        status=200 if ok else 400,
    )


def confirm_job(
    request: HttpRequest, partnership: Partnership, *, kind: str, expired: str, back: str
) -> HttpResponse:
    """Start the import of the previewed upload as a job and go to its page (a second
    confirmation goes to the same job); an upload expired or already imported goes back
    to `back` saying `expired`."""
    token = request.POST.get("token", "")
    kept = pending_imports.fetch(request, token, partnership=partnership, kind=kind)
    job = kept and import_jobs.confirm(
        user=request.user,
        partnership=partnership,
        kind=kind,
        token=token,
        entry=kept[1],
        reason=request.POST.get("reason", ""),
    )
    if not job:
        messages.error(request, expired)
        return redirect(back, partnership=partnership.slug)
    return redirect(job)
