"""The lookups imports count through: LSOA → beat, police.uk crime type → category and
Home Office offence → category. Imported by performance.models, whose models they are."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.models import Partnership


class LsoaBeat(models.Model):
    """Which beat an LSOA (2011 Lower Layer Super Output Area) falls in."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lsoa_beats"
    )
    lsoa_code = models.CharField("LSOA code", max_length=9)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    beat = models.ForeignKey("performance.Beat", on_delete=models.PROTECT, related_name="lsoas")
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
        "performance.CrimeCategory", on_delete=models.PROTECT, related_name="crime_type_mappings"
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
        "performance.CrimeCategory", on_delete=models.PROTECT, related_name="offence_mappings"
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
