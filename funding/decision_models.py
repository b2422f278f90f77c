"""The immutable record of a bid's life: every decision on it, every declaration of
interest before deciding, and every step it took (funding.models re-exports them).

Written once and never changed or deleted (`ImmutableRecord`; the database refuses it
too, funding/migrations/_immutable.py). The rules that write them are funding.workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from csp_portal.models import Body, Office
from funding.models import BidState  # defined before funding.models imports this module


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

    bid = models.ForeignKey("funding.Bid", on_delete=models.PROTECT, related_name="decisions")
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

    bid = models.ForeignKey("funding.Bid", on_delete=models.PROTECT, related_name="declarations")
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

    bid = models.ForeignKey("funding.Bid", on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=BidState.choices)
    to_state = models.CharField(max_length=30, choices=BidState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.bid}: {self.from_state} → {self.to_state}"
