"""Targets: what the partnership aims for in a category over a financial year (rated
by performance.targets). Imported by performance.models, whose models they are."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.models import Partnership


class TargetKind(models.TextChoices):
    REDUCE_PCT = "reduce_pct", "Reduce by N% on last year"
    COUNT = "count", "Count for the year"
    RATE = "rate", "Rate per 1,000 for the year"
    SIGNIFICANT_REDUCTION = "significant_reduction", "Significant reduction"


class Target(models.Model):
    """What the partnership aims for in a category over a financial year.

    How each kind is rated (see performance.targets): a % target against the YTD %
    change; a count or rate target, set for the whole year, against the YTD figure
    pro-rated by quarters elapsed; "significant reduction" as a statistically significant
    fall (Green), no significant change (Amber), a significant rise (Red).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="targets")
    category = models.ForeignKey(
        "performance.CrimeCategory", on_delete=models.PROTECT, related_name="targets"
    )
    financial_year = FinancialYearField()
    kind = models.CharField(max_length=30, choices=TargetKind.choices)
    value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="N for a % reduction (3 means reduce by 3%); the count or rate otherwise. "
        "Empty for a significant reduction.",
    )
    tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Amber band: percentage points for a % target, % of the target otherwise.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "financial_year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "category", "financial_year"], name="one_target_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="significant_reduction") | models.Q(value__isnull=False),
                name="target_value_unless_qualitative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.financial_year}: {self.describe()}"

    def describe(self) -> str:
        if self.kind == TargetKind.SIGNIFICANT_REDUCTION:
            return "Significant reduction"
        if self.value is None:  # only an unsaved target: the constraints require one
            return str(TargetKind(self.kind).label)
        if self.kind == TargetKind.REDUCE_PCT:
            value = self.value.normalize()
            return f"Reduce by {value:f}%" if value >= 0 else f"Increase by {-value:f}%"
        if self.kind == TargetKind.RATE:
            return f"{self.value:,.2f} per 1,000 in the year"
        return f"{self.value:,.0f} in the year"
