"""Funds, budget lines, spend, bids and the immutable record of every decision on them.

The rules that move a bid between states live in `funding.workflow`; these models only
hold the data and the invariants the database itself can guard.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.financial_year import FinancialYear
from csp_portal.models import Body, Office, Organisation, Partnership

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
PENNY = Decimal("0.01")


class Fund(models.Model):
    """A pot of money a partnership oversees for one financial year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(max_length=200)
    financial_year = FinancialYearField()
    funder = models.CharField(
        max_length=200, help_text="Who provides the money, e.g. the Police and Crime Commissioner."
    )
    criteria = models.TextField(blank=True, help_text="What the money may be spent on.")
    total = models.DecimalField("total (£)", **MONEY)
    grant_identifier_prefix = models.CharField(
        max_length=60,
        blank=True,
        help_text="The partnership's 360Giving prefix (e.g. 360G-charnwoodcsp); "
        "blank uses 360G-<partnership slug>.",
    )
    bids_close_on = models.DateField(
        "bids close on",
        null=True,
        blank=True,
        help_text="The last day bids may be started or submitted; blank: open until closed.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-financial_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name", "financial_year"], name="fund_unique_per_year"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="fund_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("funding:fund", args=[self.partnership.slug, self.pk])

    @property
    def year(self) -> FinancialYear:
        # A freshly created fund may still hold the int it was given.
        return FinancialYear.parse(self.financial_year)

    def accepts_bids(self, on: dt.date) -> bool:
        """Whether a bid may be started or submitted on the day `on`."""
        return self.bids_close_on is None or on <= self.bids_close_on


class BudgetLine(models.Model):
    """A line of a fund's budget; committed and spent roll up from bids and spend entries."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lines")
    description = models.CharField(max_length=400)
    priority = models.ForeignKey(
        "plans.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        help_text="The plan priority this money serves.",
    )
    allocated = models.DecimalField("amount allocated (£)", **MONEY)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "description"], name="line_unique_in_fund"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="line_allocated_positive"),
        ]

    def __str__(self) -> str:
        return self.description


class BidState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "With the Delivery Group"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    WITH_PANEL = "with_panel", "With the approval panel"
    WITH_OFFICE_HOLDERS = "with_office_holders", "With the office-holders"
    REJECTION_REFERRED = "rejection_referred", "Rejection referred to the approval panel"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


FINAL_STATES = frozenset({BidState.APPROVED, BidState.REJECTED, BidState.WITHDRAWN})


class Bid(models.Model):
    """A partner's application for money from a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="bids")
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="bids",
        help_text="The budget line the money would come from.",
    )
    applicant_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bids"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bids"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    amount_requested = models.DecimalField("amount requested (£)", **MONEY)
    amount_awarded = models.DecimalField(null=True, blank=True, editable=False, **MONEY)
    priority = models.ForeignKey(
        "plans.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bids",
        help_text="The plan priority the project serves.",
    )
    deliverables = models.TextField()
    timescale = models.CharField(max_length=200)
    delivery_group = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="bids",
        limit_choices_to={"body_type": "delivery_group"},
    )
    state = models.CharField(
        max_length=30, choices=BidState.choices, default=BidState.DRAFT, editable=False
    )
    #: Goes up by one at each save of the bid's contents: a save made against an older
    #: version (someone else saved in between) is refused rather than lost.
    version = models.PositiveIntegerField(default=1, editable=False)
    #: Goes up by one at each submission, so that the office-holders' approvals of an
    #: earlier version do not count towards a revised one.
    round = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="bid_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gt=0),
                name="bid_award_positive",
            ),
            models.CheckConstraint(condition=Q(state__in=BidState.values), name="bid_state_known"),
            # The life cycle's states tied to the fields they imply (funding/lifecycle.py):
            # an approved bid, and only an approved bid, has an award; a bid that has
            # left the applicant's hands was submitted; a finished one has its date.
            models.CheckConstraint(
                condition=Q(state=BidState.APPROVED, amount_awarded__isnull=False)
                | (~Q(state=BidState.APPROVED) & Q(amount_awarded__isnull=True)),
                name="bid_awarded_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[BidState.DRAFT, BidState.WITHDRAWN])
                | Q(round__gte=1, submitted_at__isnull=False),
                name="bid_submitted_once_past_draft",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(FINAL_STATES)) | Q(decided_at__isnull=False),
                name="bid_finished_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:bid", args=[self.fund.partnership.slug, self.pk])

    @property
    def partnership(self) -> Partnership:
        return self.fund.partnership

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def clean(self) -> None:
        if self.budget_line_id and self.fund_id and self.budget_line.fund_id != self.fund_id:
            raise ValidationError({"budget_line": "Choose a budget line of the bid's fund."})


def attachment_path(instance: BidAttachment, filename: str) -> str:
    # The stored name never comes from the uploader: no path tricks, no clashes.
    return f"funding/bids/{instance.bid_id}/{uuid.uuid4().hex}.pdf"


