"""python manage.py import_figures PATH --partnership SLUG [--dry-run] [--year --quarter]
[--sheet NAME]"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance import services
from performance.consistency import figure_warnings
from performance.homeoffice import apply_home_office, is_home_office, parse_home_office
from performance.spreadsheets import UnreadableFile, parse_figures, read_table


class Command(BaseCommand):
    help = (
        "Import quarterly figures from a long or wide CSV/XLSX sheet, or a Home Office "
        "recorded crime by CSP table (recognised by its header); all or nothing."
    )

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
        if is_home_office(frame.columns):
            return self._home_office(partnership, frame, options)
        parsed = parse_figures(partnership, frame, quarter)
        if parsed.errors:
            for problem in parsed.errors:
                self.stderr.write(str(problem))
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

    def _home_office(self, partnership, frame, options) -> None:
        """A Home Office "recorded crime by CSP" table, recognised by its header."""
        parsed = parse_home_office(partnership, frame)
        if parsed.errors:
            for problem in parsed.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(parsed.errors)} problem(s); nothing was imported.")
        changes = services.compare_figures(partnership, parsed.own)
        peers = ", ".join(f"{csp} {rows}" for csp, rows in sorted(parsed.peer_rows.items()))
        summary = (
            f"{parsed.rows} rows (Home Office layout): {parsed.own_rows} ours, peers: "
            f"{peers or 'none'}, {parsed.other_rows} other CSPs left out; partnership figures "
            f"{len(changes.created)} new, {len(changes.changed)} changed, "
            f"{changes.unchanged} unchanged; family-group figures {parsed.peers.created} new, "
            f"{parsed.peers.changed} changed, {parsed.peers.unchanged} unchanged"
        )
        for warning in [*parsed.warnings, *figure_warnings(partnership, parsed.own)]:
            self.stdout.write(self.style.WARNING(f"Check: {warning}"))
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written. {summary}.")
            return
        try:
            apply_home_office(partnership=partnership, parsed=parsed, reason=options["reason"])
        except ValidationError as error:
            raise CommandError(error.messages[0] + " Nothing was imported.") from error
        self.stdout.write(self.style.SUCCESS(f"Imported. {summary}."))
