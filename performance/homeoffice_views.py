"""The Home Office "recorded crime by CSP" import (preview, then confirm) and the
offence → category mapping it counts through. Officers and administrators only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from performance.consistency import figure_warnings
from performance.entry_views import editors, forms_only
from performance.forms import FileOnlyForm, _bootstrap, field_of
from performance.homeoffice import load_standard_mapping, parse_home_office
from performance.import_flow import confirm_job, job_preview
from performance.models import CrimeCategory, OffenceMapping
from performance.reference_data import save_reference_rows
from performance.services import FigureChanges, compare_figures
from performance.spreadsheets import UnreadableFile, read_table
from performance.views import _context


class OffenceMappingForm(forms.ModelForm):
    class Meta:
        model = OffenceMapping
        fields = ["match_on", "value", "category"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "category", forms.ModelChoiceField).queryset = CrimeCategory.objects.filter(
            partnership=partnership
        )
        _bootstrap(self)


OffenceMappingFormSet = forms.modelformset_factory(
    OffenceMapping, form=OffenceMappingForm, extra=2, can_delete=True
)


class HomeOfficeUploadForm(FileOnlyForm):
    sheet = forms.CharField(
        label="Sheet (a workbook with several sheets holding data)", required=False
    )


def _mapping_formset(partnership, data=None):
    return OffenceMappingFormSet(
        data,
        queryset=OffenceMapping.objects.filter(partnership=partnership).select_related("category"),
        form_kwargs={"partnership": partnership},
        prefix="mapping",
    )


@forms_only
@editors
def homeoffice(request: HttpRequest, partnership) -> HttpResponse:
    """Upload a Home Office table (preview), edit the offence mapping, or load the
    standard mapping for the demo's category codes."""
    form = HomeOfficeUploadForm()
    mapping = _mapping_formset(partnership)
    if request.method == "POST" and "standard" in request.POST:
        added = load_standard_mapping(partnership=partnership)
        messages.success(request, f"Standard offence mapping: {added} mappings added.")
        return redirect("performance:homeoffice", partnership=partnership.slug)
    if request.method == "POST" and "mapping-TOTAL_FORMS" in request.POST:
        mapping = _mapping_formset(partnership, request.POST)
        if mapping.is_valid():
            save_reference_rows(partnership=partnership, formset=mapping)
            messages.success(request, "Offence mapping saved.")
            return redirect("performance:homeoffice", partnership=partnership.slug)
    elif request.method == "POST":
        form = HomeOfficeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            sheet = form.cleaned_data.get("sheet") or None
            try:
                frame = read_table(upload_file, upload_file.name, sheet=sheet)
            except UnreadableFile as error:
                form.add_error("file", str(error))
            else:
                parsed = parse_home_office(partnership, frame)
                return job_preview(
                    request,
                    partnership,
                    kind="homeoffice",
                    files=[upload_file],
                    changes=compare_figures(partnership, parsed.own)
                    if parsed.ok
                    else FigureChanges(),
                    ok=parsed.ok,
                    template="performance/homeoffice_preview.html",
                    tab="homeoffice",
                    kept={"sheet": sheet},
                    parsed=parsed,
                    filename=upload_file.name,
                    warnings=[*parsed.warnings, *figure_warnings(partnership, parsed.own)]
                    if parsed.ok
                    else [],
                    peers=sorted(parsed.peer_rows.items()),
                )
    return render(
        request,
        "performance/homeoffice.html",
        _context(request, partnership, "homeoffice", form=form, mapping=mapping),
        status=400 if form.errors or mapping.errors else 200,
    )


@require_POST
@editors
def homeoffice_confirm(request: HttpRequest, partnership) -> HttpResponse:
    """Start the import of the previewed table as a job; its page shows the progress."""
    return confirm_job(
        request,
        partnership,
        kind="homeoffice",
        expired="That upload has expired or was already imported; upload it again.",
        back="performance:homeoffice",
    )
