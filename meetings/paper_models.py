"""Papers on an agenda item and the partner update reports they can carry, with their
performance rows and theme updates (meetings.models re-exports them)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.financial_year import QUARTER_CHOICES, Quarter
from csp_portal.models import Organisation, Partnership


class PaperKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded PDF"
    REPORT = "report", "Partner update report"
    BLOCK = "block", "Generated paper"


def paper_upload_path(instance: Paper, filename: str) -> str:
    return f"meetings/papers/{instance.item.meeting_id}/{filename}"


class Paper(models.Model):
    """A paper attached to an agenda item: an uploaded PDF, a partner report or a block."""

    item = models.ForeignKey("meetings.AgendaItem", on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=PaperKind.choices)
    title = models.CharField(max_length=300)
    is_exempt = models.BooleanField("exempt (confidential)", default=False)
    file = models.FileField(upload_to=paper_upload_path, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    report = models.ForeignKey(
        "PartnerReport", on_delete=models.PROTECT, null=True, blank=True, related_name="papers"
    )
    block_key = models.CharField(max_length=60, blank=True)
    block_params = models.JSONField(default=dict, blank=True)
    frozen_html = models.TextField(
        blank=True, help_text="A generated paper as it stood when the pack was published."
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="upload", page_count__isnull=False)
                    | models.Q(kind="report", report__isnull=False)
                    | (models.Q(kind="block") & ~models.Q(block_key=""))
                ),
                name="paper_has_its_content",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PartnerReport(models.Model):
    """A partner's quarterly update to the partnership, in the partnership's template."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_reports"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.CharField(max_length=200)
    date = models.DateField()
    subject = models.CharField("subject title", max_length=300)
    summary = models.TextField(help_text="Purpose, background and context for the update.")
    recommendations = models.TextField(blank=True)
    performance_data = models.TextField(blank=True)
    budget_implications = models.TextField("budget / resource implications", blank=True)
    key_risks = models.TextField("key risks / issues", blank=True)
    planned_activity = models.TextField("planned activity in the next quarter", blank=True)
    other_updates = models.TextField(
        "other updates, developments, achievements, challenges / opportunities", blank=True
    )
    gaps_support = models.TextField("gaps / support required", blank=True)
    priorities = models.ManyToManyField(
        "plans.Priority", blank=True, related_name="partner_reports"
    )
    financial_year = FinancialYearField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES, null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_reports",
        help_text="The meeting the report is written for.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-date", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(financial_year__isnull=True, quarter__isnull=True)
                | models.Q(financial_year__isnull=False, quarter__isnull=False),
                name="report_quarter_has_its_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.subject}"

    @property
    def period(self) -> Quarter | None:
        if self.financial_year is None or self.quarter is None:
            return None
        return Quarter(self.financial_year, self.quarter)


class PerformanceRow(models.Model):
    """One line of a partner report's performance table (seed 003): a crime type, its
    performance to date (% change) and the year-to-date figures a year ago and now."""

    report = models.ForeignKey(
        PartnerReport, on_delete=models.CASCADE, related_name="performance_rows"
    )
    order = models.PositiveSmallIntegerField()
    crime_type = models.CharField(max_length=200)
    change_pct = models.DecimalField(
        "performance to date (%)", max_digits=7, decimal_places=1, null=True, blank=True
    )
    previous = models.PositiveIntegerField(null=True, blank=True)
    current = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="one_row_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.crime_type}"

    @property
    def change_display(self) -> str:
        """+4.9%, −10.6% (a true minus), 0.0%, or n/a: as the dashboards print it."""
        if self.change_pct is None:
            return "n/a"
        if self.change_pct > 0:
            return f"+{self.change_pct}%"
        if self.change_pct < 0:
            return f"−{-self.change_pct}%"
        return "0.0%"

    @property
    def previous_display(self) -> str:
        return "–" if self.previous is None else f"{self.previous:,}"

    @property
    def current_display(self) -> str:
        return "–" if self.current is None else f"{self.current:,}"


class ThemeUpdate(models.Model):
    """A partner report's update against one theme of the partnership plan."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="updates")
    theme = models.ForeignKey("plans.Theme", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "theme__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="one_update_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.theme}"
