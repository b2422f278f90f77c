"""What month-based imports record: the months stored, monthly figures, the crime ids
seen, and each confirmed upload (once only). Imported by performance.models, whose
models they are."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership


class MonthSource(models.TextChoices):
    """Imports whose unit is a calendar month (a quarter is complete with all three)."""

    POLICEUK = "policeuk", "police.uk street-level file"


class ImportedMonth(models.Model):
    """One calendar month of a month-based import (police.uk) stored for the partnership.

    A quarter with no ImportedMonth rows is read as coming from a quarter-based source
    (the grid, a spreadsheet): only its partnership totals decide whether it is complete.
    A quarter with some rows is complete only when all three of its months are recorded
    (see performance.completeness). The importer writes one row per month it stores,
    replacing the row when the month is imported again.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="imported_months"
    )
    month = models.DateField(help_text="The first day of the calendar month.")
    source = models.CharField(
        max_length=20, choices=MonthSource.choices, default=MonthSource.POLICEUK
    )
    rows = models.PositiveIntegerField(default=0, help_text="The partnership's rows counted.")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "month", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month", "source"], name="import_month_once"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="imported_month_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%B %Y} from {self.get_source_display()}"

    @property
    def period(self) -> Quarter:
        return Quarter.for_date(self.month)


class MonthlyFigure(models.Model):
    """A month's count from a month-based import (police.uk), the unit it is stored in.

    `beat` is the beat the crimes' LSOAs are on, or empty for crimes in the partnership's
    LSOAs that the lookup puts on no beat ("not assigned to a beat"). The quarterly
    figures of a quarter with imported months are recomputed from these rows (beats: the
    sum of their months; the partnership total: every row, assigned or not), so importing
    months one at a time, in any order, gives the figures of importing them together.
    Zero counts are not stored.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="monthly_figures"
    )
    month = models.DateField(help_text="The first day of the calendar month.")
    category = models.ForeignKey(
        "performance.CrimeCategory", on_delete=models.PROTECT, related_name="monthly_figures"
    )
    beat = models.ForeignKey(
        "performance.Beat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_figures",
        help_text="Empty: in the partnership's area but not assigned to a beat.",
    )
    count = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # No HistoricalRecords: these rows are the files' counts, replaced whole when a month
    # is imported again. Who imported which month and when is ImportedMonth's history;
    # every change to a figure the board sees is in QuarterlyFigure's.

    class Meta:
        ordering = ["partnership", "month", "category", "beat"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month", "category", "beat"],
                name="one_monthly_figure_per_beat",
                condition=models.Q(beat__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["partnership", "month", "category"],
                name="one_monthly_unassigned_figure",
                condition=models.Q(beat__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="monthly_figure_month_is_first_day"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "month"])]

    def __str__(self) -> str:
        where = f"beat {self.beat.code}" if self.beat is not None else "not assigned to a beat"
        return f"{self.category} {self.month:%B %Y} {where}: {self.count}"


class ImportedCrimeIds(models.Model):
    """The Crime IDs a stored police.uk month counted for the partnership.

    Kept so that a later import can report a crime already counted in another month
    (police.uk re-publishes a crime under a new month when its record moves). One row
    per month, the IDs (their first 16 hex digits, policeuk.crime_key) one per line: an
    index for that check, not a record with history.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="imported_crime_ids"
    )
    month = models.DateField()
    crime_ids = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "month"]
        verbose_name = "imported Crime IDs"
        verbose_name_plural = "imported Crime IDs"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "month"], name="crime_ids_once")
        ]

    def __str__(self) -> str:
        return f"Crime IDs of {self.month:%B %Y}"


class ConfirmedImport(models.Model):
    """An upload the officer confirmed (performance.import_jobs): one row per kept upload,
    so confirming twice starts one job, and a task run again after its import committed
    (a retry) writes nothing more: `applied_at` is set in the import's own transaction."""

    token = models.CharField(max_length=32, unique=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="confirmed_imports"
    )
    kind = models.CharField(max_length=20)
    job = models.ForeignKey(
        "csp_portal.BackgroundJob", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} import {self.token}"
