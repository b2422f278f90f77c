"""python manage.py load_demo: the Charnwood demo partnership, its people and data."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from csp_portal.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Load (or refresh) the demo partnership from fixtures/demo/. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (demo users have a published password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with a known password while DEBUG is off. "
                "Use --force if this really is a demonstration server."
            )
        # The demo walks bids through their decisions, which e-mails the deciders; the
        # demo people are fictional, so nothing is sent (and no mail server is needed).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            partnership, logins = load_all(progress=lambda name: self.stdout.write(f"  {name}"))
        self.stdout.write(self.style.SUCCESS(f"Loaded {partnership.name}."))
        self.stdout.write(
            f"Demo logins (password for all: {DEMO_PASSWORD}), and what to try first:"
        )
        for login in logins:
            self.stdout.write(f"  {login.line}")
