from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from csp_portal import roles
        from csp_portal.access import READERS
        from csp_portal.extension_points import (
            HomeSection,
            NavEntry,
            register_home_section,
            register_nav,
            register_pack_block,
            register_priority_links,
        )
        from meetings import forward_programme, home, links

        register_nav(NavEntry("Meetings", "meetings:index", READERS, order=30))
        register_home_section(
            HomeSection(
                "upcoming_meetings",
                "Upcoming meetings",
                links.upcoming_meetings,
                order=40,
                empty_text="No meetings in the next two months.",
            )
        )
        register_home_section(
            HomeSection(
                "board_next_meeting",
                "Your next meeting and the dashboards",
                home.board_member_jobs,
                order=10,
                for_roles=roles.BOARD_MEMBERS,
                empty_text="No meeting is coming up of a partnership whose board you sit on.",
            )
        )
        register_home_section(
            HomeSection(
                "clerk_missing_papers",
                "Papers missing for the next meetings",
                home.clerk_jobs,
                order=11,
                for_roles=roles.CLERKS,
                empty_text="No papers are missing for the meetings you clerk.",
            )
        )
        register_priority_links(links.priority_links)
        register_pack_block(forward_programme.BLOCK)
        self._register_reminders_and_cleanups()

    def _register_reminders_and_cleanups(self) -> None:
        from csp_portal.extension_points import Cleanup, register_cleanup, register_reminder_source
        from meetings import cleanup, reminders

        register_reminder_source(reminders.SOURCE)
        register_cleanup(
            Cleanup(
                "meetings.pack_files",
                "Unreferenced pack and minutes files",
                cleanup.prune_unreferenced_files,
            )
        )
        register_cleanup(
            Cleanup("meetings.pack_cache", "Old cached pack builds", cleanup.prune_pack_cache)
        )
