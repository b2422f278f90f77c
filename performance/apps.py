from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        self._refresh_dashboards_on_writes()
        self._register_reminders_and_cleanups()
        from csp_portal.access import READERS
        from csp_portal.extension_points import (
            BlockParam,
            HomeSection,
            NavEntry,
            PackBlock,
            register_home_section,
            register_nav,
            register_pack_block,
        )
        from performance.county_home import county_figures
        from performance.selectors import figures_due
        from performance.summary import quarter_choices, render_pack_block, validate_pack_block

        register_nav(NavEntry("Performance", "performance:index", READERS, order=10))
        register_home_section(
            HomeSection(
                "performance_figures_due",
                "Quarterly figures",
                figures_due,
                order=20,
                empty_text="You are not a member of a partnership's performance pages.",
            )
        )
        register_home_section(
            HomeSection(
                "county_figures",
                "Your county's figures",
                county_figures,
                order=8,
                hide_when_empty=True,
            )
        )
        register_pack_block(
            PackBlock(
                "performance_summary",
                "Performance summary",
                render_pack_block,
                describe_params='{"quarter": "Q2 2022/23"}',
                params_declared=(BlockParam("quarter", "Quarter", quarter_choices),),
                validate=validate_pack_block,
            )
        )

    def _register_reminders_and_cleanups(self) -> None:
        from csp_portal.extension_points import Cleanup, register_cleanup, register_reminder_source
        from performance import pending_imports, reminders

        register_reminder_source(reminders.SOURCE)
        register_cleanup(
            Cleanup(
                "performance.pending_imports",
                "Unconfirmed import previews",
                pending_imports.prune,
            )
        )

    def _refresh_dashboards_on_writes(self) -> None:
        """The core's populations feed the rates: a change to one makes the cached tables
        stale. (This app's own writes refresh them in performance.services.)"""
        from django.db.models.signals import post_delete, post_save

        from csp_portal.models import PartnershipPopulation
        from performance.caching import on_population_saved_or_deleted

        for signal in (post_save, post_delete):
            signal.connect(
                on_population_saved_or_deleted,
                sender=PartnershipPopulation,
                dispatch_uid=f"performance-dashboards-population-{signal is post_save}",
            )
