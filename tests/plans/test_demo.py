"""The demo plans load from fixtures/demo/plans: 2017-2020 adopted, 2011-2014 superseded."""

import pytest
from django.test import Client
from django.urls import reverse

from csp_portal.demo import DEMO_DIR, load_core
from csp_portal.rag import Rag
from performance.models import CrimeCategory
from plans import demo, selectors
from plans.models import Action, ActionProgress, Plan, PlanStatus, PriorityReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def charnwood():
    partnership, _ = load_core(DEMO_DIR)
    # As the performance demo would: one category, so the loader links that measure.
    CrimeCategory.objects.create(partnership=partnership, code="ALL", name="All Crime")
    demo.load(partnership, DEMO_DIR)
    return partnership


def test_demo_loads_both_plans_their_action_plans_and_a_year_of_progress(charnwood):
    # One test for the whole load: the demo takes seconds to build, so it is built once.
    current = selectors.current_plan(charnwood)
    assert current.title == "Partnership Plan 2017-2020"
    assert str(current.first_year) == "2017/18" and str(current.last_year) == "2019/20"
    assert current.vision.startswith("To contribute to a high quality of life for all")
    assert current.overarching_aim.startswith("Enhance partnership working")
    assert [t.title for t in current.themes.all()] == [
        "Making Communities Safer",
        "Protecting Vulnerable People",
        "Improving Community Confidence, Engagement and Cohesion",
    ]
    assert list(current.priorities.values_list("number", flat=True)) == list(range(1, 9))
    assert current.priorities.get(number=1).measures.count() >= 6
    old = Plan.objects.get(partnership=charnwood, title="Partnership Plan 2011-2014")
    assert old.status == PlanStatus.SUPERSEDED
    assert Action.objects.filter(priority__plan=current).count() >= 16
    quarters = set(
        ActionProgress.objects.filter(action__priority__plan=current).values_list(
            "financial_year", "quarter"
        )
    )
    assert {(int(y), q) for y, q in quarters} == {(2017, 1), (2017, 2), (2017, 3), (2017, 4)}
    assert PriorityReport.objects.filter(priority__plan=current).count() == 32
    old = Plan.objects.get(partnership=charnwood, status=PlanStatus.SUPERSEDED)
    assert ActionProgress.objects.filter(action__priority__plan=old).count() >= 16

    # Measures link to the categories that exist and the rest stay unlinked indicators.
    priority = selectors.current_plan(charnwood).priorities.get(number=1)
    all_crime = priority.measures.get(name="All Crime")
    burglary = priority.measures.get(name="Domestic burglary")
    assert all_crime.crime_category.name == "All Crime"
    assert burglary.crime_category is None  # no "Burglary – Residential" here: not linked

    # The plan page opens at the last quarter reported on, with ratings that follow.
    (status,) = [
        s
        for s in selectors.priority_statuses(current, selectors.default_quarter(current))
        if s.priority.number == 2
    ]
    assert str(status.quarter) == "Q4 2017/18"
    assert status.rag in (Rag.RED, Rag.AMBER)
    client = Client()
    client.force_login(current.priorities.get(number=2).lead_person)
    page = client.get(reverse("plans:plan", args=[charnwood.slug, current.pk])).content.decode()
    assert "Priority 8: Reduce the level of fear of crime and ASB" in page


def test_loading_twice_changes_nothing(charnwood):
    counts = (Plan.objects.count(), Action.objects.count(), ActionProgress.objects.count())
    demo.load(charnwood, DEMO_DIR)
    assert (Plan.objects.count(), Action.objects.count(), ActionProgress.objects.count()) == counts
