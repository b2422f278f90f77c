"""python manage.py agenda_pack --body SLUG --date YYYY-MM-DD -o pack.pdf [--public]"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.pack_builder import build_pack


class Command(BaseCommand):
    help = "Write a meeting's agenda pack as one PDF (members' version unless --public)."

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="the body's slug, e.g. board")
        parser.add_argument("--date", required=True, help="the meeting's date, YYYY-MM-DD")
        parser.add_argument("--partnership", help="the partnership's slug, if bodies share a slug")
        parser.add_argument("-o", "--output", required=True, help="where to write the PDF")
        parser.add_argument(
            "--public", action="store_true", help="leave out exempt items and papers"
        )

    def handle(self, *args, body: str, date: str, output: str, public: bool, **options):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date like 2017-01-26.") from None
        meetings = Meeting.objects.filter(body__slug=body, date=day).select_related(
            "body__partnership"
        )
        if options.get("partnership"):
            meetings = meetings.filter(body__partnership__slug=options["partnership"])
        found = list(meetings)
        if not found:
            raise CommandError(f"No meeting of '{body}' on {day:%-d %B %Y}.")
        if len(found) > 1:
            raise CommandError(
                f"{len(found)} meetings of '{body}' that day; give --partnership (or the body "
                "meets twice: choose in the portal)."
            )
        started = time.perf_counter()
        built = build_pack(found[0], public=public)
        with open(output, "wb") as handle:
            handle.write(built.pdf)
        cached = " (from cache)" if built.from_cache else ""
        seconds = time.perf_counter() - started
        self.stdout.write(f"Wrote {output}: {built.page_count} pages{cached} in {seconds:.1f} s.")
