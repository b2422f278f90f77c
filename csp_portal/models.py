"""What every app shares: partnerships, organisations, bodies, people and their roles."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField


class Role(models.TextChoices):
    """A person's role within one partnership; each is also a Django group."""

    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
    CLERK = "clerk", "Clerk"
    BOARD_MEMBER = "board_member", "Board member"
    PARTNER = "partner", "Partner"
    ADMIN = "admin", "Partnership administrator"


class County(models.Model):
    """A police force area's county tier: the board that holds its partnerships to account.

    In Leicestershire the Safer Communities Strategy Board sets county priorities, agrees
    the Safer Communities Agreement with each partnership and shares out the Community
    Safety Fund; the partnerships of the force area point at it.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    force_name = models.CharField("police force area", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    ons_code = models.CharField(
        "ONS CSP code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^E22\d{6}$", "An ONS CSP code looks like E22000165.")],
    )
    local_authority = models.CharField(max_length=200)
    local_authority_code = models.CharField("ONS local authority code", max_length=9, blank=True)
    bid_approval_threshold = models.DecimalField(
        "bid approval threshold (£)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("1000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Supported bids of this amount or more go to the approval panel.",
    )
    approval_panel = models.ForeignKey(
        "Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The body that approves bids at or over the threshold "
        "(the Performance Group by default; later the Strategic Group).",
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        help_text="The county tier (force area) this partnership reports to, if any.",
    )
    bid_reminder_working_days = models.PositiveSmallIntegerField(
        "bid reminder after (working days)",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="A bid waiting this many working days reminds its deciders; twice as "
        "many escalates it to the deciding body's chair and the clerk.",
    )
    papers_due_working_days = models.PositiveSmallIntegerField(
        "papers due (working days before a meeting)",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Papers and partner reports are due this many working days before the meeting.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership", kwargs={"partnership": self.slug})


class PartnershipPopulation(models.Model):
    """Resident population for a financial year: the denominator of rates per 1,000."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="populations"
    )
    financial_year = FinancialYearField()
    population = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    source = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "financial_year"], name="one_population_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.financial_year}: {self.population:,}"


class Organisation(models.Model):
    """A partner agency (council, police, fire, probation, health, university...)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    is_responsible_authority = models.BooleanField(
        "statutory responsible authority",
        default=False,
        help_text="One of the responsible authorities under the Crime and Disorder Act 1998.",
    )
    identifier = models.CharField(
        max_length=60,
        blank=True,
        help_text="An org-id.guide identifier (e.g. GB-LAE-CHA), used in open-data exports.",
    )
    partnerships = models.ManyToManyField(Partnership, related_name="organisations", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BodyType(models.TextChoices):
    BOARD = "board", "Partnership Board"
    STRATEGIC_GROUP = "strategic_group", "Strategic Group"
    PERFORMANCE_GROUP = "performance_group", "Performance Group"
    JOINT_ACTION_GROUP = "jag", "Joint Action Group"
    DELIVERY_GROUP = "delivery_group", "Delivery Group"
    OTHER = "other", "Other"


class Body(models.Model):
    """A board or group of a partnership that meets, decides and has members."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    body_type = models.CharField(max_length=30, choices=BodyType.choices)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_bodies",
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="bodies", blank=True)
    default_venue = models.CharField(max_length=300, blank=True)
    default_start_time = models.TimeField(null=True, blank=True)
    meeting_frequency = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="body_slug_unique"),
            models.UniqueConstraint(fields=["partnership", "name"], name="body_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What the portal knows about a person beyond their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)
    title = models.CharField(
        max_length=40, blank=True, help_text="As minutes print it: Councillor, Inspector, Ms…"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Membership(models.Model):
    """A person's place in one partnership, with the roles they hold there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    roles = models.ManyToManyField(
        Group, related_name="memberships", help_text="Each role is a Django group."
    )
    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        ordering = ["partnership", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership}"


class Office(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-Chair"
    DESIGNATED_OFFICER = "designated_officer", "Designated Officer"


class OfficeHolderQuerySet(models.QuerySet):
    def current(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(
            models.Q(start_date__lte=day) | models.Q(start_date__isnull=True)
        ).filter(models.Q(end_date__gte=day) | models.Q(end_date__isnull=True))


class OfficeHolder(models.Model):
    """Who holds the Chair, Vice-Chair or Designated Officer post, and since when."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="office_holders"
    )
    office = models.CharField(max_length=30, choices=Office.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offices"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = OfficeHolderQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "office", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="office_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()} of {self.partnership}: {self.user}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset e-mail: counted to throttle them, by the client's
    address and by the e-mail address asked for (kept only as a digest)."""

    client_address = models.GenericIPAddressField(null=True, blank=True)
    email_digest = models.CharField(max_length=64)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["client_address", "requested_at"]),
            models.Index(fields=["email_digest", "requested_at"]),
        ]

    def __str__(self) -> str:
        return f"password reset from {self.client_address} at {self.requested_at:%Y-%m-%d %H:%M}"


# The worker's records, the daily reminders' records and the county tier's people, board
# and local authorities live in their own modules; importing them here makes them the
# core app's models.
from csp_portal.county_models import (  # noqa: E402
    CountyBody,
    CountyMembership,
    CountyRole,
    LocalAuthority,
)
from csp_portal.job_models import BackgroundJob, SentEmail  # noqa: E402
from csp_portal.reminder_models import DailyRun, ReminderText, SentReminder  # noqa: E402, F401

__all__ = [
    "BackgroundJob", "Body", "BodyType", "County", "CountyBody", "CountyMembership",
    "CountyRole", "LocalAuthority", "Membership", "Office", "OfficeHolder", "Organisation",
    "Partnership", "PartnershipPopulation", "PasswordResetRequest", "Profile", "Role",
    "SentEmail", "DailyRun", "ReminderText", "SentReminder",
]  # fmt: skip
