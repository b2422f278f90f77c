"""What the worker keeps: the background jobs people start from a page and the e-mails
sent, by key (csp_portal.jobs, csp_portal.mail; csp_portal.models re-exports them)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class BackgroundJob(models.Model):
    """A task someone started from a page (a pack, an import): its progress and outcome,
    shown to that person alone at /jobs/<id>/. Written by `csp_portal.jobs`.

    No history: the row is a progress record rewritten as the task runs; what the task
    changes is recorded in the history of the records it writes."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    # A random id: a job's address reveals nothing and cannot be guessed.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs"
    )
    partnership = models.ForeignKey(
        "csp_portal.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="background_jobs",
    )
    kind = models.CharField(max_length=60, help_text="What the job is, e.g. meetings.pack.")
    label = models.CharField(max_length=200, help_text="What the starter sees as its title.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task backend's id.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="background_job_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="background_job_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("job", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """How far the job has got, 0-100; None while its size is unknown."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class SentEmail(models.Model):
    """One e-mail the portal has sent, by the key it was queued with: a task run twice
    (a retry, a worker that died after sending) finds the key and sends nothing."""

    key = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=300)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipients}"
