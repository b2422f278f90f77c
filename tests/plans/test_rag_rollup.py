"""A priority's RAG is the worst of its measures' and actions' ratings, from live figures."""

import datetime as dt
from decimal import Decimal

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.rag import Rag
from plans import progress, selectors
from plans.models import MeasureValue
from tests.plans.factories import (
    ActionFactory,
    CategoryFactory,
    MeasureFactory,
    PriorityFactory,
    ThemeFactory,
    adopted_plan,
    figure,
)

pytestmark = pytest.mark.django_db
Q2 = Quarter(FinancialYear(2017), 2)


@pytest.fixture
def plan(partnership):
    return adopted_plan(partnership)


@pytest.fixture
def priority(plan):
    return PriorityFactory(theme=ThemeFactory(plan=plan), plan=plan, number=1)


def _status(plan, priority, quarter=Q2):
    (status,) = selectors.priority_statuses(plan, quarter, [priority])
    return status


def test_crime_measure_takes_year_to_date_figures_from_performance(partnership, plan, priority):
    category = CategoryFactory(partnership=partnership, name="All Crime")
    MeasureFactory(priority=priority, crime_category=category, target_change_pct=Decimal("-3"))
    # 2016/17 Q1+Q2 = 7,124; 2017/18 Q1+Q2 = 7,475: +4.9%, seed 003's example.
    figure(partnership, category, 2016, 1, 3500)
    figure(partnership, category, 2016, 2, 3624)
    figure(partnership, category, 2017, 1, 3700)
    figure(partnership, category, 2017, 2, 3775)
    figure(partnership, category, 2017, 3, 9999)  # after the quarter asked for: not counted
    (result,) = _status(plan, priority).measures
    assert (result.previous, result.current) == (7124, 7475)
    assert result.change_display == "+4.9%"
    assert result.rag == Rag.RED  # 7.9 points worse than the −3% target, beyond tolerance 5


def test_reduction_meets_target_and_is_green(partnership, plan, priority):
    category = CategoryFactory(partnership=partnership, name="Robbery")
    MeasureFactory(priority=priority, crime_category=category, target_change_pct=0)
    figure(partnership, category, 2016, 1, 77)
    figure(partnership, category, 2017, 1, 47)
    (result,) = _status(plan, priority, Quarter(FinancialYear(2017), 1)).measures
    # Seed 001 printed −38.9% (truncated by hand); (47 − 77) / 77 is −38.96, so −39.0%.
    assert result.change_display == "−39.0%"
    assert result.rag == Rag.GREEN


def test_higher_is_better_indicator_uses_entered_value_against_target(plan, priority, officer):
    measure = MeasureFactory(
        priority=priority,
        name="Confidence that police and council tackle local issues",
        direction="higher",
        target_change_pct=None,
        target_value=Decimal("75"),
        unit="%",
    )
    progress.record_measure_value(measure=measure, quarter=Q2, value=Decimal("72.5"), user=officer)
    (result,) = _status(plan, priority).measures
    assert result.current == Decimal("72.50")
    assert result.rag == Rag.AMBER  # 2.5 short of 75: within 5% of the target


def test_priority_rag_is_the_worst_of_measures_and_actions(partnership, plan, priority, officer):
    category = CategoryFactory(partnership=partnership, name="Robbery")
    MeasureFactory(priority=priority, crime_category=category, target_change_pct=0)
    for year, count in ((2016, 100), (2017, 90)):  # a complete year to date each year
        figure(partnership, category, year, 1, count)
        figure(partnership, category, year, 2, count)
    on_track, at_risk = ActionFactory(priority=priority), ActionFactory(priority=priority)
    progress.record_progress(
        action=on_track, quarter=Q2, status="on_track", commentary="", user=officer
    )
    progress.record_progress(
        action=at_risk, quarter=Q2, status="at_risk", commentary="", user=officer
    )
    status = _status(plan, priority)
    assert [m.rag for m in status.measures] == [Rag.GREEN]
    assert status.rag == Rag.AMBER
    assert status.rag_summary == "1 amber, 2 green"

    progress.record_progress(
        action=on_track, quarter=Q2, status="off_track", commentary="", user=officer
    )
    assert _status(plan, priority).rag == Rag.RED


def test_not_started_and_missing_figures_are_grey_not_green(plan, priority, officer):
    action = ActionFactory(priority=priority)
    MeasureFactory(priority=priority, name="Number of PACT meetings", target_change_pct=0)
    progress.record_progress(
        action=action, quarter=Q2, status="not_started", commentary="", user=officer
    )
    status = _status(plan, priority)
    assert status.rag == Rag.GREY
    assert status.rag_summary == "2 grey"


def test_complete_counts_green(plan, priority, officer):
    action = ActionFactory(priority=priority)
    progress.record_progress(
        action=action, quarter=Q2, status="complete", commentary="", user=officer
    )
    assert _status(plan, priority).rag == Rag.GREEN


def test_action_rating_uses_latest_progress_up_to_the_quarter(plan, priority, officer):
    action = ActionFactory(priority=priority)
    q1, q3 = Quarter(FinancialYear(2017), 1), Quarter(FinancialYear(2017), 3)
    progress.record_progress(
        action=action, quarter=q1, status="off_track", commentary="", user=officer
    )
    progress.record_progress(
        action=action, quarter=q3, status="on_track", commentary="", user=officer
    )
    assert _status(plan, priority, Q2).rag == Rag.RED  # Q3's news is not yet known at Q2
    assert _status(plan, priority, q3).rag == Rag.GREEN


def test_indicator_change_target_compares_with_same_quarter_last_year(plan, priority):
    measure = MeasureFactory(
        priority=priority,
        name="Hate incidents reported",
        direction="higher",
        target_change_pct=Decimal("2.5"),
    )
    MeasureValue.objects.create(
        measure=measure, financial_year=FinancialYear(2016), quarter=2, value=40
    )
    MeasureValue.objects.create(
        measure=measure, financial_year=FinancialYear(2017), quarter=2, value=42
    )
    (result,) = _status(plan, priority).measures
    assert result.change_display == "+5.0%"
    assert result.rag == Rag.GREEN


def test_default_quarter_stays_inside_the_plan(plan):
    assert selectors.default_quarter(plan, dt.date(2026, 11, 23)) == Quarter(FinancialYear(2019), 4)
    assert selectors.default_quarter(plan, dt.date(2017, 7, 1)) == Quarter(FinancialYear(2017), 1)
    assert selectors.default_quarter(plan, dt.date(2018, 4, 1)) == Quarter(FinancialYear(2017), 4)
    assert selectors.default_quarter(plan, dt.date(2018, 3, 31)) == Quarter(FinancialYear(2017), 3)


def test_a_crime_measure_resting_on_a_quarter_without_its_total_is_incomplete_not_green(
    partnership, plan, priority
):
    category = CategoryFactory(partnership=partnership, name="All Crime")
    MeasureFactory(priority=priority, crime_category=category, target_change_pct=Decimal("-3"))
    # Q2 2017/18's total was never entered: the year to date is Q1 alone, a fall of 47%
    # that would read Green.
    figure(partnership, category, 2016, 1, 3500)
    figure(partnership, category, 2016, 2, 3624)
    figure(partnership, category, 2017, 1, 3700)
    status = _status(plan, priority)
    (result,) = status.measures
    assert not result.complete
    assert result.rag == Rag.GREY and result.change_display == "incomplete"
    assert status.rag == Rag.GREY
    assert status.rag_summary == "1 incomplete, not rated"
