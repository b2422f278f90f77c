"""The demo partnership loads from fixtures/, twice without change, and not in production."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from csp_portal.demo import DEMO_PASSWORD
from csp_portal.models import Body, Membership, OfficeHolder, Partnership

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")


def test_load_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (Partnership.objects.count(), Body.objects.count(), Membership.objects.count())
    call_command("load_demo")
    assert (Partnership.objects.count(), Body.objects.count(), Membership.objects.count()) == counts


def test_demo_has_charnwood_with_its_bodies_and_office_holders(settings):
    call_command("load_demo", "--force")
    # The demo's bids pass through decisions, but its fictional people are never e-mailed.
    assert mail.outbox == []
    charnwood = Partnership.objects.get(slug="charnwood")
    assert charnwood.ons_code == "E22000165"
    names = set(charnwood.bodies.values_list("name", flat=True))
    assert {"Strategic Group", "Joint Action Group", "Loughborough Central Delivery Group"} <= names
    offices = set(
        OfficeHolder.objects.filter(partnership=charnwood).values_list("office", flat=True)
    )
    assert offices == {"chair", "vice_chair", "designated_officer"}
    board = charnwood.bodies.get(slug="board")
    assert board.default_venue == "Committee Room 1, Council Offices, Southfields, Loughborough"


@pytest.mark.parametrize("username", ["officer", "clerk", "board", "partner", "admin"])
def test_demo_logins_work(settings, username):
    call_command("load_demo", "--force")
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert Client().get("/").status_code == 302  # a fresh client is still anonymous
    assert client.get("/p/charnwood/").status_code == 200
