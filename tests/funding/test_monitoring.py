"""Quarterly returns on a schedule, due and overdue lists, and missing evaluations flagged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from csp_portal.financial_year import FinancialYear, Quarter
from funding import monitoring, workflow
from funding.models import Outcome
from tests.funding import deciding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quarter", "due"),
    [
        (Quarter(FinancialYear(2022), 1), dt.date(2022, 7, 31)),
        (Quarter(FinancialYear(2022), 3), dt.date(2023, 1, 31)),
        (Quarter(FinancialYear(2022), 4), dt.date(2023, 4, 30)),
    ],
)
def test_a_return_is_due_at_the_end_of_the_month_after_the_quarter(quarter, due):
    assert monitoring.return_due_date(quarter) == due


def _approved(cast, amount="1500.00"):
    bid = cast.supported(amount)
    return deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)


def test_schedule_runs_from_the_approval_quarter_to_the_years_end(cast):
    bid = _approved(cast)
    returns = monitoring.schedule_for(bid, approved_on=dt.date(2022, 9, 30))
    assert [r.period for r in returns] == ["Q2 2022/23", "Q3 2022/23", "Q4 2022/23"]
    assert bid.evaluation.due_date >= dt.date(2023, 5, 31)


def test_approved_on_31_march_and_1_april_fall_in_different_years(cast):
    bid = _approved(cast)
    on_31_march = monitoring.schedule_for(bid, approved_on=dt.date(2023, 3, 31))
    assert [r.period for r in on_31_march][0] == "Q4 2022/23"
    assert Quarter.for_date(dt.date(2023, 4, 1)).financial_year == FinancialYear(2023)


def test_due_and_overdue_lists(cast):
    bid = _approved(cast)
    today = dt.date(2023, 1, 15)
    monitoring.schedule_for(bid, approved_on=dt.date(2022, 7, 1))
    lists = monitoring.returns_due(cast.partnership, today=today)
    assert [r.period for r in lists["overdue"]] == ["Q2 2022/23"]
    assert [r.period for r in lists["due"]] == ["Q3 2022/23"]


def test_a_submitted_return_leaves_the_lists(cast):
    bid = _approved(cast)
    monitoring.schedule_for(bid, approved_on=dt.date(2022, 7, 1))
    item = bid.returns.get(period="Q2 2022/23")
    monitoring.submit_return(
        monitoring_return=item,
        by=cast.applicant,
        progress="Going well",
        spend_to_date=Decimal("200.00"),
        outcomes="",
    )
    lists = monitoring.returns_due(cast.partnership, today=dt.date(2023, 1, 15))
    assert "Q2 2022/23" not in [r.period for r in lists["overdue"]]
    with pytest.raises(ValidationError, match="already submitted"):
        monitoring.submit_return(
            monitoring_return=item,
            by=cast.applicant,
            progress="Again",
            spend_to_date=Decimal("1"),
            outcomes="",
        )


def test_missing_evaluation_is_flagged_on_a_later_bid(cast, client_for, board_member):
    funded = _approved(cast)
    funded.evaluation.due_date = timezone.localdate() - dt.timedelta(days=1)
    funded.evaluation.save()
    later = cast.bid(title="Next year's project")
    workflow.submit(bid=later, by=cast.applicant)  # a draft is its organisation's alone
    page = client_for(board_member).get(later.get_absolute_url()).content.decode()
    assert "Flag: missing evaluation" in page and funded.title in page
    form = client_for(cast.applicant).get(reverse("funding:bid_new", args=[cast.partnership.slug]))
    assert "without their annual evaluation" in form.content.decode()


def test_submitted_evaluation_clears_the_flag(cast, client_for):
    funded = _approved(cast)
    funded.evaluation.due_date = timezone.localdate() - dt.timedelta(days=1)
    funded.evaluation.save()
    response = client_for(cast.applicant).post(
        reverse("funding:evaluation_submit", args=[cast.partnership.slug, funded.pk]),
        {"summary": "Met its targets.", "outcomes": "", "mainstreaming": "The council will."},
    )
    assert response.status_code == 302
    assert not monitoring.missing_evaluations(cast.organisation).exists()


def test_evaluation_without_mainstreaming_is_refused_and_kept(cast, client_for):
    funded = _approved(cast)
    response = client_for(cast.applicant).post(
        reverse("funding:evaluation_submit", args=[cast.partnership.slug, funded.pk]),
        {"summary": "Met its targets.", "outcomes": "", "mainstreaming": ""},
    )
    assert response.status_code == 200 and "Met its targets." in response.content.decode()
    funded.evaluation.refresh_from_db()
    assert funded.evaluation.submitted_at is None


def test_return_submitted_over_http(cast, client_for):
    funded = _approved(cast)
    item = funded.returns.first()
    response = client_for(cast.colleague).post(
        reverse("funding:return_submit", args=[cast.partnership.slug, funded.pk, item.pk]),
        {"progress": "Six sessions held", "spend_to_date": "300.00", "outcomes": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.spend_to_date == Decimal("300.00") and item.submitted_by == cast.colleague
