"""Every funding page renders for the demo people, at every stage of a bid."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from freezegun import freeze_time

from csp_portal.demo import load_core
from funding import demo
from funding.models import Bid, Fund

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


@pytest.fixture
def demo_partnership():
    partnership, _ = load_core(DEMO)
    demo.load(partnership, DEMO)
    return partnership


@pytest.mark.parametrize("username", ["partner", "dgchair", "designated", "board", "clerk"])
def test_pages_render_for_each_demo_person(demo_partnership, client_for, username):
    user = get_user_model().objects.get(username=username)
    client = client_for(user)
    slug = demo_partnership.slug
    index = client.get(reverse("funding:index", args=[slug]))
    assert index.status_code == 200
    assert index.content.decode().count("<h1") == 1
    for bid in Bid.objects.all():
        response = client.get(reverse("funding:bid", args=[slug, bid.pk]))
        assert response.status_code in {200, 404}, (username, bid.title)
        if response.status_code == 200:
            page = response.content.decode()
            assert page.count("<h1") == 1 and "Waiting for:" in page
    home = client.get(reverse("home"))
    assert home.status_code == 200


def test_dgchair_waits_on_the_submitted_bid_not_the_panel_bids_they_supported(
    demo_partnership, client_for
):
    """The Delivery Group chair sits on the Strategic Group (the demo's approval panel)
    but supported the bus and the leaflets at the group: the panel's decision is not
    theirs. The Performance Officer, on the panel too, waits on both."""
    page = client_for(get_user_model().objects.get(username="dgchair")).get(reverse("home"))
    text = page.content.decode()
    assert "Arson reduction in Loughborough East" in text  # as Delivery Group chair
    assert "Community Safety Bus in priority neighbourhoods" not in text
    assert "Bonfire night leaflet drop" not in text
    page = client_for(get_user_model().objects.get(username="officer")).get(reverse("home"))
    text = page.content.decode()
    assert "Community Safety Bus in priority neighbourhoods" in text  # as panel member
    assert "Bonfire night leaflet drop" in text  # rejection referred to the panel


def test_partner_home_shows_overdue_returns_and_the_bid_to_revise(client_for):
    """Loaded on 1 December, the funded project's Q2 return (due 31 October) is overdue
    and Q3's is due next month (the demo's returns follow the day it is loaded)."""
    with freeze_time("2026-12-01"):
        partnership, _ = load_core(DEMO)
        demo.load(partnership, DEMO)
        page = client_for(get_user_model().objects.get(username="partner")).get(reverse("home"))
    text = page.content.decode()
    assert "Revise and resubmit: Youth diversion boxing programme" in text
    assert "Overdue:" in text
    assert "Monitoring return Q3 2026/27: Detached youth outreach" in text


def test_bid_page_query_count_is_bounded(
    demo_partnership, client_for, django_assert_max_num_queries
):
    bid = Bid.objects.get(title="Detached youth outreach in Loughborough town centre")
    client = client_for(get_user_model().objects.get(username="board"))
    with django_assert_max_num_queries(25):
        response = client.get(bid.get_absolute_url())
    assert response.status_code == 200


def test_fund_pages_render_for_the_board(demo_partnership, client_for):
    client = client_for(get_user_model().objects.get(username="board"))
    for fund in Fund.objects.all():
        page = client.get(fund.get_absolute_url())
        assert page.status_code == 200 and "Total" in page.content.decode()
