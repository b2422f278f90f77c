"""The performance app's reminders (csp_portal.reminders): the latest ended quarter's
figures, from the one status of a quarter (performance.completeness.quarter_status).

- Figures not complete: the partnership's performance officers are reminded from
  DUE_SOON_DAYS before the publication date (six weeks after the quarter ends), and
  again once it has passed.
- Figures complete but not published: the officers are asked to publish them (once),
  and again once the publication date has passed.
"""

from __future__ import annotations

import datetime as dt

from csp_portal.extension_points import ReminderKind, ReminderSource
from csp_portal.financial_year import Quarter
from csp_portal.models import Role
from csp_portal.reminders import Reminder, ReminderContext, people
from performance.completeness import QuarterState, quarter_statuses
from performance.links import grid_url

#: Officers are reminded of incomplete figures this many days before they are due.
DUE_SOON_DAYS = 14

KINDS = (
    ReminderKind(
        "performance.figures_due",
        "Quarterly figures due (to the performance officers)",
        "The {title} are due by {due}",
        "Dear {name},\n\n{detail}\n\nEnter or import them: {link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "performance.figures_overdue",
        "Quarterly figures overdue (to the performance officers)",
        "Overdue: the {title} were due by {due}",
        "Dear {name},\n\n{detail}\n\nEnter or import them: {link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "performance.unpublished",
        "Quarter complete but not published (to the performance officers)",
        "The {title} are complete: please publish them",
        "Dear {name},\n\n{detail}\n\nCheck and publish them: {link}\n\n{partnership}\n",
    ),
)


def collect(context: ReminderContext) -> list[Reminder]:
    if not context.partnerships:
        return []
    today = context.today
    quarter = Quarter.latest_complete(today)
    statuses = quarter_statuses(context.partnerships, quarter, today=today)
    found = []
    for partnership in context.partnerships:
        status = statuses[partnership.pk]
        overdue = status.overdue(today)
        if status.state == QuarterState.INCOMPLETE:
            if not overdue and today < status.due - dt.timedelta(days=DUE_SOON_DAYS):
                continue
            stage = "figures_overdue" if overdue else "figures_due"
        elif status.state == QuarterState.PROVISIONAL:
            stage = "unpublished_overdue" if overdue else "unpublished"
        else:
            continue
        url = grid_url(partnership, quarter)
        found.append(
            Reminder(
                key=f"performance.{stage}:{partnership.pk}:{quarter.financial_year.start_year}"
                f"q{quarter.number}",
                kind="performance.unpublished"
                if stage.startswith("unpublished")
                else (f"performance.{stage}"),
                partnership=partnership,
                recipients=people(context.people_with_role(partnership, Role.PERFORMANCE_OFFICER)),
                title=f"{quarter} figures",
                url=url,
                detail=f"{status.sentence} They are due by {status.due:%-d %B %Y}.",
                due=status.due,
                overdue=overdue,
            )
        )
    return found


SOURCE = ReminderSource("performance", collect, KINDS)
