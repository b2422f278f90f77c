"""What the meetings app adds to shared pages: the home page's upcoming meetings and the
agenda items and partner reports listed against a plan priority."""

from __future__ import annotations

from django.urls import reverse

from csp_portal.extension_points import HomeEntry, PriorityLink
from meetings import selectors
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


def priority_links(priority) -> list[PriorityLink]:
    """Agenda items and partner reports that discussed this priority (exempt items left out:
    a priority's page is read by every member)."""
    slug = priority.plan.partnership.slug
    found = [
        PriorityLink(
            "Agenda item",
            f"{item.title} ({item.meeting.body.name})",
            reverse("meetings:meeting", args=[slug, item.meeting_id]) + f"#agenda-item-{item.pk}",
            date=item.meeting.date,
        )
        for item in AgendaItem.objects.filter(priorities=priority, is_exempt=False)
        .exclude(meeting__status="scheduled")
        .select_related("meeting__body")
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
