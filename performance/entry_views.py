"""Getting figures in: the entry grid, publishing, history, spreadsheet and police.uk
uploads (preview, then confirm), the LSOA lookup and family-group figures (targets:
performance/target_views.py).

Only performance officers and partnership administrators reach these views.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from csp_portal.access import EDITORS_OF_FIGURES, partnership_view
from csp_portal.financial_year import FinancialYear, Quarter
from performance import import_jobs, monthly_figures, pending_imports, services, versions
from performance.consistency import figure_warnings, subcategory_warnings
from performance.dashboards import active_in, available_quarters, categories_in_order
from performance.family import (
    GROUP_SIZE,
    apply_peer_figures,
    family_group_for,
    parse_peer_figures,
    save_membership,
    wrong_sizes,
)
from performance.forms import (
    CrimeTypeMappingForm,
    EntryGridForm,
    FileOnlyForm,
    LsoaBeatFormSet,
    MemberFormSet,
    PoliceUkUploadForm,
    UploadForm,
    cell_name,
    year_choices,
)
from performance.import_jobs import preview_fingerprint
from performance.models import (
    Beat,
    CrimeTypeMapping,
    FamilyGroupMember,
    FigureCorrection,
    LsoaBeat,
    PoliceUkCrimeType,
    PublishedQuarter,
    QuarterlyFigure,
)
from performance.policeuk import count_street_files
from performance.reference_data import (
    apply_lsoa_lookup,
    parse_lsoa_lookup,
    set_crime_type_mapping,
)
from performance.spreadsheets import (
    SheetChoiceNeeded,
    UnreadableFile,
    parse_figures,
    read_table,
)
from performance.views import _context

editors = partnership_view(roles=EDITORS_OF_FIGURES)
#: The forms: shown with GET, sent with POST; any other method is refused (405).
forms_only = require_http_methods(["GET", "HEAD", "POST"])


def _quarter(year: int, number: int) -> Quarter:
    try:
        return Quarter(FinancialYear(year), number)
    except ValueError as error:
        raise Http404(str(error)) from error


def _grid_url(partnership, quarter: Quarter) -> str:
    return reverse(
        "performance:enter_quarter",
        kwargs={
            "partnership": partnership.slug,
            "year": quarter.financial_year.start_year,
            "quarter": quarter.number,
        },
    )


@require_safe
@editors
def enter(request: HttpRequest, partnership) -> HttpResponse:
    """Start at the quarter after the latest one entered (or the one chosen)."""
    if request.GET.get("year") and request.GET.get("quarter"):
        try:
            return redirect(
                _grid_url(partnership, Quarter.parse(request.GET["year"], request.GET["quarter"]))
            )
        except ValueError:
            messages.error(request, "Choose a financial year and a quarter.")
    available = available_quarters(partnership)
    ended = Quarter.latest_complete()
    if not available:
        quarter = ended
    elif available[0] < ended:
        quarter = available[0].next  # the next quarter to fill in
    else:
        # The last ended quarter is in already: a later one has not finished, so the
        # officer is more likely correcting this one than entering the next.
        quarter = available[0]
    return redirect(_grid_url(partnership, quarter))


@dataclass(frozen=True)
class GridConflict:
    """A cell someone else saved after the officer opened the grid."""

    label: str
    opened: int | None
    now: int | None
    typed: str  # what the officer had typed in it
    kept_theirs: bool  # the officer had not touched it, so the grid now shows theirs


def _grid_conflicts(form: EntryGridForm, stale: versions.StaleVersion, data) -> list:
    """Describe the other save, and take its values into `data` (the re-shown grid) in
    the cells the officer left as they were when opened; their own typing stays."""
    conflicts = []
    for difference in stale.differences:
        category_id, where = difference.key.split(":")
        name = cell_name(int(category_id), None if where == "total" else int(where))
        if name not in form.fields:
            continue
        typed = (data.get(name) or "").strip()
        opened = "" if difference.opened is None else str(difference.opened)
        untouched = typed == opened and not stale.missing
        if untouched:
            data[name] = "" if difference.now is None else str(difference.now)
        conflicts.append(
            GridConflict(form.fields[name].label, difference.opened, difference.now, typed,
                         untouched)
        )  # fmt: skip
    return conflicts


@forms_only
@editors
def enter_quarter(request: HttpRequest, partnership, year: int, quarter: int) -> HttpResponse:
    """The entry grid: rows are categories, columns the beats and the partnership total.

    The page carries a version (the stored figures it shows, signed): a save against a
    stale version is refused with the other save's changes shown and the typing kept.
    """
    period = _quarter(year, quarter)
    categories = active_in(categories_in_order(partnership), period)
    beats = active_in(Beat.objects.filter(partnership=partnership), period)
    grid_cells = [(c.pk, b.pk if b else None) for c in categories for b in [*beats, None]]
    stored = {
        cell_name(f.category_id, f.beat_id): f.count
        for f in QuarterlyFigure.objects.filter(
            partnership=partnership, financial_year=period.financial_year, quarter=period.number
        ).only("category_id", "beat_id", "count")
    }
    version = versions.sign(
        {
            services.grid_key(c, b): stored[cell_name(c, b)]
            for c, b in grid_cells
            if cell_name(c, b) in stored
        }
    )
    published = PublishedQuarter.objects.filter(
        partnership=partnership, financial_year=period.financial_year, quarter=period.number
    ).first()
    conflicts: list[GridConflict] = []
    if request.method == "POST":
        form = EntryGridForm(request.POST, categories=categories, beats=beats)
        if form.is_valid():
            try:
                changes = services.save_grid(
                    partnership=partnership,
                    quarter=period,
                    cells=form.cells(),
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    opened=versions.read(request.POST.get("version")) or {},
                )
            except services.ReasonRequired as error:
                form.add_error("reason", error.messages[0])
                version = request.POST.get("version", "")
            except versions.StaleVersion as stale:
                data = request.POST.copy()
                conflicts = _grid_conflicts(form, stale, data)
                form = EntryGridForm(data, categories=categories, beats=beats)
                form.is_valid()  # re-shows the merged grid (it was valid)
                # `version` stays the current one: saving again is a decision taken
                # knowing the other save.
                return render(
                    request,
                    "performance/enter.html",
                    _grid_context(
                        request, partnership, period, form, beats, published, version,
                        categories, stored, conflicts=conflicts,
                    ),
                    status=409,
                )  # fmt: skip
            else:
                messages.success(
                    request,
                    f"Saved {period}: {len(changes.created)} new, {len(changes.changed)} "
                    f"changed, {len(changes.removed)} removed figures.",
                )
                for warning in [
                    *services.beat_sum_warnings(categories, beats, form.cells()),
                    *subcategory_warnings(categories, beats, form.cells()),
                ]:
                    messages.warning(request, f"Check: {warning}")
                return redirect(_grid_url(partnership, period))
        else:
            version = request.POST.get("version", "")
        status = 400
    else:
        form = EntryGridForm(initial=stored, categories=categories, beats=beats)
        status = 200
    return render(
        request,
        "performance/enter.html",
        _grid_context(
            request, partnership, period, form, beats, published, version, categories, stored
        ),
        status=status,
    )


def _grid_context(
    request, partnership, period, form, beats, published, version, categories, stored,
    conflicts=(),
) -> dict:  # fmt: skip
    cells = {
        (c.pk, b.pk if b else None): stored.get(cell_name(c.pk, b.pk if b else None))
        for c in categories
        for b in [*beats, None]
    }
    return _context(
        request,
        partnership,
        "enter",
        quarter=period,
        form=form,
        beats=beats,
        published=published,
        version=version,
        conflicts=conflicts,
        warnings=[
            *services.beat_sum_warnings(categories, beats, cells),
            *subcategory_warnings(categories, beats, cells),
        ],
        previous_quarter=period.previous,
        next_quarter=period.next,
        years=year_choices(),
    )


@require_POST
@editors
def publish(request: HttpRequest, partnership, year: int, quarter: int) -> HttpResponse:
    period = _quarter(year, quarter)
    try:
        services.publish_quarter(partnership=partnership, quarter=period, user=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{period} is published; corrections now need a reason.")
    return redirect(_grid_url(partnership, period))


@require_safe
@editors
def history(request: HttpRequest, partnership, year: int, quarter: int) -> HttpResponse:
    """Every change to the quarter's figures: who, when, from what to what, and why."""
    period = _quarter(year, quarter)
    records = list(
        QuarterlyFigure.history.filter(
            partnership=partnership, financial_year=period.financial_year, quarter=period.number
        )
        .select_related("category", "beat", "history_user")
        .order_by("id", "history_date", "history_id")[:5000]
    )
    previous: dict[int, int] = {}
    for record in records:
        record.old_count = previous.get(record.id)
        previous[record.id] = record.count
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    corrections = FigureCorrection.objects.filter(
        partnership=partnership, financial_year=period.financial_year, quarter=period.number
    ).select_related("made_by")
    return render(
        request,
        "performance/history.html",
        _context(
            request,
            partnership,
            "enter",
            quarter=period,
            records=records[:500],
            corrections=corrections,
        ),
    )


