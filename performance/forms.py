"""Forms of the performance app: choosing a period, the entry grid, uploads, targets,
the LSOA lookup and the family group's membership."""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.conf import settings
from django.forms import modelformset_factory

from csp_portal.financial_year import QUARTER_CHOICES, FinancialYear, Quarter
from performance.models import (
    Beat,
    FamilyGroupMember,
    LsoaBeat,
    TargetKind,
)

SomeField = TypeVar("SomeField", bound=forms.Field)


def year_choices(first: int = 2010, last: int | None = None) -> list[tuple[str, str]]:
    last = last or FinancialYear.current().start_year
    return [(str(y), str(FinancialYear(y))) for y in range(last, first - 1, -1)]


class PeriodForm(forms.Form):
    """Which quarter a dashboard shows (a GET form)."""

    year = forms.ChoiceField(
        label="Financial year", widget=forms.Select(attrs={"class": "form-select"})
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        choices=QUARTER_CHOICES,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "year", forms.ChoiceField).choices = [
            (str(y), str(FinancialYear(y))) for y in years
        ]

    def quarter_or(self, default: Quarter) -> Quarter:
        if self.is_valid():
            return Quarter(
                FinancialYear(int(self.cleaned_data["year"])), self.cleaned_data["quarter"]
            )
        return default


def cell_name(category_id: int, beat_id: int | None) -> str:
    return f"c{category_id}_{'total' if beat_id is None else f'b{beat_id}'}"


