"""The funding app's reminders (csp_portal.reminders): bids waiting too long for their
deciders, and monitoring returns and evaluations due or overdue.

- A bid waiting for a decider reminds the people it waits for (funding.deciders
  .waiting_for) on the Nth working day after it reached them (N: the partnership's
  `bid_reminder_working_days`, 5 by default), and is escalated to the deciding body's
  chair (the Chair of the partnership for the office-holders) and the clerks on the 2Nth.
  The wait is counted from the bid's last step into its state, so each stage, and each
  round after a revision, is reminded afresh.
- A monitoring return or evaluation not yet in reminds the applicant from 30 days
  before its due date, and again once it is overdue (then the partnership's
  administrators, who manage the funds, are told too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from csp_portal.extension_points import ReminderKind, ReminderSource
from csp_portal.models import Role
from csp_portal.reminders import Reminder, ReminderContext, people
from csp_portal.working_days import add_working_days, working_days_between
from funding.lifecycle import DECIDING_STATES, STAGE_OF_STATE
from funding.models import Bid, BidState, Evaluation, MonitoringReturn, Stage, Transition

#: Returns and evaluations are announced this many days before they are due.
DUE_SOON_DAYS = 30

KINDS = (
    ReminderKind(
        "funding.bid_waiting",
        "Bid waiting for a decision",
        "Reminder: a funding bid is waiting for your decision: {title}",
        "Dear {name},\n\n{detail}\n\nPlease decide it, or declare an interest: {link}\n\n"
        "{partnership}\n",
    ),
    ReminderKind(
        "funding.bid_escalated",
        "Bid escalated to the chair and the clerk",
        "Escalated: a funding bid has waited too long for a decision: {title}",
        "Dear {name},\n\n{detail}\n\nThe deciders were reminded and it is still waiting. "
        "Please make sure it is decided: {link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "funding.return_due",
        "Monitoring return due",
        "Due on {due}: {title}",
        "Dear {name},\n\n{detail}\n\nSubmit it here: {link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "funding.return_overdue",
        "Monitoring return overdue",
        "Overdue (due {due}): {title}",
        "Dear {name},\n\n{detail}\n\nIt was due on {due}. Submit it here: {link}\n\n"
        "{partnership}\n",
    ),
    ReminderKind(
        "funding.evaluation_due",
        "Evaluation due",
        "Due on {due}: {title}",
        "Dear {name},\n\n{detail}\n\nThe annual evaluation is mandatory: a missing one "
        "endangers future funding. Submit it here: {link}\n\n{partnership}\n",
    ),
    ReminderKind(
        "funding.evaluation_overdue",
        "Evaluation overdue",
        "Overdue (due {due}): {title}",
        "Dear {name},\n\n{detail}\n\nIt was due on {due}; a missing evaluation endangers "
        "future funding. Submit it here: {link}\n\n{partnership}\n",
    ),
)


def _deciding_body_chair(bid: Bid) -> Any:
    from funding.deciders import approval_panel, partnership_chair

    stage = STAGE_OF_STATE[bid.state]
    if stage == Stage.DELIVERY_GROUP:
        return bid.delivery_group.chair
    if stage == Stage.OFFICE_HOLDERS:
        return partnership_chair(bid.partnership)
    panel = approval_panel(bid.partnership)
    return panel.chair if panel is not None else None


def bid_reminders(context: ReminderContext) -> list[Reminder]:
    """The reminder at N working days and the escalation at 2N of each waiting bid."""
    from funding.deciders import waiting_for

    by_pk = {p.pk: p for p in context.partnerships}
    if not by_pk:
        return []
    latest = Transition.objects.filter(bid=OuterRef("pk"), to_state=OuterRef("state")).order_by(
        "-at", "-pk"
    )
    # Nobody waits N working days in fewer than N calendar days: a cheap first cut.
    shortest = min(p.bid_reminder_working_days for p in by_pk.values())
    cutoff = timezone.make_aware(
        dt.datetime.combine(context.today - dt.timedelta(days=shortest - 1), dt.time.min)
    )
    bids = (
        Bid.objects.filter(fund__partnership__in=list(by_pk), state__in=DECIDING_STATES)
        .annotate(since=Subquery(latest.values("at")[:1]), step=Subquery(latest.values("pk")[:1]))
        .filter(since__lt=cutoff)
        .select_related("fund", "applicant", "applicant_organisation", "delivery_group__chair")
        .order_by("since", "pk")
    )
    found: list[Reminder] = []
    for bid in bids:
        partnership = by_pk[bid.fund.partnership_id]
        bid.fund.partnership = partnership  # one object per partnership: no query per bid
        days = partnership.bid_reminder_working_days
        arrived = timezone.localdate(bid.since)
        waited = working_days_between(arrived, context.today)
        if waited < days:
            continue
        waiting = waiting_for(bid)
        detail = (
            f"“{bid.title}” from {bid.applicant_organisation} asks for "
            f"£{bid.amount_requested:,.2f} from {bid.fund}. It has waited {waited} working "
            f"days ({bid.get_state_display().lower()} since {arrived:%-d %B %Y}) for: "
            f"{waiting.text}."
        )
        url = bid.get_absolute_url()
        found.append(
            Reminder(
                key=f"funding.bid_waiting:{bid.pk}:t{bid.step}",
                kind="funding.bid_waiting",
                partnership=partnership,
                recipients=people(waiting.people),
                title=f"Waiting for your decision: {bid.title}",
                url=url,
                detail=detail,
                due=add_working_days(arrived, days),
                overdue=True,
            )
        )
        if waited >= 2 * days:
            found.append(
                Reminder(
                    key=f"funding.bid_escalated:{bid.pk}:t{bid.step}",
                    kind="funding.bid_escalated",
                    partnership=partnership,
                    recipients=people(
                        [_deciding_body_chair(bid)],
                        context.people_with_role(partnership, Role.CLERK),
                    ),
                    title=f"Escalated, waiting {waited} working days: {bid.title}",
                    url=url,
                    detail=detail,
                    due=add_working_days(arrived, 2 * days),
                    overdue=True,
                )
            )
    return found


def _due_reminders(
    context: ReminderContext,
    items: Iterable[Any],
    what: str,
    kind: str,
    url_of: Callable[[Any, Any], str],
) -> list[Reminder]:
    by_pk = {p.pk: p for p in context.partnerships}
    found = []
    for item in items:
        bid = item.bid
        partnership = by_pk[bid.fund.partnership_id]
        overdue = item.due_date < context.today
        recipients = people(
            [bid.applicant],
            context.people_with_role(partnership, Role.ADMIN) if overdue else [],
        )
        stage = "overdue" if overdue else "due"
        found.append(
            Reminder(
                key=f"{kind}_{stage}:{item.pk}:{item.due_date:%Y%m%d}",
                kind=f"{kind}_{stage}",
                partnership=partnership,
                recipients=recipients,
                title=f"{what} {getattr(item, 'period', '')}".rstrip() + f": {bid.title}",
                url=url_of(partnership, item),
                detail=(
                    f"The {what.lower()} of “{bid.title}” ({bid.applicant_organisation}, "
                    f"{bid.fund}) is {'overdue' if overdue else 'due'}: it was due on "
                    f"{item.due_date:%-d %B %Y}."
                    if overdue
                    else f"The {what.lower()} of “{bid.title}” ({bid.applicant_organisation}, "
                    f"{bid.fund}) is due on {item.due_date:%-d %B %Y}."
                ),
                due=item.due_date,
                overdue=overdue,
            )
        )
    return found


def monitoring_reminders(context: ReminderContext) -> list[Reminder]:
    """Returns and evaluations of funded projects due within 30 days, or overdue."""
    horizon = context.today + dt.timedelta(days=DUE_SOON_DAYS)
    scope = {
        "bid__fund__partnership__in": context.partnerships,
        "bid__state": BidState.APPROVED,
        "submitted_at__isnull": True,
        "due_date__lte": horizon,
    }
    related = ("bid__fund", "bid__applicant", "bid__applicant_organisation")
    returns = MonitoringReturn.objects.filter(**scope).select_related(*related)
    evaluations = Evaluation.objects.filter(**scope).select_related(*related)
    return _due_reminders(
        context,
        returns,
        "Monitoring return",
        "funding.return",
        lambda p, item: reverse("funding:return_submit", args=[p.slug, item.bid_id, item.pk]),
    ) + _due_reminders(
        context,
        evaluations,
        "Evaluation",
        "funding.evaluation",
        lambda p, item: reverse("funding:evaluation_submit", args=[p.slug, item.bid_id]),
    )


def collect(context: ReminderContext) -> list[Reminder]:
    return bid_reminders(context) + monitoring_reminders(context)


SOURCE = ReminderSource("funding", collect, KINDS)