def _labels(partnership):
    categories = {c.pk: c.name for c in categories_in_order(partnership)}
    beats = {b.pk: f"Beat {b.code}" for b in Beat.objects.filter(partnership=partnership)}
    return categories, beats


def _describe(changes: services.FigureChanges, partnership, limit: int = 300):
    categories, beats = _labels(partnership)

    def label(key):
        year, number, category_id, beat_id = key
        return (
            str(_quarter(year, number)),
            categories.get(category_id, "?"),
            beats.get(beat_id, "Partnership total") if beat_id else "Partnership total",
        )

    created = [(*label(k), v) for k, v in sorted(changes.created.items(), key=lambda kv: kv[0][:3])]
    changed = [
        (*label(k), old, new)
        for k, (old, new) in sorted(changes.changed.items(), key=lambda kv: kv[0][:3])
    ]
    return created[:limit], changed[:limit]


def _needs_reason(partnership, changes: services.FigureChanges) -> list[Quarter]:
    published = services.published_quarters(partnership) & changes.quarters()
    return [_quarter(y, q) for y, q in sorted(published)]


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


def _periods(parsed) -> list[Quarter]:
    """The quarters a parsed sheet's figures are for, in order: what the preview names."""
    return [_quarter(y, q) for y, q in sorted({key[:2] for key in parsed.values})]


