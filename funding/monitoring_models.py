"""After a bid is funded: its quarterly monitoring returns and the annual evaluation
(funding.models re-exports them; the rules are funding.monitoring)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from funding.models import MONEY  # defined before funding.models imports this module


class MonitoringReturn(models.Model):
    """A funded project's quarterly return: progress, spend to date and outcomes."""

    bid = models.ForeignKey("funding.Bid", on_delete=models.PROTECT, related_name="returns")
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

    bid = models.OneToOneField("funding.Bid", on_delete=models.PROTECT, related_name="evaluation")
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
