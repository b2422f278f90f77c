"""Beats, crime categories and the quarterly figures recorded against them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.financial_year import QUARTER_CHOICES, Quarter
from csp_portal.models import Partnership


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


class QuarterlyFigure(models.Model):
    """A count for one partnership, quarter, category and beat (no beat = the total)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="quarterly_figures"
    )
    financial_year = FinancialYearField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
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
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "category", "financial_year", "quarter"])]

    def __str__(self) -> str:
        where = self.beat.code if self.beat is not None else "total"
        return f"{self.category} {self.period} {where}: {self.count}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)


class PublishedQuarter(models.Model):
    """A quarter the officers have released to the dashboards.

    Once published, every change to that quarter's figures needs a reason, recorded in
    the figures' history and as a FigureCorrection.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="published_quarters"
    )
    financial_year = FinancialYearField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
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

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)


class FigureCorrection(models.Model):
    """Why figures of a published quarter were changed, by whom and when."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="figure_corrections"
    )
    financial_year = FinancialYearField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
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
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="targets")
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


class LsoaBeat(models.Model):
    """Which beat an LSOA (2011 Lower Layer Super Output Area) falls in."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lsoa_beats"
    )
    lsoa_code = models.CharField("LSOA code", max_length=9)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    beat = models.ForeignKey(Beat, on_delete=models.PROTECT, related_name="lsoas")
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "lsoa_name", "lsoa_code"]
        verbose_name = "LSOA to beat lookup"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "lsoa_code"], name="one_beat_per_lsoa")
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.lsoa_name} → {self.beat.code}"


class PoliceUkCrimeType(models.TextChoices):
    """The 14 crime types of police.uk street-level files."""

    ASB = "Anti-social behaviour"
    BICYCLE_THEFT = "Bicycle theft"
    BURGLARY = "Burglary"
    CRIMINAL_DAMAGE = "Criminal damage and arson"
    DRUGS = "Drugs"
    OTHER_CRIME = "Other crime"
    OTHER_THEFT = "Other theft"
    WEAPONS = "Possession of weapons"
    PUBLIC_ORDER = "Public order"
    ROBBERY = "Robbery"
    SHOPLIFTING = "Shoplifting"
    THEFT_FROM_PERSON = "Theft from the person"
    VEHICLE_CRIME = "Vehicle crime"
    VIOLENCE = "Violence and sexual offences"


class CrimeTypeMapping(models.Model):
    """A police.uk crime type counted in one of the partnership's categories.

    A crime type may feed several categories (every crime type but ASB feeds "All
    Crime"; Burglary feeds "Burglary").
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="crime_type_mappings"
    )
    crime_type = models.CharField(max_length=40, choices=PoliceUkCrimeType.choices)
    category = models.ForeignKey(
        CrimeCategory, on_delete=models.PROTECT, related_name="crime_type_mappings"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "crime_type", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "crime_type", "category"], name="map_crime_type_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.crime_type} → {self.category}"


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


class PeerFigure(models.Model):
    """A family-group CSP's count and population for one category and quarter."""

    member = models.ForeignKey(FamilyGroupMember, on_delete=models.CASCADE, related_name="figures")
    financial_year = FinancialYearField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
    category = models.ForeignKey(
        CrimeCategory, on_delete=models.PROTECT, related_name="peer_figures"
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
        CrimeCategory, on_delete=models.PROTECT, related_name="monthly_figures"
    )
    beat = models.ForeignKey(
        Beat,
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


class OffenceMatch(models.TextChoices):
    GROUP = "group", "Offence Group"
    SUBGROUP = "subgroup", "Offence Subgroup"
    CODE = "code", "Offence Code"
    DESCRIPTION = "description", "Offence Description"


class OffenceMapping(models.Model):
    """A Home Office offence (by group, subgroup, code or description) counted in a category.

    A row of the Home Office's "recorded crime by CSP" tables feeds every category one
    of its mappings names, once per category however many of its mappings match.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="offence_mappings"
    )
    match_on = models.CharField(max_length=20, choices=OffenceMatch.choices)
    value = models.CharField(
        max_length=200, help_text="As the Home Office writes it, e.g. “Residential burglary”."
    )
    category = models.ForeignKey(
        CrimeCategory, on_delete=models.PROTECT, related_name="offence_mappings"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "category", "match_on", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "match_on", "value", "category"], name="map_offence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_match_on_display()} “{self.value}” → {self.category}"


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
