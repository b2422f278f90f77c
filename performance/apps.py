from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        self._refresh_dashboards_on_writes()
        from csp_portal.access import READERS
        from csp_portal.extension_points import (
            HomeSection,
            NavEntry,
            PackBlock,
            register_home_section,
            register_nav,
            register_pack_block,
        )
        from performance.selectors import figures_due
        from performance.summary import render_pack_block

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
        register_pack_block(
            PackBlock(
                "performance_summary",
                "Performance summary",
                render_pack_block,
                describe_params='{"quarter": "Q2 2022/23"}',
            )
        )

    def _refresh_dashboards_on_writes(self) -> None:
        """Saving or deleting anything the dashboards read makes their cached tables stale."""
        from django.db.models.signals import post_delete, post_save

        from csp_portal.models import PartnershipPopulation
        from performance.caching import on_figures_saved_or_deleted
        from performance.models import (
            Beat,
            CrimeCategory,
            PublishedQuarter,
            QuarterlyFigure,
            Target,
        )

        for model in (
            QuarterlyFigure,
            PublishedQuarter,
            Target,
            CrimeCategory,
            Beat,
            PartnershipPopulation,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    on_figures_saved_or_deleted,
                    sender=model,
                    dispatch_uid=f"performance-dashboards-{signal is post_save}-{model.__name__}",
                )
