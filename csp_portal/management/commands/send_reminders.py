"""Send the day's reminders (the same code as the worker's daily run), for cron:

    python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]

Each reminder goes once: running it again the same day sends nothing more."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from csp_portal.reminders import send_reminders


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date like 2026-12-01.") from None


class Command(BaseCommand):
    help = "E-mail the reminders due today (or on --date) that have not been sent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The day to send for (YYYY-MM-DD); today by default.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, date: str | None = None, dry_run: bool = False, **options) -> None:
        day = _day(date) if date else None
        result = send_reminders(day, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for reminder in result.sent:
            names = ", ".join(p.email for p in reminder.recipients if p.email)
            self.stdout.write(f"{verb}: {reminder.title} → {names}")
        self.stdout.write(
            f"{verb} {len(result.sent)} reminder(s); {result.already_sent} already sent"
            + (
                f"; {result.without_address} with nobody to e-mail"
                if result.without_address
                else ""
            )
            + "."
        )
