"""A partnership's three-year plan: themes, priorities, measures, action plans, progress.

Plan content (text, themes, priorities, measures, actions) may change only while a plan
is a draft; once adopted it is read-only and the quarterly record (progress, indicator
values, the lead's reports) is kept against it. Services enforce that (services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Body, Organisation, Partnership


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


def assessment_upload_to(plan: Plan, filename: str) -> str:
    # The original name is kept only for display; the stored name cannot collide or
    # escape MEDIA_ROOT because storage.get_available_name sanitises it.
    return f"plans/{plan.partnership.slug}/strategic-assessments/{filename}"


class Plan(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    first_year = FinancialYearField()
    last_year = FinancialYearField()
    vision = models.TextField(blank=True)
    overarching_aim = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    adopted_on = models.DateField(null=True, blank=True)
    version_year = FinancialYearField(
        null=True,
        blank=True,
        help_text="The financial year this version was reviewed for (blank: the original).",
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_versions",
        help_text="The adopted plan this version was started from at the annual review.",
    )
    strategic_assessment = models.FileField(
        upload_to=assessment_upload_to, blank=True, max_length=300
    )
    strategic_assessment_name = models.CharField(max_length=200, blank=True)
    key_findings = models.TextField(
        "key findings of the strategic assessment", blank=True, help_text="One per line."
    )
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts saves of the text, so a stale edit is refused (csp_portal.versioning).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-first_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="plan_period_forwards",
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="adopted"),
                name="one_adopted_plan",
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="draft"),
                name="one_draft_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.first_year} – {self.last_year}"

    @property
    def label(self) -> str:
        """The title with the version: "Partnership Plan 2017-2020 (2018/19 review)"."""
        if self.version_year:
            return f"{self.title} ({self.version_year} review)"
        return self.title

    @property
    def quarters(self) -> list[Quarter]:
        return [
            quarter
            for start in range(self.first_year.start_year, self.last_year.start_year + 1)
            for quarter in FinancialYear(start).quarters
        ]

    def covers(self, quarter: Quarter) -> bool:
        return self.first_year <= quarter.financial_year <= self.last_year

    @property
    def key_findings_list(self) -> list[str]:
        return [line.strip(" •-\t") for line in self.key_findings.splitlines() if line.strip()]


class Theme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts saves of the text, so a stale edit is refused (csp_portal.versioning).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="theme_number_unique")
        ]

    def __str__(self) -> str:
        return f"Theme {self.number} – {self.title}"


class Priority(models.Model):
    """A numbered priority; numbers run across the whole plan (Priority 1 … 8)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=400)
    why = models.TextField("why is this a priority", blank=True)
    aims = models.TextField("what we will aim to achieve", blank=True)
    approach = models.TextField("how we will achieve it", blank=True)
    measures_of_success = models.TextField("how we will measure success", blank=True)
    lead_body = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_priorities"
    )
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_priorities",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts saves of the text, so a stale edit is refused (csp_portal.versioning).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique")
        ]

    def __str__(self) -> str:
        return f"Priority {self.number} – {self.title}"


class Direction(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class PerformanceMeasure(models.Model):
    """How a priority's success is measured: a crime category's figures or an indicator.

    The target is a % change on the previous year ("reduce by 3%" is −3; "a reduction"
    is 0) or a value to reach (75 for "75% confidence"), never both; the words the plan
    uses ("Significant reduction") are kept in `target_text`.
    """

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=300)
    crime_category = models.ForeignKey(
        "performance.CrimeCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_measures",
        help_text="Leave blank for an indicator of its own, entered quarterly by the lead.",
    )
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. %, referrals, meetings")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    target_text = models.CharField("target (as the plan words it)", max_length=200, blank=True)
    target_change_pct = models.DecimalField(
        "target % change on last year",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="−3 means reduce by 3%; 0 means any reduction (or any rise, if higher "
        "is better).",
    )
    target_value = models.DecimalField(
        "target value", max_digits=12, decimal_places=2, null=True, blank=True
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts saves of the text, so a stale edit is refused (csp_portal.versioning).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction__in=["lower", "higher"]),
                name="measure_has_direction",
            ),
            models.CheckConstraint(
                condition=models.Q(target_change_pct__isnull=True)
                | models.Q(target_value__isnull=True),
                name="measure_one_kind_of_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    @property
    def is_crime_figure(self) -> bool:
        return self.crime_category_id is not None


class Action(models.Model):
    """A row of the action plan in the seeds' format."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    key_action = models.TextField()
    lead_agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    time_scales = models.CharField(max_length=200, blank=True)
    resource_implications = models.TextField("financial and resource implications", blank=True)
    outcome_target = models.TextField("outcome target and performance measure", blank=True)
    measure = models.ForeignKey(
        PerformanceMeasure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The plan measure this action moves, if any.",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts saves of the text, so a stale edit is refused (csp_portal.versioning).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="action_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.priority.number}.{self.number} {self.key_action[:60]}"

    @property
    def reference(self) -> str:
        return f"{self.priority.number}.{self.number}"


# The quarterly record and the county's Safer Communities Agreement live in their own
# modules; imported here so Django registers their models with the plans app.
from plans.agreement_models import (  # noqa: E402, F401
    Agreement,
    AgreementArea,
    CountyIndicator,
    CountyPriority,
    DistrictTarget,
    PriorityHolding,
)
from plans.progress_models import (  # noqa: E402, F401
    STATUS_RAG,
    ActionProgress,
    MeasureValue,
    PriorityReport,
    ProgressStatus,
)
