"""The county tier: county roles held on a County, its boards, and the local authorities
of the force area with the partnership covering each (csp_portal.models re-exports them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords


class CountyRole(models.TextChoices):
    """A person's role at the county tier (held on the county, not on a partnership).

    Nobody holding only a county role is a member of any partnership: the partnerships'
    pages (meetings, bids, plans) refuse them as they refuse any outsider; only the
    performance figures and the county pages admit them (csp_portal.roles)."""

    BOARD_MEMBER = "county_board_member", "Strategy Board member"
    ANALYST = "county_analyst", "County analyst"
    ADMIN = "county_admin", "County administrator"


class CountyMembership(models.Model):
    """One county role held by one person (e.g. the Police and Crime Commissioner's
    analyst: county_analyst on Leicestershire)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="county_memberships"
    )
    county = models.ForeignKey(
        "csp_portal.County", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=CountyRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "county", "role"], name="one_county_role"),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=["county_board_member", "county_analyst", "county_admin"]
                ),
                name="county_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} of {self.county}"


class CountyBody(models.Model):
    """A board of the county tier (the Safer Communities Strategy Board) and its members.

    Kept apart from `Body` (a partnership's board or group) so that every query and
    access rule written for a partnership's bodies stays as it is."""

    county = models.ForeignKey("csp_portal.County", on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_county_bodies",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="county_bodies", blank=True
    )
    default_venue = models.CharField(max_length=300, blank=True)
    meeting_frequency = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["county", "name"]
        verbose_name_plural = "county bodies"
        constraints = [
            models.UniqueConstraint(fields=["county", "slug"], name="county_body_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    """A local authority of the force area and the partnership covering it.

    A partnership may cover several (Blaby and Hinckley & Bosworth merged at strategic
    level in 2011): its LSOAs are those whose police.uk name starts with one of its
    authorities' names, and its population their sum. A non-metropolitan district (ONS
    code E07…) is part of the county; a unitary authority (E06…: Leicester, Rutland) is
    in the force area but not the county."""

    county = models.ForeignKey(
        "csp_portal.County", on_delete=models.CASCADE, related_name="local_authorities"
    )
    partnership = models.ForeignKey(
        "csp_portal.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="local_authorities",
    )
    name = models.CharField(max_length=100, help_text="As police.uk LSOA names begin.")
    ons_code = models.CharField(
        "ONS local authority code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^E0[6-9]\d{6}$", "An ONS code looks like E07000130.")],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="local_authority_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_county_district(self) -> bool:
        return self.ons_code.startswith("E07")
