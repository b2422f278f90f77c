"""Forms of the funding app: they validate what people type; the rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from csp_portal.models import BodyType, Partnership
from funding import selectors, services
from funding.models import Bid, BudgetLine, Evaluation, Fund, MonitoringReturn, SpendEntry
from plans.selectors import priorities_in_force, priority_label

PENNY = Decimal("0.01")


def money_field(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=PENNY,
        error_messages={
            "min_value": "Enter an amount of at least £0.01.",
            "max_decimal_places": "Enter the amount to the penny: no more than 2 decimal places.",
            "invalid": "Enter the amount as a number, like 1250.00.",
        },
        **kwargs,
    )


class BidForm(forms.ModelForm):
    amount_requested = money_field("Amount requested (£)")
    #: The version the person started from: a save against an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Bid
        fields = list(selectors.BID_FIELDS)  # the stale-save page names the same
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "deliverables": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["fund"].queryset = Fund.objects.filter(partnership=partnership)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(
            fund__partnership=partnership
        ).select_related("fund")
        self.fields["budget_line"].label_from_instance = lambda li: f"{li.fund} – {li}"
        self.fields["priority"].queryset = priorities_in_force(
            partnership, keep=[self.instance.priority_id]
        )
        self.fields["priority"].label_from_instance = priority_label
        self.fields["delivery_group"].queryset = partnership.bodies.filter(
            body_type=BodyType.DELIVERY_GROUP, is_active=True
        )

    def clean(self):
        data = super().clean()
        if self.instance.pk and not data.get("version"):
            # A hidden field: its error goes at the top of the form, in words.
            raise ValidationError(
                "The form did not say which version of the bid you started from: "
                "open the bid again and redo the changes."
            )
        fund, line = data.get("fund"), data.get("budget_line")
        if fund and line and line.fund_id != fund.pk:
            self.add_error("budget_line", f"“{line}” is not a line of {fund}.")
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Add a paper (PDF)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.check_pdf(upload)
        return upload


class DecisionForm(forms.Form):
    step = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to reject or ask for revision; the applicant is told them.",
    )
    meeting = forms.ModelChoiceField(label="Taken at the meeting of", queryset=None, required=False)

    def __init__(self, *args, steps, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from meetings.selectors import meetings_of

        self.fields["step"].choices = [(s.name, s.label) for s in steps]
        self.fields["meeting"].queryset = meetings_of(partnership)

    def clean(self):
        from funding.lifecycle import NEEDS_REASONS

        data = super().clean()
        if data.get("step") in NEEDS_REASONS and not data.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for this decision.")
        return data


class DeclarationForm(forms.Form):
    interest = forms.TypedChoiceField(
        label="Do you have an interest in this bid?",
        choices=[
            ("no", "I have no interest in this bid"),
            ("yes", "I have an interest: I withdraw from deciding it"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you have an interest in this bid."},
    )
    details = forms.CharField(
        label="The interest",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="If you have one: what it is (it is recorded, and reported to the Board).",
    )

    def clean(self):
        data = super().clean()
        if data.get("interest") and not data.get("details", "").strip():
            self.add_error("details", "Say what the interest is.")
        return data


class WithdrawForm(forms.Form):
    reasons = forms.CharField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FundForm(forms.ModelForm):
    total = money_field("Total (£)")

    class Meta:
        model = Fund
        fields = [
            "name",
            "financial_year",
            "funder",
            "criteria",
            "total",
            "grant_identifier_prefix",
        ]


class BudgetLineForm(forms.ModelForm):
    allocated = forms.DecimalField(
        label="Amount allocated (£)", max_digits=12, decimal_places=2, min_value=0
    )

    class Meta:
        model = BudgetLine
        fields = ["description", "priority", "allocated", "order"]

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities_in_force(
            partnership, keep=[self.instance.priority_id]
        )
        self.fields["priority"].label_from_instance = priority_label


class SpendForm(forms.ModelForm):
    amount = money_field("Amount (£)")

    class Meta:
        model = SpendEntry
        fields = ["budget_line", "bid", "date", "amount", "reference", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = fund.lines.all()
        self.fields["bid"].queryset = fund.bids.filter(state="approved")
        self.fields["bid"].required = False


class ReturnForm(forms.ModelForm):
    spend_to_date = forms.DecimalField(
        label="Spend to date (£)", max_digits=12, decimal_places=2, min_value=0
    )

    class Meta:
        model = MonitoringReturn
        fields = ["progress", "spend_to_date", "outcomes"]

    def clean_progress(self):
        text = self.cleaned_data["progress"]
        if not text.strip():
            raise ValidationError("Describe the progress made this quarter.")
        return text


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["summary", "outcomes", "mainstreaming"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = True
        self.fields["mainstreaming"].required = True
