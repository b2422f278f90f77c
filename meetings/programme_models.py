"""A body's Forward Programme: the entries it plans and what happened to each
(meetings.models re-exports them)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.models import Body


class Timing(models.TextChoices):
    MEETING = "meeting", "At a meeting"
    DATE = "date", "By a date"
    STANDING = "standing", "Standing Item"
    ANNUAL = "annual", "Annual"
    TO_BE_SCHEDULED = "unscheduled", "To be scheduled"


class ForwardProgrammeEntry(models.Model):
    """An item of work a body plans to consider, and when."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="forward_programme")
    item = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    timing = models.CharField(max_length=20, choices=Timing.choices)
    target_meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_date = models.DateField(null=True, blank=True)
    annual_month = models.PositiveSmallIntegerField(null=True, blank=True)
    action_by = models.CharField(max_length=200, blank=True)
    is_complete = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "is_complete", "timing", "item"]
        verbose_name_plural = "Forward Programme entries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(timing="annual")
                | models.Q(annual_month__gte=1, annual_month__lte=12),
                name="annual_entry_has_month",
            )
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def when(self) -> str:
        import calendar

        if self.timing == Timing.MEETING and self.target_meeting is not None:
            return f"{self.target_meeting.date:%-d %B %Y}"
        if self.timing == Timing.DATE and self.target_date:
            return f"{self.target_date:%B %Y}"
        if self.timing == Timing.ANNUAL and self.annual_month:
            return f"{calendar.month_name[self.annual_month]} (Annual)"
        return self.get_timing_display()


class ForwardProgrammeEvent(models.Model):
    """What happened to an entry at a meeting: considered, rescheduled, added, closed."""

    entry = models.ForeignKey(
        ForwardProgrammeEntry, on_delete=models.CASCADE, related_name="events"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField()
    note = models.TextField()

    class Meta:
        ordering = ["entry", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.note}"
