"""A priority lead's home page says which quarterly update is due."""

import datetime as dt

import pytest
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from plans import progress
from plans.home import due_updates
from plans.lead_reports import report_due_date, reports_due
from tests.plans.factories import ActionFactory, PriorityFactory, ThemeFactory, adopted_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 1, 10)  # Q3 2017/18 (Oct–Dec) has just ended


@pytest.fixture
def priority(partnership, partner):
    plan = adopted_plan(partnership)
    priority = PriorityFactory(
        plan=plan, theme=ThemeFactory(plan=plan), number=2, lead_person=partner
    )
    ActionFactory(priority=priority)
    ActionFactory(priority=priority)
    return priority


def test_lead_sees_the_update_for_the_quarter_just_ended(priority, partner):
    (due,) = reports_due(partner, today=TODAY)
    assert due.quarter == Quarter(FinancialYear(2017), 3)
    assert due.report_missing and due.actions_without_progress == 2
    assert due.due == dt.date(2018, 1, 31)


def test_nothing_due_once_report_and_progress_are_in(priority, partner):
    quarter = Quarter(FinancialYear(2017), 3)
    for action in priority.actions.all():
        progress.record_progress(
            action=action, quarter=quarter, status="on_track", commentary="", user=partner
        )
    progress.submit_report(
        priority=priority, quarter=quarter, successes="a", threats="b", user=partner
    )
    assert reports_due(partner, today=TODAY) == []


def test_nothing_due_from_someone_who_leads_nothing(priority, board_member):
    assert reports_due(board_member, today=TODAY) == []


def test_last_quarter_is_due_then_nothing_once_the_plan_has_ended(priority, partner):
    (due,) = reports_due(partner, today=dt.date(2020, 5, 1))
    assert due.quarter == Quarter(FinancialYear(2019), 4)  # the plan's last quarter
    assert reports_due(partner, today=dt.date(2020, 7, 1)) == []  # Q1 2020/21 is not in it


def test_due_date_is_end_of_following_month_across_the_year_end():
    assert report_due_date(Quarter(FinancialYear(2017), 4)) == dt.date(2018, 4, 30)
    assert report_due_date(Quarter(FinancialYear(2017), 3)) == dt.date(2018, 1, 31)


def test_home_page_lists_the_due_update(client_for, partnership, partner):
    # A plan in force today, so the real home page (which uses today's date) shows it.
    this_year = FinancialYear.current()
    plan = adopted_plan(partnership, first_year=this_year.previous, last_year=this_year.next)
    priority = PriorityFactory(
        plan=plan, theme=ThemeFactory(plan=plan), number=2, lead_person=partner
    )
    ActionFactory(priority=priority)
    ActionFactory(priority=priority)
    quarter = Quarter.latest_complete()
    (entry,) = due_updates(partner)
    param = f"{quarter.financial_year.start_year}-{quarter.number}"
    assert entry.url.endswith(f"/plans/priorities/{priority.pk}/update/?quarter={param}")
    page = client_for(partner).get(reverse("home")).content.decode()
    assert "Quarterly updates on plan priorities" in page
    assert f"{quarter} update on Priority 2: {priority.title}" in page
    assert "progress on 2 actions" in page
