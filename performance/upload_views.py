"""The spreadsheet upload of figures (long or wide, CSV or XLSX): preview, then confirm,
all or nothing. A workbook with several sheets is kept while the officer chooses one,
and a sheet with problems brings the form back with every problem at once.

Only performance officers and partnership administrators reach these views.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from csp_portal.financial_year import Quarter
from performance import pending_imports, services
from performance.consistency import figure_warnings
from performance.entry_views import editors, forms_only
from performance.forms import UploadForm
from performance.import_flow import changes_context, quarter_or_404
from performance.spreadsheets import SheetChoiceNeeded, UnreadableFile, parse_figures, read_table
from performance.views import _context


def _upload_source(request, partnership, form: UploadForm):
    """The uploaded file, or the one kept while the officer chose its sheet: (source,
    name, token or None), or None when the kept file has expired."""
    upload_file = form.cleaned_data.get("file")
    token = form.cleaned_data.get("token", "")
    if upload_file:
        if token:  # a new file replaces the one kept
            pending_imports.discard(request, token)
        return upload_file, upload_file.name, None
    kept = pending_imports.fetch(request, token, partnership=partnership, kind="figures")
    if kept is None:
        return None
    (name,), _ = kept
    with pending_imports.open_kept(token, name) as handle:  # at most MAX_UPLOAD_BYTES
        source = ContentFile(handle.read(), name=pending_imports.original_name(name))
    return source, source.name, token


def _keep(request: HttpRequest, partnership, source, token: str | None, **details) -> str:
    """The kept sheet's token: kept now (with `details`) unless it is already, when the
    `details` are added to it."""
    if token is None:
        return pending_imports.keep(
            request, partnership=partnership, kind="figures", files=[source], **details
        )
    if details:
        pending_imports.update(request, token, **details)
    return token


def _periods(parsed) -> list[Quarter]:
    """The quarters a parsed sheet's figures are for, in order: what the preview names."""
    return [quarter_or_404(y, q) for y, q in sorted({key[:2] for key in parsed.values})]


def _upload_again(request, partnership, source, name: str, token, parsed, sheets) -> HttpResponse:
    """A sheet with problems: the upload form again, every problem listed at once (the
    missing year and quarter with the file's own), with the officer's choices and the
    file kept (pending_imports), so a forgotten quarter needs no second upload."""
    token = _keep(request, partnership, source, token)
    data = request.POST.copy()
    data["token"] = token
    form = UploadForm(data, sheets=sheets or None, kept=name)
    form.is_valid()
    if parsed.needs_period:
        for field in ("year", "quarter"):
            if not form.cleaned_data.get(field):
                form.add_error(field, "Choose the financial year and the quarter of this sheet.")
    return _upload_page(
        request, partnership, form, status=400, sheets=sheets, file_errors=parsed.errors,
        filename=name,
    )  # fmt: skip


@forms_only
@editors
def upload(request: HttpRequest, partnership) -> HttpResponse:
    """Upload a long or wide sheet of figures; shows a preview, writes nothing.

    A workbook with several sheets holding data is kept while the officer chooses one.
    """
    sheets = request.POST.getlist("sheets") if request.method == "POST" else []
    form = UploadForm(request.POST or None, request.FILES or None, sheets=sheets or None)
    sheet_message = ""
    if request.method == "POST" and form.is_valid():
        found = _upload_source(request, partnership, form)
        if found is None:
            form.add_error("file", "That upload has expired; choose the file again.")
        else:
            source, name, token = found
            sheet = form.cleaned_data.get("sheet") or None
            quarter = form.chosen_quarter()
            try:
                frame = read_table(source, name, sheet=sheet)
            except SheetChoiceNeeded as need:
                token = _keep(request, partnership, source, token)
                form = UploadForm(
                    initial={
                        "token": token,
                        "year": request.POST.get("year", ""),
                        "quarter": request.POST.get("quarter", ""),
                    },
                    sheets=need.sheets,
                )
                return _upload_page(
                    request, partnership, form, status=400, sheet_message=str(need),
                    sheets=need.sheets,
                )  # fmt: skip
            except UnreadableFile as error:
                if token:
                    pending_imports.discard(request, token)
                form.add_error("file", str(error))
            else:
                parsed = parse_figures(partnership, frame, quarter)
                details = {
                    "quarter": [quarter.financial_year.start_year, quarter.number]
                    if quarter
                    else None,
                    "sheet": sheet,
                }
                if not parsed.ok:
                    return _upload_again(request, partnership, source, name, token, parsed, sheets)
                token = _keep(request, partnership, source, token, **details)
                changes = services.compare_figures(partnership, parsed.values)
                warnings = figure_warnings(partnership, parsed.values)
                return render(
                    request,
                    "performance/upload_preview.html",
                    _context(
                        request,
                        partnership,
                        "upload",
                        parsed=parsed,
                        token=token,
                        warnings=warnings,
                        **changes_context(partnership, changes),
                        filename=name,
                        sheet=sheet,
                        periods=_periods(parsed),
                        period_chosen=quarter is not None and parsed.layout == "wide",
                    ),
                )
    return _upload_page(
        request, partnership, form, status=400 if form.errors else 200,
        sheet_message=sheet_message,
    )  # fmt: skip


def _upload_page(
    request: HttpRequest, partnership, form: UploadForm, *, status: int, **shown
) -> HttpResponse:
    """The upload form (again), with what it shows besides the form."""
    return render(
        request,
        "performance/upload.html",
        _context(request, partnership, "upload", form=form, **shown),
        status=status,
    )


@require_POST
@editors
def upload_confirm(request: HttpRequest, partnership) -> HttpResponse:
    token = request.POST.get("token", "")
    kept = pending_imports.fetch(request, token, partnership=partnership, kind="figures")
    if kept is None:
        messages.error(request, "That upload has expired or was already imported; upload it again.")
        return redirect("performance:upload", partnership=partnership.slug)
    (path,), entry = kept
    quarter = quarter_or_404(*entry["quarter"]) if entry.get("quarter") else None
    try:
        with pending_imports.open_kept(token, path) as kept_file:
            frame = read_table(kept_file, sheet=entry.get("sheet"))
        parsed = parse_figures(partnership, frame, quarter)
    except UnreadableFile as error:
        messages.error(request, f"{error} Nothing was imported.")
        return redirect("performance:upload", partnership=partnership.slug)
    if not parsed.ok:
        messages.error(request, f"{parsed.errors[0]} Nothing was imported.")
        return redirect("performance:upload", partnership=partnership.slug)
    try:
        changes = services.apply_figures(
            partnership=partnership,
            values=parsed.values,
            user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0] + " Nothing was imported.")
        return redirect("performance:upload", partnership=partnership.slug)
    pending_imports.discard(request, token)
    messages.success(
        request,
        f"Imported {pending_imports.original_name(path)}: {len(changes.created)} new and "
        f"{len(changes.changed)} changed figures ({changes.unchanged} unchanged).",
    )
    return redirect("performance:index", partnership=partnership.slug)
