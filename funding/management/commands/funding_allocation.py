"""python manage.py funding_allocation [INPUTS.csv] --even 175000 --population 94125
--crime 156875 [--format csv|table]: the county funding formula (funding.allocation).

Inputs from a CSV `partnership,population,crime`, or from the stored figures with
--county SLUG --year 2022/23 [--quarter 4] [--category ALL]. Prints
partnership,even,population,crime,total (the table format adds a Total row). Nothing is
written to the database.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from csp_portal import exports
from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import County, Partnership
from funding.allocation import OUTPUT_HEADER, allocate, inputs_from_figures, parse_inputs_csv


def _pounds(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").lstrip("£"))
    except InvalidOperation:
        raise CommandError(f"'{text}' is not an amount of money.") from None


class Command(BaseCommand):
    help = "Share a county pot: an even share, a share by population and a share by crime."

    def add_arguments(self, parser) -> None:
        parser.add_argument("inputs", nargs="?", help="CSV file: partnership,population,crime")
        parser.add_argument("--even", required=True, type=_pounds, help="Even share (£)")
        parser.add_argument("--population", required=True, type=_pounds, help="By population (£)")
        parser.add_argument("--crime", required=True, type=_pounds, help="By crime (£)")
        parser.add_argument("--format", choices=["csv", "table"], default="table")
        parser.add_argument("--county", help="Without a CSV: the county's slug")
        parser.add_argument("--year", help="Without a CSV: the financial year of the figures")
        parser.add_argument("--quarter", type=int, default=4, choices=[1, 2, 3, 4])
        parser.add_argument("--category", default="ALL", help="Crime category code")

    def handle(self, *args, **options) -> None:
        amounts = {k: options[k] for k in ("even", "population", "crime")}
        try:
            inputs = self._inputs(options)
            result = allocate(amounts, inputs)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        if options["format"] == "csv":
            writer = exports.csv_writer(self.stdout, lineterminator="\n")
            writer.writerow(OUTPUT_HEADER)
            writer.writerows(result.rows())
            return
        totals = result.totals
        rows = [[str(c) for c in row] for row in result.rows()]
        rows.append(["Total", *(str(totals[k]) for k in ("even", "population", "crime", "total"))])
        widths = [max(len(r[i]) for r in [OUTPUT_HEADER, *rows]) for i in range(5)]
        for row in [OUTPUT_HEADER, *rows]:
            cells = [row[0].ljust(widths[0])] + [
                c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
            ]
            self.stdout.write("  ".join(cells).rstrip())

    def _inputs(self, options):
        if options["inputs"]:
            path = Path(options["inputs"])
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from None
            return parse_inputs_csv(text, list(Partnership.objects.all()))
        if not options["county"] or not options["year"]:
            raise CommandError("Give an INPUTS.csv, or --county and --year for stored figures.")
        try:
            county = County.objects.get(slug=options["county"])
        except County.DoesNotExist:
            raise CommandError(f"No county with the slug “{options['county']}”.") from None
        try:
            quarter = Quarter.parse(FinancialYear.parse(options["year"]), options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        partnerships = list(Partnership.objects.filter(county=county).order_by("name"))
        return inputs_from_figures(partnerships, quarter, options["category"])
