"""Forms of the funding app: they validate what people type; the rules live in services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from csp_portal.models import BodyType, Partnership
from csp_portal.upload_checks import check_pdf_upload
from funding import selectors
from funding.awards import left_to_award
from funding.bid_changes import BID_FIELDS
from funding.deciders import route_after
from funding.models import Bid, BudgetLine, Evaluation, Fund, MonitoringReturn, SpendEntry
from funding.money import money
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
        fields = list(BID_FIELDS)  # the stale-save page names the same
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "deliverables": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args, partnership: Partnership, today: dt.date | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        # Only funds open for bids (and, when editing, the bid's own fund).
        open_funds = selectors.open_for_bids(today=self.today)
        if self.instance.fund_id:
            open_funds |= Q(pk=self.instance.fund_id)
        funds = Fund.objects.filter(open_funds, partnership=partnership)
        self.fields["fund"].queryset = funds
        # Every offered line with what it has left to award, grouped by fund, for the
        # script that narrows the list as the fund changes; without the script the
        # list is the chosen fund's lines (the form's "Show" button chooses the fund).
        lines = list(BudgetLine.objects.filter(fund__in=funds).select_related("fund"))
        left = left_to_award(lines)
        self.line_label = {li.pk: f"{li} – {money(left[li.pk])} left to award" for li in lines}
        self.lines_by_fund: dict[str, list[list]] = {}
        for line in lines:
            self.lines_by_fund.setdefault(str(line.fund_id), []).append(
                [line.pk, self.line_label[line.pk]]
            )
        chosen = self.chosen_fund_id()
        field = self.fields["budget_line"]
        field.queryset = BudgetLine.objects.filter(
            fund__in=funds, fund_id=chosen if chosen else -1
        ).select_related("fund")
        field.label_from_instance = lambda line: self.line_label.get(line.pk, str(line))
        field.error_messages["invalid_choice"] = (
            "Choose one of the chosen fund's budget lines: that line is not one of them."
        )
        if not chosen:
            field.help_text = "Choose the fund first: its budget lines are then listed here."
        self.fields["priority"].queryset = priorities_in_force(
            partnership, keep=[self.instance.priority_id]
        )
        self.fields["priority"].label_from_instance = priority_label
        self.fields["delivery_group"].queryset = partnership.bodies.filter(
            body_type=BodyType.DELIVERY_GROUP, is_active=True
        )
        # The route a supported bid takes, shown before submitting (and as the amount
        # is typed, by the script).
        self.route = {
            "threshold": str(partnership.bid_approval_threshold),
            "under": route_after(partnership, to_panel=False),
            "over": route_after(partnership, to_panel=True),
        }

    def chosen_fund_id(self) -> int | None:
        """The fund the person has chosen (typed, given, or the bid's), or the only one."""
        raw = self.data.get("fund") if self.is_bound else None
        raw = raw or self.initial.get("fund") or self.instance.fund_id
        offered = self.fields["fund"].queryset
        if not raw:
            only = list(offered.values_list("pk", flat=True)[:2])
            return only[0] if len(only) == 1 else None
        try:
            pk = int(getattr(raw, "pk", raw))
        except (TypeError, ValueError):
            return None
        return pk if offered.filter(pk=pk).exists() else None

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
        moved = not self.instance.pk or (fund and fund.pk != self.instance.fund_id)
        if fund and moved and not fund.accepts_bids(self.today):
            self.add_error(
                "fund", f"{fund} closed for bids on {fund.bids_close_on:%-d %B %Y}: choose another."
            )
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Add a paper (PDF)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf_upload(upload)
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

        self.fields["meeting"].queryset = meetings_of(partnership)
        self.offer(steps)

    def offer(self, steps) -> None:
        """Offer these decisions; the help names only those of them that need reasons
        ("Reject"), not a revision this decider cannot ask for."""
        self.fields["step"].choices = [(s.name, s.label) for s in steps]
        needing = [s.label for s in steps if s.needs_reasons]
        self.fields["reasons"].help_text = (
            f"Required for: {', '.join(needing)}. The applicant is told them."
            if needing
            else "Optional. The applicant is told them."
        )

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
            "bids_close_on",
        ]
        widgets = {"bids_close_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


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
