"""Run the daily clean-up now (the same prunes as the worker's daily run), for cron:

python manage.py clean_up"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from csp_portal.cleanup import run_cleanups
from csp_portal.extension_points import cleanups


class Command(BaseCommand):
    help = "Prune old import previews, unreferenced pack files and old task results."

    def handle(self, *args, **options) -> None:
        labels = {cleanup.key: cleanup.label for cleanup in cleanups()}
        for key, count in run_cleanups().items():
            shown = "failed (see the log)" if count < 0 else f"{count} removed"
            self.stdout.write(f"{labels[key]}: {shown}")