class EntryGridForm(forms.Form):
    """One quarter's figures: a field per category × (beat or partnership total)."""

    reason = forms.CharField(
        label="Reason for correcting a published quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when the quarter is already published; kept in the history.",
    )

    def __init__(self, *args, categories, beats, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories, self.beats = categories, beats
        for category in categories:
            for beat in [*beats, None]:
                where = f"beat {beat.code}" if beat else "partnership total"
                self.fields[cell_name(category.pk, beat.pk if beat else None)] = forms.IntegerField(
                    label=f"{category.name}, {where}",
                    required=False,
                    min_value=0,
                    error_messages={
                        "invalid": "Enter a whole number.",
                        "min_value": "Enter 0 or more.",
                    },
                )

    def cells(self) -> dict[tuple[int, int | None], int | None]:
        result = {}
        for category in self.categories:
            for beat in [*self.beats, None]:
                beat_id = beat.pk if beat else None
                result[(category.pk, beat_id)] = self.cleaned_data.get(
                    cell_name(category.pk, beat_id)
                )
        return result

    def rows(self):
        """(category, [bound field per beat…, total]) for the template."""
        for category in self.categories:
            yield (
                category,
                [
                    self[cell_name(category.pk, beat.pk if beat else None)]
                    for beat in [*self.beats, None]
                ],
            )


class UploadForm(forms.Form):
    file = forms.FileField(label="Spreadsheet (CSV or XLSX)", required=False)
    year = forms.ChoiceField(label="Financial year (wide layout only)", required=False)
    quarter = forms.TypedChoiceField(
        label="Quarter (wide layout only)",
        choices=[("", "—"), *QUARTER_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    sheet = forms.CharField(
        label="Sheet (a workbook with several sheets holding data)",
        required=False,
        help_text="A hidden sheet is read only when named here.",
    )
    #: A workbook kept while the officer chooses its sheet (performance.pending_imports).
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, sheets: list[str] | None = None, kept: str | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "year", forms.ChoiceField).choices = [("", "—"), *year_choices()]
        if kept:
            # The file is kept server-side (performance.pending_imports) after a failed
            # preview: the officer corrects the year, the quarter or the sheet alone.
            self.fields[
                "file"
            ].label = f"Spreadsheet: {kept} is kept (choose a file only to replace it)"
        if sheets:
            self.fields["sheet"] = forms.ChoiceField(
                label="Which sheet holds the figures?",
                choices=[(name, name) for name in sheets],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields["file"].label = "Spreadsheet (the one you uploaded is kept)"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than the upload limit.")
        return upload

    def clean(self):
        data = super().clean() or {}
        if not data.get("file") and not data.get("token") and "file" not in self.errors:
            self.add_error("file", "Choose a CSV or XLSX file.")
        return data

    def chosen_quarter(self) -> Quarter | None:
        year, number = self.cleaned_data.get("year"), self.cleaned_data.get("quarter")
        if year and number:
            return Quarter(FinancialYear(int(year)), number)
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class PoliceUkUploadForm(forms.Form):
    # A declared field, which Django's form metaclass takes out of the class: it does not
    # hide the form's `files` (the uploaded files), as the stubs take it to.
    files = MultipleFileField(  # type: ignore[assignment]
        label="police.uk street-level files (YYYY-MM-force-street.csv, one or many)"
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(f.size for f in files) > settings.MAX_UPLOAD_BYTES * 10:
            raise forms.ValidationError("These files are larger than the upload limit.")
        return files


class CrimeTypeMappingForm(forms.Form):
    """For each police.uk crime type, the categories it is counted in."""

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        from performance.models import PoliceUkCrimeType

        choices = [(c.code, c.name) for c in categories]
        for index, crime_type in enumerate(PoliceUkCrimeType.values):
            self.fields[f"type_{index}"] = forms.MultipleChoiceField(
                label=crime_type,
                choices=choices,
                required=False,
                widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
            )

    def pairs(self) -> list[tuple[str, str]]:
        return [
            (str(field.label), code)
            for name, field in self.fields.items()
            for code in self.cleaned_data.get(name, [])
        ]


class FileOnlyForm(forms.Form):
    file = forms.FileField(label="CSV or XLSX file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than the upload limit.")
        return upload


def field_of(form: forms.BaseForm, name: str, kind: type[SomeField]) -> SomeField:
    """The form's field `name`, which must be a `kind` (a choice field, to set choices)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}.")
    return field


def _bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget of a form used in a formset table."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class TargetRowForm(forms.Form):
    """The target of one category for one year (no kind = no target). Each row names
    its category, so rows are matched by category, never by their position."""

    category = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="Target", choices=[("", "No target"), *TargetKind.choices], required=False
    )
    value = forms.DecimalField(label="Value", required=False, max_digits=12, decimal_places=2)
    tolerance = forms.DecimalField(
        label="Amber tolerance", min_value=0, max_digits=5, decimal_places=2, initial=5
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        data = super().clean() or {}
        kind, value = data.get("kind"), data.get("value")
        if kind and kind != TargetKind.SIGNIFICANT_REDUCTION and value is None:
            self.add_error("value", "Give the number for this kind of target.")
        if kind in (TargetKind.COUNT, TargetKind.RATE) and value is not None and value < 0:
            self.add_error("value", "A count or rate cannot be negative.")
        return data


TargetFormSet = forms.formset_factory(TargetRowForm, extra=0)


class LsoaBeatForm(forms.ModelForm):
    class Meta:
        model = LsoaBeat
        fields = ["lsoa_code", "lsoa_name", "beat"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        field_of(self, "beat", forms.ModelChoiceField).queryset = Beat.objects.filter(
            partnership=partnership
        )
        _bootstrap(self)

    def clean_lsoa_code(self):
        code = self.cleaned_data["lsoa_code"].strip().upper()
        taken = LsoaBeat.objects.filter(partnership=self.partnership, lsoa_code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{code} is already in the lookup.")
        return code


class BaseLsoaBeatFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("lsoa_code") if form.cleaned_data else None
            if code and not form.cleaned_data.get("DELETE"):
                if code in seen:
                    raise forms.ValidationError(f"{code} is listed twice.")
                seen.add(code)


LsoaBeatFormSet = modelformset_factory(
    LsoaBeat, form=LsoaBeatForm, formset=BaseLsoaBeatFormSet, extra=1, can_delete=True
)


class MemberForm(forms.ModelForm):
    class Meta:
        model = FamilyGroupMember
        fields = ["csp_name", "ons_code", "is_self", "joined", "left"]
        # A date input takes and gives ISO dates (2016-04-01) whatever the locale; given
        # the locale's 01/04/2016 the browser shows it blank and posts it back empty.
        widgets = {
            "joined": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class BaseMemberFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        names = [
            f.cleaned_data["csp_name"].strip().lower()
            for f in self.forms
            if f.cleaned_data
            and f.cleaned_data.get("csp_name")
            and not f.cleaned_data.get("DELETE")
        ]
        if len(names) != len(set(names)):
            raise forms.ValidationError("A CSP is listed twice.")
        if sum(1 for f in self.forms if f.cleaned_data and f.cleaned_data.get("is_self")) > 1:
            raise forms.ValidationError("Only one member can be this partnership.")


MemberFormSet = modelformset_factory(
    FamilyGroupMember, form=MemberForm, formset=BaseMemberFormSet, extra=2, can_delete=True
)
