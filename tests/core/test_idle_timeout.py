"""An idle session ends after SESSION_IDLE_TIMEOUT; the sign-in page then returns to the
page; the warning's "Stay signed in" renews it; pages carry the warning's settings and
its script, not an inline one."""

import time

import pytest
from django.urls import reverse

from csp_portal.idle_timeout import LAST_SEEN
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_for_30_minutes_is_signed_out_and_returns_after_sign_in(
    client_for, partner, partnership, settings
):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client = client_for(partner)
    page = f"/p/{partnership.slug}/"
    assert client.get(page).status_code == 200
    idle_for(client, 30 * 60 + 1)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page}"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in login_page
    again = client.post(
        response["Location"], {"username": "partner", "password": PASSWORD, "next": page}
    )
    assert again["Location"] == page


def test_activity_within_the_timeout_keeps_the_session(client_for, partner, partnership):
    client = client_for(partner)
    client.get("/")
    idle_for(client, 29 * 60)
    assert client.get(f"/p/{partnership.slug}/").status_code == 200


def test_stay_signed_in_renews_the_session(client_for, partner, settings):
    client = client_for(partner)
    client.get("/")
    idle_for(client, 29 * 60)
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 200 and response.json()["expires_in"] == 30 * 60
    assert int(time.time()) - client.session[LAST_SEEN] < 5
    assert settings.SESSION_COOKIE_AGE <= 31 * 60  # not 14 days


def test_signed_in_pages_carry_the_warning_settings_and_script(client_for, partner):
    html = client_for(partner).get("/").content.decode()
    assert 'data-idle-timeout="1800"' in html and 'data-idle-warning="120"' in html
    assert f'data-keep-alive-url="{reverse("keep_alive")}"' in html
    assert "js/session-timeout.js" in html
    assert "<script>" not in html
