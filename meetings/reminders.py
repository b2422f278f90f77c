"""The meetings app's reminders (csp_portal.reminders): papers and partner reports due
before a meeting.

A meeting's papers are due `papers_due_working_days` working days before it (a setting of
the partnership, 10 by default). An agenda item of business (or a standing item) with a
presenter and no paper yet is waiting for one: its presenter (or, with no account, the
members who work for the presenting organisation) is reminded from NOTICE_WORKING_DAYS
before the deadline, and again once the deadline has passed; the clerks get one list
per meeting at the same two moments. Cancelled meetings, and meetings already held,
remind nobody.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from csp_portal.extension_points import ReminderKind, ReminderSource
from csp_portal.models import Role
from csp_portal.reminders import Reminder, ReminderContext, people
from csp_portal.working_days import add_working_days
from meetings.models import AgendaItem, ItemKind, MeetingStatus

#: The first reminder goes this many working days before the papers' deadline.
NOTICE_WORKING_DAYS = 5

ITEMS_WITH_PAPERS = (ItemKind.BUSINESS, ItemKind.STANDING)

KINDS = (
    ReminderKind(
        "meetings.paper_due",
        "Paper or partner report due (to the presenter)",
        "Your paper for {title} is due by {due}",
        "Dear {name},\n\n{detail}\n\nWrite a partner report or send the paper to the clerk: "
        "{link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "meetings.paper_overdue",
        "Paper or partner report overdue (to the presenter)",
        "Overdue: your paper for {title} was due by {due}",
        "Dear {name},\n\n{detail}\n\nPlease write the partner report or send the paper to the "
        "clerk now: {link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "meetings.papers_missing",
        "Papers still missing for a meeting (to the clerk)",
        "{title}",
        "Dear {name},\n\n{detail}\n\nThe meeting: {link}\n\n{partnership}\n",
    ),
)


def collect(context: ReminderContext) -> list[Reminder]:
    by_pk = {p.pk: p for p in context.partnerships}
    if not by_pk:
        return []
    longest = max(p.papers_due_working_days for p in by_pk.values()) + NOTICE_WORKING_DAYS
    items = (
        AgendaItem.objects.filter(
            meeting__body__partnership__in=list(by_pk),
            meeting__status__in=[MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED],
            meeting__date__gt=context.today,
            meeting__date__lte=add_working_days(context.today, longest),
            kind__in=ITEMS_WITH_PAPERS,
            papers__isnull=True,
        )
        .exclude(presenter__isnull=True, presenter_organisation__isnull=True)
        .select_related("meeting__body", "presenter__profile", "presenter_organisation")
        .order_by("meeting__date", "meeting_id", "order", "pk")
    )
    found: list[Reminder] = []
    missing = defaultdict(list)
    for item in items:
        meeting = item.meeting
        partnership = by_pk[meeting.body.partnership_id]
        deadline = add_working_days(meeting.date, -partnership.papers_due_working_days)
        if context.today < add_working_days(deadline, -NOTICE_WORKING_DAYS):
            continue
        overdue = context.today > deadline
        stage = "overdue" if overdue else "due"
        where = f"item “{item.title}” of the {meeting.body} meeting on {meeting.date:%-d %B %Y}"
        if item.presenter is not None:
            presenters = [item.presenter]
        elif item.presenter_organisation_id is not None:
            presenters = context.people_of_organisation(partnership, item.presenter_organisation_id)
        else:  # not reached: the query keeps items with a presenter or an organisation
            presenters = []
        found.append(
            Reminder(
                key=f"meetings.paper_{stage}:{item.pk}:{meeting.date:%Y%m%d}",
                kind=f"meetings.paper_{stage}",
                partnership=partnership,
                recipients=people(presenters),
                title=f"Paper for {where}",
                url=reverse("meetings:report_new", args=[partnership.slug]),
                detail=(
                    f"You present {where}. Its paper (or partner report) "
                    f"{'was' if overdue else 'is'} due by {deadline:%-d %B %Y}, "
                    f"{partnership.papers_due_working_days} working days before the meeting."
                ),
                due=deadline,
                overdue=overdue,
            )
        )
        missing[(meeting, partnership, deadline, stage)].append(item)
    for (meeting, partnership, deadline, stage), waiting in missing.items():
        listed = "; ".join(f"“{i.title}” ({i.presenter_label or 'no presenter'})" for i in waiting)
        found.append(
            Reminder(
                key=f"meetings.papers_missing_{stage}:{meeting.pk}:{meeting.date:%Y%m%d}",
                kind="meetings.papers_missing",
                partnership=partnership,
                recipients=people(context.people_with_role(partnership, Role.CLERK)),
                title=f"Papers missing for the {meeting.body} meeting on {meeting.date:%-d %B %Y}",
                url=reverse("meetings:meeting", args=[partnership.slug, meeting.pk]),
                detail=(
                    f"Papers for the {meeting.body} meeting on {meeting.date:%-d %B %Y} "
                    f"{'were' if stage == 'overdue' else 'are'} due by {deadline:%-d %B %Y}. "
                    f"Still missing ({len(waiting)}): {listed}."
                ),
                due=deadline,
                overdue=stage == "overdue",
            )
        )
    return found


SOURCE = ReminderSource("meetings", collect, KINDS)
