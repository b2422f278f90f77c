"""python manage.py create_partnership --county leicestershire --name "Melton CSP"
--ons-code E22000169 --districts "Melton" [--slug melton] [--councils "Melton Borough Council"]

A new partnership of the county from its template (performance.county_template): its
local authorities, councils, Census 2021 population, bodies, crime categories, police.uk
mapping, one beat per district and every LSOA of its districts. Safe to run twice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from csp_portal.models import County
from performance.county_template import create_from_template
from performance.models import CrimeCategory, LsoaBeat


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class Command(BaseCommand):
    help = "Create (or refresh) a partnership of a county from the county's template."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--county", required=True, help="The county's slug.")
        parser.add_argument("--name", required=True)
        parser.add_argument("--ons-code", required=True, help="The ONS CSP code, E22…")
        parser.add_argument(
            "--districts",
            required=True,
            help='Its local authorities, as police.uk LSOA names begin, ";"-separated '
            '("Blaby;Hinckley and Bosworth").',
        )
        parser.add_argument("--slug", default="", help="Default: from the name.")
        parser.add_argument("--councils", default="", help='";"-separated council names.')

    def handle(self, *args, **options) -> None:
        county = County.objects.filter(slug=options["county"]).first()
        if county is None:
            known = ", ".join(County.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No county “{options['county']}” (counties: {known}).")
        districts = _names(options["districts"])
        try:
            partnership = create_from_template(
                county=county,
                slug=options["slug"] or slugify(options["name"])[:60],
                name=options["name"],
                ons_code=options["ons_code"],
                local_authorities=districts,
                councils=_names(options["councils"]) or None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        categories = CrimeCategory.objects.filter(partnership=partnership).count()
        lsoas = LsoaBeat.objects.filter(partnership=partnership).count()
        population = partnership.populations.order_by("-financial_year").first()
        self.stdout.write(
            self.style.SUCCESS(
                f"{partnership.name} ({partnership.slug}, {partnership.ons_code}) in "
                f"{county.name}: {', '.join(districts)}; {categories} categories, {lsoas} LSOAs, "
                + (
                    f"population {population.population:,} ({population.financial_year})."
                    if population
                    else "no population yet."
                )
            )
        )
