"""The Most Similar Family Group: its members (dated) and their figures. Imported by
performance.models, whose models they are."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.models import Partnership
from csp_portal.quarter_models import QuarterlyRecord


class FamilyGroup(models.Model):
    """The partnership's Most Similar Family Group (15 CSPs, the partnership included)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="family_group"
    )
    name = models.CharField(max_length=200, default="Most Similar Family Group")
    figures_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown on the family group page: where the peers' figures come from, "
        "when readers should know (e.g. the demo's invented peers).",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.name} of {self.partnership}"


class FamilyGroupMember(models.Model):
    """A CSP in the family group between two dates (membership changes over time)."""

    family_group = models.ForeignKey(FamilyGroup, on_delete=models.CASCADE, related_name="members")
    csp_name = models.CharField("CSP", max_length=200)
    ons_code = models.CharField("ONS CSP code", max_length=9, blank=True)
    is_self = models.BooleanField(
        default=False, help_text="This is the partnership itself, not a peer."
    )
    joined = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True, help_text="Last day in the group.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_group", "csp_name"]
        constraints = [
            models.UniqueConstraint(fields=["family_group", "csp_name"], name="member_once"),
            models.CheckConstraint(
                condition=models.Q(left__isnull=True)
                | models.Q(joined__isnull=True)
                | models.Q(left__gte=models.F("joined")),
                name="member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return self.csp_name

    def member_on(self, day) -> bool:
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day <= self.left
        )


class PeerFigure(QuarterlyRecord):
    """A family-group CSP's count and population for one category and quarter."""

    member = models.ForeignKey(FamilyGroupMember, on_delete=models.CASCADE, related_name="figures")
    category = models.ForeignKey(
        "performance.CrimeCategory", on_delete=models.PROTECT, related_name="peer_figures"
    )
    count = models.PositiveIntegerField()
    population = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "financial_year", "quarter", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "financial_year", "quarter", "category"],
                name="one_peer_figure",
            )
        ]
        indexes = [models.Index(fields=["category", "financial_year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.member} {self.category} Q{self.quarter} {self.financial_year}"
