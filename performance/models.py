"""Beats, crime categories and the quarterly figures recorded against them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.models import Partnership
from csp_portal.quarter_models import QuarterlyRecord, quarter_1_to_4


class Beat(models.Model):
    """A police beat area of the partnership (e.g. 62, Loughborough Town Centre)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="beats")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)
    figures_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown on the beats page: where this beat's figures come from, when "
        "readers should know (e.g. the demo's invented beat figures).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="beat_code_unique")
        ]

    def __str__(self) -> str:
        return f"Beat {self.code} {self.name}"


class CrimeCategory(models.Model):
    """A category the partnership counts; "All Crime" is its own recorded total."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="crime_categories"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    lower_is_better = models.BooleanField(
        default=True, help_text="False for measures where a rise is good (e.g. reporting)."
    )
    is_asb = models.BooleanField("anti-social behaviour", default=False)
    display_order = models.PositiveSmallIntegerField(default=100)
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    #: Not stored: set by performance.dashboards.categories_in_order (how deep under
    #: "All Crime" it sits, and whether it has sub-categories).
    depth: int = 0
    has_children: bool = False

    class Meta:
        ordering = ["partnership", "display_order", "name"]
        verbose_name_plural = "crime categories"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="category_code_unique"),
            models.UniqueConstraint(fields=["partnership", "name"], name="category_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class QuarterlyFigure(QuarterlyRecord):
    """A count for one partnership, quarter, category and beat (no beat = the total)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="quarterly_figures"
    )
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="figures")
    beat = models.ForeignKey(
        Beat, on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    count = models.PositiveIntegerField(validators=[MinValueValidator(0)])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "financial_year", "quarter", "category", "beat"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "quarter", "category", "beat"],
                name="one_figure_per_beat",
                condition=models.Q(beat__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "quarter", "category"],
                name="one_partnership_total",
                condition=models.Q(beat__isnull=True),
            ),
            quarter_1_to_4("quarter_1_to_4"),
        ]
        indexes = [models.Index(fields=["partnership", "category", "financial_year", "quarter"])]

    def __str__(self) -> str:
        where = self.beat.code if self.beat is not None else "total"
        return f"{self.category} {self.period} {where}: {self.count}"


class PublishedQuarter(QuarterlyRecord):
    """A quarter the officers have released to the dashboards.

    Once published, every change to that quarter's figures needs a reason, recorded in
    the figures' history and as a FigureCorrection.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="published_quarters"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "quarter"], name="publish_quarter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} published"


class FigureCorrection(QuarterlyRecord):
    """Why figures of a published quarter were changed, by whom and when."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="figure_corrections"
    )
    reason = models.TextField()
    cells_changed = models.PositiveIntegerField(default=0)
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-made_at"]

    def __str__(self) -> str:
        return f"Correction to Q{self.quarter} {self.financial_year}: {self.reason[:40]}"


# The app's other models live in modules by topic; importing them here makes them this
# app's models (the migrations do not change) and lets `performance.models` name them all.
from performance.family_models import FamilyGroup, FamilyGroupMember, PeerFigure  # noqa: E402
from performance.import_models import (  # noqa: E402
    ConfirmedImport,
    ImportedCrimeIds,
    ImportedMonth,
    MonthlyFigure,
    MonthSource,
)
from performance.lookup_models import (  # noqa: E402
    CrimeTypeMapping,
    LsoaBeat,
    OffenceMapping,
    OffenceMatch,
    PoliceUkCrimeType,
)
from performance.target_models import Target, TargetKind  # noqa: E402

__all__ = [
    "Beat", "ConfirmedImport", "CrimeCategory", "CrimeTypeMapping", "FamilyGroup",
    "FamilyGroupMember", "FigureCorrection", "ImportedCrimeIds", "ImportedMonth", "LsoaBeat",
    "MonthSource", "MonthlyFigure", "OffenceMapping", "OffenceMatch", "PeerFigure",
    "PoliceUkCrimeType", "PublishedQuarter", "QuarterlyFigure", "Target", "TargetKind",
]  # fmt: skip
