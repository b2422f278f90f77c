"""The county's Safer Communities Agreement as data (seed 004): priorities, the matrix of
which partnership holds each, and the county indicators with their district targets.

An agreement belongs to a county (csp_portal.County). Its areas are the districts it
was made with, by the names the agreement prints ("Blaby", "Hinckley & Bosworth"), each
linked to the portal's partnership when there is one: partnerships merge and split
(Blaby and Hinckley & Bosworth merged in 2011), an agreement's columns do not.

Targets store only what the agreement states (a baseline and a % change, or a stated
value) and what it printed; the portal computes every target itself (plans.agreement).
Imported by plans.models so that Django finds the models.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.models import County, Partnership


class Agreement(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    first_year = FinancialYearField()
    last_year = FinancialYearField()
    source = models.TextField(help_text="Where the agreement's text and figures come from.")
    notes = models.TextField(blank=True, help_text="Anything a reader should know; one per line.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "-first_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["county", "title"], name="agreement_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class AgreementArea(models.Model):
    """A district the agreement was made with (a column of its matrix, a row of its targets)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=100)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_areas",
        help_text="The portal's partnership for this district (its figures give the progress).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="agreement_area_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CountyPriority(models.Model):
    """A row of the matrix of partnerships' priorities."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    source_tag = models.CharField(
        max_length=20, blank=True, help_text="Where the priority comes from: LAA2, SCS, LAA2H."
    )
    order = models.PositiveSmallIntegerField(default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order", "name"]
        verbose_name_plural = "county priorities"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="county_priority_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Holding(models.TextChoices):
    """How an area holds a county priority, with seed 004's symbols."""

    THEME = "theme", "Priority theme"
    CROSS_CUTTING = "cross_cutting", "Cross-cutting priority"
    SUB = "sub", "Sub-priority"


HOLDING_SYMBOLS: dict[str, str] = {
    Holding.THEME: "●",
    Holding.CROSS_CUTTING: "⊙",
    Holding.SUB: "○",
}


class PriorityHolding(models.Model):
    """One filled cell of the matrix (an empty cell is no row)."""

    priority = models.ForeignKey(CountyPriority, on_delete=models.CASCADE, related_name="holdings")
    area = models.ForeignKey(AgreementArea, on_delete=models.CASCADE, related_name="holdings")
    holding = models.CharField(max_length=20, choices=Holding.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "area"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "area"], name="one_holding_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.priority} ({self.get_holding_display()})"

    @property
    def symbol(self) -> str:
        return HOLDING_SYMBOLS[self.holding]


class Measure(models.TextChoices):
    """What a target counts."""

    COUNT = "count", "Count"
    RATE = "rate", "Rate per 1,000 population"
    PERCENTAGE = "percentage", "Percentage (a survey, not from stored figures)"


class CountyIndicator(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=30, help_text="e.g. NI 20")
    name = models.CharField(max_length=200)
    category_code = models.CharField(
        max_length=40,
        blank=True,
        help_text="The crime category (by its code in each partnership, e.g. VWI) whose "
        "stored figures measure progress; blank when the figures are not the portal's.",
    )
    lower_is_better = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="county_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class TargetKind(models.TextChoices):
    REDUCTION = "reduction", "A % change of a baseline"
    STATED = "stated", "A stated value"


class DistrictTarget(models.Model):
    """One target of an indicator for one area (no area: the county's own target)."""

    indicator = models.ForeignKey(CountyIndicator, on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey(
        AgreementArea, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    financial_year = FinancialYearField(help_text="The year the target is for.")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_label = models.CharField(max_length=100, blank=True, help_text="e.g. 2008/09")
    change_pct = models.DecimalField(
        "change (%)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("1000"))],
        help_text="For a % change of the baseline: −6 is a 6 % reduction, 7 a 7 % increase.",
    )
    stated = models.DecimalField(
        "stated target", max_digits=12, decimal_places=2, null=True, blank=True
    )
    printed = models.DecimalField(
        "printed target",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The target as the agreement printed it (checked against the computed one).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "financial_year", "area", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "financial_year", "measure"],
                name="one_district_target",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="reduction", baseline__isnull=False, change_pct__isnull=False)
                    | models.Q(kind="stated", stated__isnull=False)
                ),
                name="district_target_has_its_inputs",
            ),
        ]

    def __str__(self) -> str:
        where = self.area or "County"
        return f"{self.indicator.code} {where} {self.financial_year} ({self.measure})"
