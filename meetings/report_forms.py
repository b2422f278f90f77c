"""The partner update report's form (seed 003's template) and its performance table,
a formset of rows whose errors are named by row and column."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from csp_portal.financial_year import Quarter
from meetings.models import PartnerReport
from plans.selectors import priorities_in_force, priority_label

if TYPE_CHECKING:
    from csp_portal.models import Organisation, Partnership
    from meetings.models import Meeting

#: Blank rows offered under the prefilled ones, for crime types the portal has no figure for.
EXTRA_ROWS = 3


def quarter_key(quarter: Quarter) -> str:
    return f"{quarter.financial_year.start_year}-{quarter.number}"


def parse_quarter_key(value: str) -> Quarter:
    year, number = value.split("-")
    return Quarter.parse(int(year), int(number))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.body.name}, {obj.date:%-d %B %Y}"


class PartnerReportForm(forms.ModelForm):
    quarter = forms.ChoiceField(label="Quarter reported on", choices=())
    meeting = MeetingChoiceField(
        queryset=None, label="Meeting it is for", empty_label="Choose the meeting"
    )

    class Meta:
        model = PartnerReport
        fields = [
            "organisation",
            "author",
            "date",
            "subject",
            "summary",
            "recommendations",
            "budget_implications",
            "key_risks",
            "planned_activity",
            "other_updates",
            "gaps_support",
            "priorities",
        ]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        themes: Iterable[Any],  # plans' themes in force (plans.selectors)
        quarters: list[Quarter],
        meetings: QuerySet[Meeting],
        organisations: QuerySet[Organisation] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.order_fields(["organisation", "author", "date", "subject", "quarter", "meeting"])
        fields: dict[str, Any] = self.fields  # typed loosely: each is a choice field here
        # A partner reports for their own organisation; the clerk files for any partner.
        fields["organisation"].queryset = (
            partnership.organisations.all() if organisations is None else organisations
        )
        fields["quarter"].choices = [(quarter_key(q), str(q)) for q in quarters]
        fields["meeting"].queryset = meetings
        kept = self.instance.priorities.values_list("pk", flat=True) if self.instance.pk else []
        fields["priorities"].queryset = priorities_in_force(partnership, keep=kept)
        fields["priorities"].label_from_instance = priority_label
        self.themes = list(themes)
        for theme in self.themes:
            priorities = "; ".join(str(p) for p in theme.priorities.all())
            self.fields[f"theme_{theme.pk}"] = forms.CharField(
                label=f"Update for {theme}",
                help_text=(
                    f"Specific work, initiatives and projects that contribute to it ({priorities})."
                    if priorities
                    else "Specific work, initiatives and projects that contribute to it."
                ),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def clean_quarter(self) -> Quarter:
        return parse_quarter_key(self.cleaned_data["quarter"])


WHOLE_NUMBER = {
    "invalid": "enter a whole number",
    "min_value": "enter a whole number, 0 or more",
}


PERCENT = "enter a percentage such as +4.9% or -10.6%"


class PercentField(forms.CharField):
    """ "+4.9%", "-10.6", "−20 %" (a true minus) -> Decimal('4.9') etc.; blank is None."""

    def to_python(self, value: str | None) -> Decimal | None:  # type: ignore[override]
        value = super().to_python(value)
        if value is None or value in self.empty_values:
            return None
        text = value.replace("−", "-").replace("%", "").replace(" ", "").lstrip("+")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(PERCENT, "invalid") from None
        if not number.is_finite() or abs(number) >= Decimal("1000000"):
            raise ValidationError(PERCENT, "invalid")
        return number.quantize(Decimal("0.1"))


class PerformanceRowForm(forms.Form):
    crime_type = forms.CharField(label="Crime type", max_length=200, required=False)
    change_pct = PercentField(
        label="Performance to date",
        required=False,
        help_text="Left blank, it is worked out from the two figures.",
    )
    previous = forms.IntegerField(
        label="Previous", min_value=0, required=False, error_messages=WHOLE_NUMBER
    )
    current = forms.IntegerField(
        label="Current", min_value=0, required=False, error_messages=WHOLE_NUMBER
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        figures = [data.get(n) for n in ("change_pct", "previous", "current")]
        if not data.get("crime_type") and any(v is not None for v in figures):
            self.add_error("crime_type", "name the crime type")
        return data


class BaseRowFormSet(forms.BaseFormSet):
    def problems(self) -> list[dict[str, str]]:
        """Every error as {"text": "Row 3, Current: enter a whole number", "anchor": the
        cell's id}, in table order (the table itself for errors of no one cell)."""
        found = []
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                cell = name in form.fields
                label = form.fields[name].label if cell else "Row"
                anchor = form[name].id_for_label if cell else "performance-table"
                for error in errors:
                    found.append({"text": f"Row {number}, {label}: {error}", "anchor": anchor})
        found += [{"text": str(e), "anchor": "performance-table"} for e in self.non_form_errors()]
        return found

    def rows(self) -> list[dict]:
        """The filled rows' cleaned data (blank rows left out)."""
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("crime_type")]


RowFormSet = forms.formset_factory(
    PerformanceRowForm, formset=BaseRowFormSet, extra=EXTRA_ROWS, max_num=60, validate_max=True
)
