"""What the meetings app adds to shared pages: the home page's upcoming meetings and the
agenda items and partner reports listed against a plan priority."""

from __future__ import annotations

from django.urls import reverse

from csp_portal.extension_points import HomeEntry, PriorityLink
from meetings import access, selectors
from meetings.models import AgendaItem, PartnerReport


def upcoming_meetings(user) -> list[HomeEntry]:
    return [
        HomeEntry(
            title=f"{m.body.name}, {m.date:%-d %B %Y} at {m.start_time:%H:%M}",
            url=reverse("meetings:meeting", args=[m.body.partnership.slug, m.pk]),
            partnership=m.body.partnership.name,
            detail=f"{m.venue} · {m.get_status_display()}",
            due=m.date,
        )
        for m in selectors.upcoming_meetings_for(user)
    ]


def priority_links(priority, viewer=None) -> list[PriorityLink]:
    """Agenda items and partner reports that discussed this priority, as `viewer` may see
    them: a priority's page is read by every member, so an item is listed only when the
    viewer may open it (`access.can_view_item`: published unless they read drafts, and
    never an exempt item, or a sub-item of one, unless they read exempt business). With
    no viewer, only what every member may see."""
    partnership = priority.plan.partnership
    slug = partnership.slug
    items = AgendaItem.objects.filter(priorities=priority).select_related(
        "meeting__body__partnership", "parent"
    )
    if viewer is None or not access.reads_everything(viewer, partnership):
        items = access.items_for(items, public=True).filter(access.public_meeting_q("meeting__"))
    found = [
        PriorityLink(
            "Agenda item",
            f"{item.title} ({item.meeting.body.name})",
            reverse("meetings:meeting", args=[slug, item.meeting_id]) + f"#agenda-item-{item.pk}",
            date=item.meeting.date,
        )
        for item in items
        if viewer is None or access.can_view_item(viewer, item)
    ]
    found += [
        PriorityLink(
            "Partner report",
            f"{report.subject} ({report.organisation})",
            reverse("meetings:report", args=[slug, report.pk]),
            date=report.date,
            detail=f"by {report.author}",
        )
        for report in PartnerReport.objects.filter(priorities=priority).select_related(
            "organisation"
        )
    ]
    return found
