"""After approval: the quarterly monitoring returns and the mandatory annual evaluation.

A funded project returns a monitoring form for each quarter of its fund's year from
the quarter it was approved in, due by the end of the month after the quarter; the
annual evaluation is due by 31 May after the fund's year ends (seed 000: "Annual
evaluation of projects funded by the CSP is mandatory").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Organisation, Partnership
from funding import access
from funding.models import Bid, BidState, Evaluation, MonitoringReturn


def return_due_date(quarter: Quarter) -> dt.date:
    """The last day of the month after the quarter ends."""
    first = quarter.next.start
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def evaluation_due_date(year: FinancialYear) -> dt.date:
    return dt.date(year.start_year + 1, 5, 31)


def schedule_for(bid: Bid, approved_on: dt.date | None = None) -> list[MonitoringReturn]:
    """Create the bid's monitoring returns and evaluation (idempotent)."""
    approved_on = approved_on or timezone.localdate()
    year = bid.fund.year
    first = max(Quarter.for_date(approved_on), year.quarter(1))
    quarters = [q for q in year.quarters if q >= first] or [Quarter.for_date(approved_on)]
    returns = []
    for quarter in quarters:
        found, _ = MonitoringReturn.objects.get_or_create(
            bid=bid, period=str(quarter), defaults={"due_date": return_due_date(quarter)}
        )
        returns.append(found)
    Evaluation.objects.get_or_create(
        bid=bid, defaults={"due_date": max(evaluation_due_date(year), returns[-1].due_date)}
    )
    return returns


def returns_due(partnership: Partnership, today: dt.date | None = None) -> dict[str, list]:
    """Outstanding returns of approved bids: `overdue` (past due) and `due` (next 31 days)."""
    today = today or timezone.localdate()
    outstanding = (
        MonitoringReturn.objects.filter(
            bid__fund__partnership=partnership,
            bid__state=BidState.APPROVED,
            submitted_at__isnull=True,
            due_date__lte=today + dt.timedelta(days=31),
        )
        .select_related("bid__applicant_organisation", "bid__fund")
        .order_by("due_date", "bid__title")
    )
    rows = list(outstanding)
    return {
        "overdue": [r for r in rows if r.due_date < today],
        "due": [r for r in rows if r.due_date >= today],
    }


def missing_evaluations(
    organisation: Organisation | int, today: dt.date | None = None
) -> QuerySet[Evaluation]:
    """Evaluations of the organisation's (or the organisation id's) funded projects that
    are past due and not in."""
    today = today or timezone.localdate()
    return Evaluation.objects.filter(
        bid__applicant_organisation=organisation,
        submitted_at__isnull=True,
        due_date__lt=today,
    ).select_related("bid__fund")


def open_items_for_applicant(user, today: dt.date | None = None) -> QuerySet[MonitoringReturn]:
    today = today or timezone.localdate()
    org = access.organisation_id(user)
    who = Q(bid__applicant=user) | (Q(bid__applicant_organisation_id=org) if org else Q())
    return (
        MonitoringReturn.objects.filter(who, submitted_at__isnull=True, bid__state="approved")
        .filter(due_date__lte=today + dt.timedelta(days=31))
        .select_related("bid__fund__partnership")
    )


@transaction.atomic
def submit_return(
    *, monitoring_return: MonitoringReturn, by, progress: str, spend_to_date: Decimal, outcomes: str
) -> MonitoringReturn:
    item = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
    if item.submitted_at:
        raise ValidationError(f"The return for {item.period} was already submitted.")
    if not progress.strip():
        raise ValidationError({"progress": "Describe the progress made this quarter."})
    item.progress, item.spend_to_date, item.outcomes = progress.strip(), spend_to_date, outcomes
    item.submitted_at, item.submitted_by = timezone.now(), by
    item.save()
    return item


@transaction.atomic
def submit_evaluation(
    *, evaluation: Evaluation, by, summary: str, outcomes: str, mainstreaming: str
) -> Evaluation:
    item = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if item.submitted_at:
        raise ValidationError("The evaluation was already submitted.")
    if not summary.strip() or not mainstreaming.strip():
        raise ValidationError("Give a summary and say whether the project could be mainstreamed.")
    item.summary, item.outcomes, item.mainstreaming = summary, outcomes, mainstreaming
    item.submitted_at, item.submitted_by = timezone.now(), by
    item.save()
    return item