class BidAttachment(models.Model):
    """A PDF supporting a bid; served only through a permission-checked view."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Stage(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    DELIVERY_GROUP = "delivery_group", "Delivery Group"
    PANEL = "panel", "Approval panel"
    OFFICE_HOLDERS = "office_holders", "Office-holders"
    PANEL_REVIEW = "panel_review", "Approval panel (review of a rejection)"


class Outcome(models.TextChoices):
    SUPPORT = "support", "Supported"
    REVISE = "revise", "Revision requested"
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    CONFIRM_REJECTION = "confirm_rejection", "Rejection confirmed"
    OVERTURN_REJECTION = "overturn_rejection", "Rejection overturned: approved"


class ImmutableRecord(models.Model):
    """A record that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(f"A {self._meta.verbose_name} is never changed once made.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"A {self._meta.verbose_name} is never deleted.")


class Decision(ImmutableRecord):
    """One decision on a bid by a body or an office-holder, with reasons."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=30, choices=Stage.choices)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="funding_decisions"
    )
    office = models.CharField(max_length=30, choices=Office.choices, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_decisions"
    )
    decided_at = models.DateTimeField()
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_decisions",
    )

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            # One office-holder decision per office per round: a double click, or two
            # browser tabs, cannot count one person twice.
            models.UniqueConstraint(
                fields=["bid", "round", "office"],
                condition=Q(stage="office_holders"),
                name="one_decision_per_office_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} – {self.bid}"

    @property
    def decider(self) -> str:
        if self.office:
            return f"{self.get_office_display()} ({self.decided_by.get_full_name()})"
        if self.body_id:
            return f"{self.body} (recorded by {self.decided_by.get_full_name()})"
        return self.decided_by.get_full_name() or self.decided_by.get_username()


class Interest(models.TextChoices):
    NONE = "none", "No interest"
    DECLARED = "declared", "Declared an interest"
    APPLICANT_ORGANISATION = "applicant_organisation", "Works for the applicant's organisation"
    EARLIER_DECISION = "earlier_decision", "Decided the bid at an earlier stage"


class Declaration(ImmutableRecord):
    """A decider's declaration, per bid, round and stage, before deciding: no interest,
    or an interest (and so a withdrawal). Withdrawals the rules impose (the applicant's
    organisation, an earlier decision on the bid) are recorded by the portal when the bid
    reaches the stage, `recorded_by` the person whose step took it there."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="declarations")
    round = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=30, choices=Stage.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_declarations"
    )
    interest = models.CharField(max_length=30, choices=Interest.choices)
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "round", "stage", "person"], name="one_declaration_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(interest__in=Interest.values), name="declaration_interest_known"
            ),
            models.CheckConstraint(
                condition=~Q(interest="declared") | ~Q(details=""),
                name="declared_interest_is_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.bid}: {self.get_interest_display()}"

    @property
    def withdrawn(self) -> bool:
        return self.interest != Interest.NONE

    @property
    def summary(self) -> str:
        """What the reports print: the declaration and, if any, the withdrawal."""
        if not self.withdrawn:
            return "No interest"
        details = self.details.strip().rstrip(".")
        if self.interest == Interest.DECLARED:
            return f"Declared an interest: {details}. Withdrew from deciding."
        return f"{details or self.get_interest_display()}. Withdrew from deciding."


class Transition(ImmutableRecord):
    """The log of every step a bid took: from, to, who and why."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=BidState.choices)
    to_state = models.CharField(max_length=30, choices=BidState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.bid}: {self.from_state} → {self.to_state}"


class SpendEntry(models.Model):
    """Money actually paid out from a budget line (optionally for an approved bid)."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spend")
    bid = models.ForeignKey(
        Bid, on_delete=models.PROTECT, null=True, blank=True, related_name="spend"
    )
    date = models.DateField()
    amount = models.DecimalField("amount (£)", **MONEY)
    reference = models.CharField(max_length=100, help_text="Invoice or ledger reference.")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget_line", "date", "pk"]
        verbose_name_plural = "spend entries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spend_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: £{self.amount:,.2f}"


class MonitoringReturn(models.Model):
    """A funded project's quarterly return: progress, spend to date and outcomes."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="returns")
    period = models.CharField(max_length=20, help_text="The quarter it covers, e.g. Q2 2022/23.")
    due_date = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    progress = models.TextField(blank=True)
    spend_to_date = models.DecimalField("spend to date (£)", null=True, blank=True, **MONEY)
    outcomes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "bid"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "period"], name="one_return_per_quarter"),
            models.CheckConstraint(
                condition=Q(spend_to_date__isnull=True) | Q(spend_to_date__gte=0),
                name="return_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid} – {self.period}"


class Evaluation(models.Model):
    """The mandatory annual evaluation of a funded project."""

    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="evaluation")
    due_date = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    mainstreaming = models.TextField(
        "potential for mainstreaming", blank=True, help_text="The plan requires this be considered."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date"]

    def __str__(self) -> str:
        return f"Evaluation of {self.bid}"
