"""Print a fund's budget table as partners print it (or as CSV)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from csp_portal import exports
from csp_portal.financial_year import FinancialYear
from csp_portal.models import Partnership
from funding import budget
from funding.models import Fund


class Command(BaseCommand):
    help = "Print a fund's budget table: Description, Amount Allocated, Spent, Remaining, Total."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--fund", required=True, help="The fund's name.")
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2022/23.")
        parser.add_argument("--format", choices=["text", "csv"], default="text")

    def handle(self, *args, **options) -> None:
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(
                f"No partnership with the slug “{options['partnership']}”."
            ) from None
        try:
            year = FinancialYear.parse(options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            fund = budget.find_fund(partnership, options["fund"], year)
        except Fund.DoesNotExist:
            names = (
                ", ".join(f"“{f}”" for f in Fund.objects.filter(partnership=partnership)) or "none"
            )
            raise CommandError(
                f"{partnership} has no fund called “{options['fund']}” in {year}. "
                f"Its funds: {names}."
            ) from None
        table = budget.budget_table(fund)
        if options["format"] == "csv":
            exports.csv_writer(self.stdout).writerows(table.as_csv_rows())
        else:
            self.stdout.write(table.as_text())