def _upload_again(request, partnership, source, name: str, token, parsed, sheets) -> HttpResponse:
    """A sheet with problems: the upload form again, every problem listed at once (the
    missing year and quarter with the file's own), with the officer's choices and the
    file kept (pending_imports), so a forgotten quarter needs no second upload."""
    if token is None:
        source.seek(0)
        token = pending_imports.keep(
            request, partnership=partnership, kind="figures", files=[source]
        )
    data = request.POST.copy()
    data["token"] = token
    form = UploadForm(data, sheets=sheets or None, kept=name)
    form.is_valid()
    if parsed.needs_period:
        for field in ("year", "quarter"):
            if not form.cleaned_data.get(field):
                form.add_error(field, "Choose the financial year and the quarter of this sheet.")
    return render(
        request,
        "performance/upload.html",
        _context(
            request,
            partnership,
            "upload",
            form=form,
            sheets=sheets,
            file_errors=parsed.errors,
            filename=name,
        ),
        status=400,
    )


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
                if token is None:
                    source.seek(0)
                    token = pending_imports.keep(
                        request, partnership=partnership, kind="figures", files=[source]
                    )
                form = UploadForm(
                    initial={
                        "token": token,
                        "year": request.POST.get("year", ""),
                        "quarter": request.POST.get("quarter", ""),
                    },
                    sheets=need.sheets,
                )
                return render(
                    request,
                    "performance/upload.html",
                    _context(
                        request,
                        partnership,
                        "upload",
                        form=form,
                        sheet_message=str(need),
                        sheets=need.sheets,
                    ),
                    status=400,
                )
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
                if token is None:
                    source.seek(0)
                    token = pending_imports.keep(
                        request, partnership=partnership, kind="figures", files=[source], **details
                    )
                else:
                    pending_imports.update(request, token, **details)
                changes = services.compare_figures(partnership, parsed.values)
                warnings = figure_warnings(partnership, parsed.values)
                created, changed = _describe(changes, partnership)
                return render(
                    request,
                    "performance/upload_preview.html",
                    _context(
                        request,
                        partnership,
                        "upload",
                        parsed=parsed,
                        changes=changes,
                        created=created,
                        changed=changed,
                        token=token,
                        warnings=warnings,
                        needs_reason=_needs_reason(partnership, changes),
                        filename=name,
                        sheet=sheet,
                        periods=_periods(parsed),
                        period_chosen=quarter is not None and parsed.layout == "wide",
                    ),
                )
    return render(
        request,
        "performance/upload.html",
        _context(request, partnership, "upload", form=form, sheet_message=sheet_message),
        status=400 if form.errors else 200,
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
    quarter = _quarter(*entry["quarter"]) if entry.get("quarter") else None
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


@forms_only
@editors
def policeuk(request: HttpRequest, partnership) -> HttpResponse:
    """Upload police.uk street-level files; shows the counts and what was left out.

    The same page keeps the crime type → category mapping the counts use.
    """
    categories = categories_in_order(partnership)
    mapped = defaultdict(list)
    for crime_type, code in CrimeTypeMapping.objects.filter(partnership=partnership).values_list(
        "crime_type", "category__code"
    ):
        mapped[crime_type].append(code)
    initial = {
        f"type_{i}": mapped.get(crime_type, [])
        for i, crime_type in enumerate(PoliceUkCrimeType.values)
    }
    if request.method == "POST" and "mapping" in request.POST:
        mapping_form = CrimeTypeMappingForm(request.POST, categories=categories)
        if mapping_form.is_valid():
            set_crime_type_mapping(partnership=partnership, pairs=mapping_form.pairs())
            messages.success(request, "Crime type mapping saved.")
            return redirect("performance:policeuk", partnership=partnership.slug)
    mapping_form = CrimeTypeMappingForm(initial=initial, categories=categories)
    form = PoliceUkUploadForm(
        request.POST if "mapping" not in request.POST else None, request.FILES or None
    )
    if request.method == "POST" and "mapping" not in request.POST and form.is_valid():
        files = form.cleaned_data["files"]
        token = pending_imports.keep(request, partnership=partnership, kind="policeuk", files=files)
        for upload_file in files:
            upload_file.seek(0)
        result = count_street_files(partnership, files)
        plan = (
            monthly_figures.plan_months(partnership, result)
            if not result.errors
            else monthly_figures.MonthPlan()
        )
        changes = plan.changes
        if result.errors:
            pending_imports.discard(request, token)
            token = None
        else:
            pending_imports.update(request, token, fingerprint=preview_fingerprint(changes))
        created, changed = _describe(changes, partnership)
        return render(
            request,
            "performance/policeuk_preview.html",
            _context(
                request,
                partnership,
                "policeuk",
                result=result,
                plan=plan,
                by_type=sorted(result.by_crime_type.items()),
                unmapped=result.unmapped_lsoas.most_common(),
                changes=changes,
                created=created,
                changed=changed,
                token=token,
                needs_reason=_needs_reason(partnership, changes),
            ),
            status=400 if result.errors else 200,
        )
    return render(
        request,
        "performance/policeuk.html",
        _context(request, partnership, "policeuk", form=form, mapping_form=mapping_form),
        status=400 if form.errors else 200,
    )


@require_POST
@editors
def policeuk_confirm(request: HttpRequest, partnership) -> HttpResponse:
    """Start the import of the previewed files as a job; its page shows the progress."""
    token = request.POST.get("token", "")
    kept = pending_imports.fetch(request, token, partnership=partnership, kind="policeuk")
    job = kept and import_jobs.confirm(
        user=request.user,
        partnership=partnership,
        kind="policeuk",
        token=token,
        entry=kept[1],
        reason=request.POST.get("reason", ""),
    )
    if not job:
        messages.error(
            request, "Those files have expired or were already imported; upload them again."
        )
        return redirect("performance:policeuk", partnership=partnership.slug)
    return redirect(job)


@forms_only
@editors
def lsoa(request: HttpRequest, partnership) -> HttpResponse:
    """The LSOA → beat lookup: upload a CSV of it, or edit it row by row."""
    queryset = LsoaBeat.objects.filter(partnership=partnership).select_related("beat")
    upload_form = FileOnlyForm()
    errors = []
    formset = LsoaBeatFormSet(queryset=queryset, form_kwargs={"partnership": partnership})
    if request.method == "POST" and "upload" in request.POST:
        upload_form = FileOnlyForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload_file = upload_form.cleaned_data["file"]
            try:
                parsed = parse_lsoa_lookup(partnership, read_table(upload_file, upload_file.name))
            except UnreadableFile as error:
                upload_form.add_error("file", str(error))
            else:
                if parsed.ok:
                    added, changed = apply_lsoa_lookup(partnership=partnership, parsed=parsed)
                    messages.success(request, f"LSOA lookup: {added} added, {changed} changed.")
                    return redirect("performance:lsoa", partnership=partnership.slug)
                errors = parsed.errors
    elif request.method == "POST":
        formset = LsoaBeatFormSet(
            request.POST, queryset=queryset, form_kwargs={"partnership": partnership}
        )
        if formset.is_valid():
            rows = formset.save(commit=False)
            for row in rows:
                row.partnership = partnership
                row.save()
            for row in formset.deleted_objects:
                row.delete()
            messages.success(request, "LSOA lookup saved.")
            return redirect("performance:lsoa", partnership=partnership.slug)
    return render(
        request,
        "performance/lsoa.html",
        _context(
            request, partnership, "lsoa", formset=formset, upload_form=upload_form, errors=errors
        ),
        status=400 if errors or upload_form.errors or formset.errors else 200,
    )


@forms_only
@editors
def family_upload(request: HttpRequest, partnership) -> HttpResponse:
    """Upload family-group figures (preview, then confirm) and keep the membership."""
    group = family_group_for(partnership)
    form = FileOnlyForm(request.POST or None, request.FILES or None)
    members = MemberFormSet(
        queryset=FamilyGroupMember.objects.filter(family_group=group), prefix="members"
    )
    context = {}
    if request.method == "POST" and "confirm" in request.POST:
        token = request.POST.get("token", "")
        kept = pending_imports.fetch(request, token, partnership=partnership, kind="family")
        if kept is None:
            messages.error(request, "That upload has expired; upload it again.")
            return redirect("performance:family_upload", partnership=partnership.slug)
        (path,), _ = kept
        with pending_imports.open_kept(token, path) as kept_file:
            parsed = parse_peer_figures(partnership, read_table(kept_file))
        if parsed.ok:
            written = apply_peer_figures(partnership=partnership, parsed=parsed, user=request.user)
            pending_imports.discard(request, token)
            messages.success(request, f"Family-group figures imported: {written} written.")
            return redirect("performance:family", partnership=partnership.slug)
        context["parsed"] = parsed
    elif request.method == "POST" and "members-TOTAL_FORMS" in request.POST:
        form = FileOnlyForm()
        members = MemberFormSet(
            request.POST,
            queryset=FamilyGroupMember.objects.filter(family_group=group),
            prefix="members",
        )
        if members.is_valid():
            saved, removed = save_membership(group=group, formset=members)
            if saved or removed:
                messages.success(
                    request, f"Family group membership saved: {saved} saved, {removed} removed."
                )
            else:
                messages.info(request, "Nothing had changed in the membership; nothing saved.")
            return redirect("performance:family_upload", partnership=partnership.slug)
    elif request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            parsed = parse_peer_figures(partnership, read_table(upload_file, upload_file.name))
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            context["parsed"] = parsed
            if parsed.ok:
                upload_file.seek(0)
                context["token"] = pending_imports.keep(
                    request, partnership=partnership, kind="family", files=[upload_file]
                )
    failed = bool(
        form.errors or members.errors or (context.get("parsed") and context["parsed"].errors)
    )
    stored = list(FamilyGroupMember.objects.filter(family_group=group))
    # The group's size can change only on a joining day or the day after a leaving day.
    days = [timezone.localdate(), *(m.joined for m in stored if m.joined)]
    days += [m.left + dt.timedelta(days=1) for m in stored if m.left]
    return render(
        request,
        "performance/family_upload.html",
        _context(
            request,
            partnership,
            "family_upload",
            form=form,
            members=members,
            wrong_sizes=wrong_sizes(stored, days),
            group_size=GROUP_SIZE,
            **context,
        ),
        status=400 if failed else 200,
    )
