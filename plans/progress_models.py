"""The quarterly record kept against an adopted plan: each action's progress, the values
of the indicators that are not crime figures, and the lead's report to the Board
(plans.progress records them; plans.models re-exports them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.quarter_models import QuarterlyRecord, quarter_1_to_4
from csp_portal.rag import Rag


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


#: How an action's status counts in its priority's RAG (docs/plans.md explains why):
#: not started is unrated, because a plan's later actions legitimately have not begun.
STATUS_RAG = {
    ProgressStatus.NOT_STARTED: Rag.GREY,
    ProgressStatus.ON_TRACK: Rag.GREEN,
    ProgressStatus.COMPLETE: Rag.GREEN,
    ProgressStatus.AT_RISK: Rag.AMBER,
    ProgressStatus.OFF_TRACK: Rag.RED,
}


class ActionProgress(QuarterlyRecord):
    """An action's status and commentary for one quarter."""

    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    commentary = models.TextField(blank=True)
    reported_on = models.DateField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "financial_year", "quarter"]
        verbose_name_plural = "action progress"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "financial_year", "quarter"], name="one_progress_per_quarter"
            ),
            quarter_1_to_4("progress_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} {self.period}: {self.get_status_display()}"

    @property
    def rag(self) -> Rag:
        return STATUS_RAG[ProgressStatus(self.status)]


class PriorityReport(QuarterlyRecord):
    """The lead's quarterly report to the Board: successes and threats to performance."""

    priority = models.ForeignKey("plans.Priority", on_delete=models.CASCADE, related_name="reports")
    successes = models.TextField()
    threats = models.TextField("threats to performance")
    submitted_on = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "financial_year", "quarter"], name="one_report_per_quarter"
            ),
            quarter_1_to_4("report_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"Report on priority {self.priority.number}, {self.period}"


class MeasureValue(QuarterlyRecord):
    """A quarter's value of an indicator that is not a crime figure, entered by the lead."""

    measure = models.ForeignKey(
        "plans.PerformanceMeasure", on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "financial_year", "quarter"], name="one_value_per_quarter"
            ),
            quarter_1_to_4("value_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}: {self.value}"
