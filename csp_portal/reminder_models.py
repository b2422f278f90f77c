"""The records of the daily reminders and clean-up: what was sent (so nothing goes twice),
the texts a partnership wrote for them, and the day each daily run was queued.

Imported by csp_portal.models, so they are the core app's models."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class SentReminder(models.Model):
    """One reminder occurrence, sent once: its key (e.g. "funding.bid_waiting:12:t40:u7")
    is unique, so a second run the same day, a retry or a second worker finds it and
    sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    partnership = models.ForeignKey(
        "csp_portal.Partnership", on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(max_length=80)
    subject = models.CharField(max_length=300)
    recipients = models.TextField()
    day = models.DateField(help_text="The day the reminder fell due and was sent.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["partnership", "day"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipients}"


class ReminderText(models.Model):
    """A partnership's own wording of one kind of reminder e-mail (the default text of
    the kind is sent when there is none)."""

    partnership = models.ForeignKey(
        "csp_portal.Partnership", on_delete=models.CASCADE, related_name="reminder_texts"
    )
    kind = models.CharField(max_length=80)
    subject = models.CharField(max_length=300)
    body = models.TextField(
        help_text="Placeholders: {name} {title} {detail} {due} {link} {partnership}."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="one_text_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.kind}"


class DailyRun(models.Model):
    """The day's reminders and clean-up were queued: the first worker to create the day's
    row queues them; every other worker (or server) finds it and does not."""

    day = models.DateField(unique=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"daily run of {self.day}"
