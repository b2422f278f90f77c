from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
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
        from plans.home import county_agreements, due_updates
        from plans.report_paper import render_pack_block, report_choices

        register_nav(NavEntry("Plan", "plans:index", READERS, order=40))
        register_pack_block(
            PackBlock(
                "priority_report",
                "Lead's quarterly report on a priority",
                render_pack_block,
                '{"report": <id>}',
                params_declared=(BlockParam("report", "Report", report_choices),),
            )
        )
        register_home_section(
            HomeSection(
                "plans_due",
                "Quarterly updates on plan priorities",
                due_updates,
                order=40,
                empty_text="No quarterly update on a plan priority is due from you.",
            )
        )
        register_home_section(
            HomeSection(
                "county_agreement",
                "Your county's Safer Communities Agreement",
                county_agreements,
                order=45,
                hide_when_empty=True,
            )
        )
