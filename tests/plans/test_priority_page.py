"""The priority page is the golden thread: live figures, actions, reports, linked records."""

import datetime as dt

import pytest
from django.urls import reverse

from csp_portal import extension_points
from csp_portal.extension_points import PriorityLink
from csp_portal.financial_year import FinancialYear, Quarter
from plans import progress, services
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


@pytest.fixture
def priority(partnership, officer):
    plan = adopted_plan(partnership)
    theme = ThemeFactory(plan=plan, number=1, title="Making Communities Safer")
    priority = PriorityFactory(plan=plan, theme=theme, number=1, title="Reduce All Crime")
    burglary = CategoryFactory(partnership=partnership, name="Burglary – Residential")
    MeasureFactory(priority=priority, name="Domestic burglary", crime_category=burglary)
    figure(partnership, burglary, 2016, 1, 596)
    figure(partnership, burglary, 2017, 1, 721)
    action = ActionFactory(priority=priority, number=1, key_action="Crime Control Strategy")
    progress.record_progress(
        action=action,
        quarter=Quarter(FinancialYear(2017), 1),
        status="off_track",
        commentary="Burglary rising in Beat 61",
        user=officer,
    )
    return priority


def _url(priority, quarter="2017-1"):
    return (
        reverse("plans:priority", args=[priority.plan.partnership.slug, priority.pk])
        + f"?quarter={quarter}"
    )


def test_priority_page_shows_live_figures_and_rating_words(client_for, board_member, priority):
    page = client_for(board_member).get(_url(priority)).content.decode()
    assert ">596<" in page and ">721<" in page
    assert "+21.0%" in page  # (721 − 596) / 596
    assert '<span class="rag rag-red">Red</span>' in page
    assert "Burglary rising in Beat 61" in page
    assert page.count("<h1") == 1
    assert "<caption>" in page and 'scope="col"' in page


def test_new_figures_show_without_any_copying(client_for, board_member, partnership, priority):
    burglary = priority.measures.get().crime_category
    figure(partnership, burglary, 2016, 2, 600)
    figure(partnership, burglary, 2017, 2, 500)
    page = client_for(board_member).get(_url(priority, "2017-2")).content.decode()
    assert ">1,196<" in page and ">1,221<" in page  # Q1+Q2 each year
    assert "+2.1%" in page


def test_links_registered_by_other_apps_appear(client_for, board_member, priority):
    def provider(p):
        if p.pk == priority.pk:
            yield PriorityLink(
                "Funded bid", "Target hardening kits", "/bids/7/", dt.date(2017, 6, 1)
            )

    extension_points.register_priority_links(provider)
    try:
        page = client_for(board_member).get(_url(priority)).content.decode()
    finally:
        extension_points.registry.priority_links.remove(provider)
    assert "Funded bid" in page and 'href="/bids/7/"' in page


def test_links_of_the_earlier_version_follow_the_priority(client_for, board_member, priority):
    old = priority
    draft = services.start_review(plan=old.plan)
    services.adopt(plan=draft)
    new = draft.priorities.get()

    def provider(p):
        if p.pk == old.pk:
            yield PriorityLink("Agenda item", "Burglary update to the Board", "/items/3/")

    extension_points.register_priority_links(provider)
    try:
        page = client_for(board_member).get(_url(new, "2018-1")).content.decode()
    finally:
        extension_points.registry.priority_links.remove(provider)
    assert "Burglary update to the Board" in page


def test_priority_page_query_count_does_not_grow_with_measures(
    client_for, board_member, partnership, priority, django_assert_max_num_queries
):
    for n in range(10):
        category = CategoryFactory(partnership=partnership, name=f"Category {n}")
        MeasureFactory(priority=priority, name=f"Measure {n}", crime_category=category)
        MeasureFactory(priority=priority, name=f"Indicator {n}", target_change_pct=None)
        ActionFactory(priority=priority)
    client = client_for(board_member)
    with django_assert_max_num_queries(20):
        assert client.get(_url(priority)).status_code == 200


def test_plan_page_query_count_is_bounded(
    client_for, board_member, partnership, priority, django_assert_max_num_queries
):
    plan = priority.plan
    for number in range(2, 10):
        p = PriorityFactory(plan=plan, theme=priority.theme, number=number)
        MeasureFactory(priority=p, crime_category=priority.measures.get().crime_category)
        ActionFactory(priority=p)
    client = client_for(board_member)
    url = reverse("plans:plan", args=[partnership.slug, plan.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert page.count('class="rag rag-') >= 9


def test_unwritten_sections_of_a_priority_say_so(client_for, board_member, priority):
    # The factory writes "why" and "aims" but no approach or measures of success: their
    # headings used to stand over an empty list.
    page = client_for(board_member).get(_url(priority)).content.decode()
    section = page[page.index('id="text-heading"') :]
    assert "<ul></ul>" not in section
    assert section.count("Not written yet.") == 2
    assert "<li>A reduction in Total Crime</li>" in section
