"""python manage.py performance_report --partnership SLUG --year 2022/23 --quarter 2
[--format csv]: the year-to-date table the board sees.

The CSV is a contract: exactly the header
`category,previous_ytd,current_ytd,difference,change_pct,target,status,significant`;
status Green, Amber, Red, Grey or incomplete; change_pct empty when incomplete;
significant yes or no. What an incomplete quarter lacks goes to standard error.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from csp_portal import exports
from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.ytd import YTD_CSV_HEADER, ytd_csv_rows, ytd_table

HEADER = YTD_CSV_HEADER


def _blank(value) -> str:
    return "" if value is None else str(value)


class Command(BaseCommand):
    help = "Print the year-to-date performance table for a quarter."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--year", required=True, help="e.g. 2022/23")
        parser.add_argument("--quarter", required=True, help="1-4")
        parser.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership '{options['partnership']}'.") from None
        try:
            quarter = Quarter.parse(options["year"], options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        table = ytd_table(partnership, quarter)
        if options["format"] == "csv":
            writer = exports.csv_writer(self.stdout, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(ytd_csv_rows(table))
            for note in table.notes:
                self.stderr.write(f"Incomplete: {note}.")
            return
        self.stdout.write(f"{partnership}: year to date {quarter}")
        if table.status is not None:
            self.stdout.write(table.status.sentence)
        for note in table.notes:
            self.stdout.write(f"Incomplete: {note}.")
        display = [
            [r.category.name, r.target_display, r.change_display, _blank(r.previous),
             _blank(r.current), _blank(r.difference), r.status_label, r.significance_display]
            for r in table.rows
        ]  # fmt: skip
        titles = ["Category", "Target", "% change", "Previous YTD", "Current YTD", "Diff", "RAG",
                  "Change"]  # fmt: skip
        widths = [max(len(str(x)) for x in column) for column in zip(titles, *display, strict=True)]
        for line in [titles, *display]:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
