"""The shared core as a Django app: partnerships, organisations, bodies, people, roles."""

from django.apps import AppConfig


class CspPortalConfig(AppConfig):
    name = "csp_portal"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from csp_portal import checks  # noqa: F401  (registers the deployment checks)
        from csp_portal.idle_timeout import start_the_clock

        user_logged_in.connect(start_the_clock, dispatch_uid="csp_portal.idle_timeout")
