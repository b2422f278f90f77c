"""python manage.py import_policeuk FILES… --partnership SLUG [--dry-run]"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from csp_portal.models import Partnership
from performance import monthly_figures
from performance.policeuk import (
    NO_LOCATION,
    OUTSIDE,
    UNASSIGNED_LABEL,
    UNMAPPED,
    count_street_files,
)


def _rows_in(path: Path) -> int:
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


class Command(BaseCommand):
    help = "Count police.uk street-level files into quarterly figures by beat and category."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--reason", default="", help="why a published quarter changes")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership '{options['partnership']}'.") from None
        paths = [Path(f) for f in options["files"]]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError("No such file: " + ", ".join(missing))
        total = sum(_rows_in(p) for p in paths)
        with tqdm(
            total=total,
            unit=" rows",
            desc="Counting",
            disable=options["no_progress"],
            file=self.stderr,
        ) as bar:
            result = count_street_files(partnership, paths, progress=bar.update)
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError("Nothing was imported.")
        self.stdout.write(
            f"{result.rows:,} rows read; {result.counted:,} counted for {partnership}; "
            f"{result.total(OUTSIDE):,} outside the partnership; "
            f"{result.total(NO_LOCATION):,} with no location; "
            f"{result.total(UNMAPPED):,} {UNASSIGNED_LABEL.lower()} (LSOAs missing from the "
            "lookup: in the total only)."
        )
        self.stdout.write("crime_type,in_files,counted,not_assigned_to_a_beat,outside,no_location")
        for crime_type, counts in sorted(result.by_crime_type.items()):
            self.stdout.write(
                f"{crime_type},{counts['file']},{counts['counted']},{counts[UNMAPPED]},"
                f"{counts[OUTSIDE]},{counts[NO_LOCATION]}"
            )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        for lsoa, rows in result.unmapped_lsoas.most_common():
            self.stdout.write(f"Not in the LSOA lookup: {lsoa} ({rows} rows)")
        plan = monthly_figures.plan_months(partnership, result)
        self.stdout.write(plan.describe_months())
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(warning))
        changes = plan.changes
        summary = (
            f"{len(changes.created)} new, {len(changes.changed)} changed, "
            f"{changes.unchanged} unchanged figures"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {summary}.")
            return
        try:
            plan = monthly_figures.import_months(
                partnership=partnership, result=result, reason=options["reason"]
            )
        except ValidationError as error:
            raise CommandError(error.messages[0] + " Nothing was imported.") from error
        changes = plan.changes
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {len(changes.created)} new, {len(changes.changed)} changed, "
                f"{changes.unchanged} unchanged figures."
            )
        )
