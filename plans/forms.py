"""Forms of the plans app. They validate input; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from csp_portal.fields import FinancialYearFormField
from csp_portal.financial_year import QUARTER_CHOICES, Quarter
from csp_portal.upload_checks import check_pdf_upload
from csp_portal.versioning import VersionedModelForm
from performance.selectors import categories_of
from plans.models import (
    Action,
    PerformanceMeasure,
    Plan,
    Priority,
    ProgressStatus,
    Theme,
)


class PlanForm(VersionedModelForm):
    document = forms.FileField(
        label="Strategic assessment (PDF)",
        required=False,
        help_text="The partnership strategic assessment this plan rests on.",
    )

    class Meta:
        model = Plan
        fields = ["title", "first_year", "last_year", "vision", "overarching_aim", "key_findings"]
        labels = {"first_year": "First year", "last_year": "Last year"}
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "overarching_aim": forms.Textarea(attrs={"rows": 2}),
            "key_findings": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", f"The plan cannot end ({last}) before it starts ({first}).")
        return data

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            check_pdf_upload(upload)
        return upload


class ThemeForm(VersionedModelForm):
    class Meta:
        model = Theme
        fields = ["number", "title"]


class PriorityForm(VersionedModelForm):
    class Meta:
        model = Priority
        fields = [
            "theme",
            "number",
            "title",
            "why",
            "aims",
            "approach",
            "measures_of_success",
            "lead_body",
            "lead_person",
        ]
        help_texts = {"lead_person": "Reports to the Board on this priority each quarter."}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = plan.themes.all()
        self.fields["lead_body"].queryset = plan.partnership.bodies.filter(is_active=True)
        self.fields["lead_person"].queryset = (
            get_user_model()
            .objects.filter(memberships__partnership=plan.partnership, is_active=True)
            .order_by("first_name", "last_name")
        )
        self.fields["lead_person"].label_from_instance = lambda u: u.get_full_name() or u.username


class MeasureForm(VersionedModelForm):
    class Meta:
        model = PerformanceMeasure
        fields = [
            "order",
            "name",
            "crime_category",
            "unit",
            "direction",
            "target_text",
            "target_change_pct",
            "target_value",
        ]
        widgets = {"direction": forms.RadioSelect}

    def __init__(self, *args, priority: Priority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crime_category"].queryset = categories_of(priority.plan.partnership)
        self.fields["direction"].required = True
        self.fields["direction"].error_messages["required"] = (
            "Say whether lower or higher is better: without a direction the measure "
            "cannot be rated."
        )

    def clean(self):
        data = super().clean()
        if data.get("target_change_pct") is not None and data.get("target_value") is not None:
            raise ValidationError("Give a target % change or a target value, not both.")
        return data


class ActionForm(VersionedModelForm):
    class Meta:
        model = Action
        fields = [
            "number",
            "key_action",
            "lead_agency",
            "time_scales",
            "resource_implications",
            "outcome_target",
            "measure",
        ]
        widgets = {
            "key_action": forms.Textarea(attrs={"rows": 3}),
            "resource_implications": forms.Textarea(attrs={"rows": 2}),
            "outcome_target": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, priority: Priority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = priority.plan.partnership.organisations.all()
        self.fields["measure"].queryset = priority.measures.all()


class QuarterForm(forms.Form):
    """Which quarter a quarterly update covers."""

    financial_year = FinancialYearFormField(label="Financial year")
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)

    @property
    def period(self) -> Quarter:
        return Quarter(self.cleaned_data["financial_year"], self.cleaned_data["quarter"])


class ProgressForm(forms.Form):
    status = forms.ChoiceField(choices=ProgressStatus.choices)
    commentary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ValueForm(forms.Form):
    value = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    note = forms.CharField(max_length=300, required=False)


class ReportForm(forms.Form):
    successes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    threats = forms.CharField(
        label="Threats to performance", widget=forms.Textarea(attrs={"rows": 4})
    )
