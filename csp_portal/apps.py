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
        self._register_reminders_and_cleanups()

    def _register_reminders_and_cleanups(self) -> None:
        from csp_portal import reminders
        from csp_portal.cleanup import CORE_CLEANUPS
        from csp_portal.extension_points import HomeSection, register_cleanup, register_home_section

        register_home_section(
            HomeSection(
                "reminders",
                "Due soon and overdue",
                reminders.home_entries,
                order=5,
                empty_text="Nothing is due from you.",
            )
        )
        for cleanup in CORE_CLEANUPS:
            register_cleanup(cleanup)
