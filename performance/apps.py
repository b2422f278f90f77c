from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
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
                "Quarterly figures to publish",
                figures_due,
                order=20,
                empty_text="The latest quarter's figures are published.",
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
