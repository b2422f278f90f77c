"""The funding app of the CSP portal: funds, bids, decisions, monitoring and reports."""

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        from csp_portal import roles
        from csp_portal.access import READERS
        from csp_portal.extension_points import (
            BlockParam,
            HomeSection,
            NavEntry,
            PackBlock,
            register_home_section,
            register_nav,
            register_pack_block,
            register_priority_links,
        )
        from funding import budget, home, reports, selectors
        from funding.allocation_home import home_allocations
        from funding.home_jobs import funds_to_manage, open_funds

        register_nav(NavEntry("Funding", "funding:index", READERS, order=20))
        register_home_section(
            HomeSection(
                "funding_decisions",
                "Bids waiting for your decision",
                home.home_decisions,
                order=20,
                empty_text="No bids are waiting for you.",
            )
        )
        register_home_section(
            HomeSection(
                "funding_applicant",
                "Your bids and funded projects: what is due",
                home.home_applicant,
                order=21,
                for_roles=roles.APPLICANTS,
                empty_text="Nothing is due from you.",
            )
        )
        register_home_section(
            HomeSection(
                "funding_open_funds",
                "Funds open for bids",
                open_funds,
                order=22,
                hide_when_empty=True,
            )
        )
        register_home_section(
            HomeSection(
                "funding_manage",
                "Funds you manage",
                funds_to_manage,
                order=23,
                hide_when_empty=True,
            )
        )
        register_pack_block(
            PackBlock(
                "funding_decisions",
                "Funding decisions report",
                reports.render_decisions_block,
                '{"since": "2016-10-27"}',
                params_declared=(
                    BlockParam(
                        "since",
                        "Decisions since",
                        kind="date",
                        required=False,
                        help_text="Leave empty for decisions since the last Board meeting.",
                    ),
                ),
            )
        )
        register_pack_block(
            PackBlock(
                "budget_table",
                "Budget table",
                budget.render_budget_block,
                '{"fund": <id>}',
                params_declared=(BlockParam("fund", "Fund", budget.fund_choices),),
            )
        )
        register_priority_links(selectors.priority_links)
        register_home_section(
            HomeSection(
                "county_allocation",
                "County funding formula",
                home_allocations,
                order=46,
                hide_when_empty=True,
            )
        )
        from csp_portal.extension_points import register_reminder_source
        from funding import reminders

        register_reminder_source(reminders.SOURCE)
