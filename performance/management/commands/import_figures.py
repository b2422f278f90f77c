"""python manage.py import_figures PATH --partnership SLUG [--dry-run] [--year --quarter]
[--sheet NAME]"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance import services
from performance.consistency import figure_warnings
from performance.spreadsheets import UnreadableFile, parse_figures, read_table


class Command(BaseCommand):
    help = "Import quarterly figures from a long or wide CSV/XLSX sheet (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--year", help="financial year of a wide sheet, e.g. 2022/23")
        parser.add_argument("--quarter", help="quarter of a wide sheet, 1-4")
        parser.add_argument("--reason", default="", help="why a published quarter changes")
        parser.add_argument(
            "--sheet", help="the workbook's sheet to read (needed when several hold data)"
        )

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership '{options['partnership']}'.") from None
        quarter = None
        if options["year"] or options["quarter"]:
            try:
                quarter = Quarter.parse(options["year"] or "", options["quarter"] or "")
            except ValueError as error:
                raise CommandError(str(error)) from error
        try:
            frame = read_table(options["path"], sheet=options["sheet"])
        except (UnreadableFile, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        parsed = parse_figures(partnership, frame, quarter)
        if parsed.errors:
            for error in parsed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(parsed.errors)} problem(s); nothing was imported.")
        changes = services.compare_figures(partnership, parsed.values)
        for warning in figure_warnings(partnership, parsed.values):
            self.stdout.write(self.style.WARNING(f"Check: {warning}"))
        summary = (
            f"{parsed.rows} rows ({parsed.layout} layout): {len(changes.created)} new, "
            f"{len(changes.changed)} changed, {changes.unchanged} unchanged figures"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written. {summary}.")
            return
        try:
            services.apply_figures(
                partnership=partnership, values=parsed.values, reason=options["reason"]
            )
        except ValidationError as error:
            raise CommandError(error.messages[0] + " Nothing was imported.") from error
        self.stdout.write(self.style.SUCCESS(f"Imported. {summary}."))
