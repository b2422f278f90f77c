"""Funds, budget lines, spend and bids; with, from their own modules, the immutable
record of every decision on a bid (funding.decision_models) and the funded project's
monitoring (funding.monitoring_models), imported here so that they are the app's models.

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
from csp_portal.models import Body, Organisation, Partnership

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


# The records of decisions and of monitoring live in their own modules; importing them
# here makes them the funding app's models (and funding.models the one place to import
# any of the app's models from).
from funding.decision_models import (  # noqa: E402
    Decision,
    Declaration,
    Interest,
    Outcome,
    Stage,
    Transition,
)
from funding.monitoring_models import Evaluation, MonitoringReturn  # noqa: E402

__all__ = [
    "FINAL_STATES", "MONEY", "PENNY", "Bid", "BidAttachment", "BidState", "BudgetLine",
    "Decision", "Declaration", "Evaluation", "Fund", "Interest",
    "MonitoringReturn", "Outcome", "SpendEntry", "Stage", "Transition", "attachment_path",
]  # fmt: skip
