"""Passwords of 12+ characters, not common, not like the user's details; the reset page
throttled per address and per e-mail, its link absolute (SITE_URL)."""

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from csp_portal.models import PasswordResetRequest
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def change_password(client, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short-pass1", "at least 12 characters"),  # 11 characters
        ("password1234", "too common"),
        ("partnerexample", "too similar"),  # like the e-mail address
    ],
)
def test_a_weak_new_password_is_refused(client_for, partner, new, message):
    client = client_for(partner)
    response = change_password(client, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)


def test_the_demo_password_is_long_enough(client_for, partner):
    assert change_password(client_for(partner), "csp-demo-2026").status_code == 302


def ask_reset(client: Client, email: str):
    # The e-mail is queued when the request's transaction commits (csp_portal.mail).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


def test_the_reset_link_is_absolute(client, partner, settings):
    settings.SITE_URL = "https://csp.example.org"
    assert ask_reset(client, partner.email).status_code == 302
    assert "https://csp.example.org/accounts/reset/" in mail.outbox[0].body


def test_resets_for_one_e_mail_address_are_throttled(partner, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    for n in range(3):  # from three different addresses
        assert ask_reset(Client(REMOTE_ADDR=f"192.0.2.{n}"), partner.email).status_code == 302
    response = ask_reset(Client(REMOTE_ADDR="192.0.2.50"), partner.email.upper())
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == 3


def test_resets_from_one_address_are_throttled_whoever_is_asked_for(partner, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 5
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 100
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        assert ask_reset(client, f"nobody{n}@example.org").status_code == 302
    assert ask_reset(client, partner.email).status_code == 429
    assert mail.outbox == []
    assert ask_reset(Client(REMOTE_ADDR="198.51.100.1"), partner.email).status_code == 302
    assert len(mail.outbox) == 1


def test_old_requests_stop_counting(partner, settings):
    import datetime as dt

    from django.utils import timezone

    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 1
    assert ask_reset(Client(), partner.email).status_code == 302
    PasswordResetRequest.objects.update(requested_at=timezone.now() - dt.timedelta(hours=2))
    assert ask_reset(Client(), partner.email).status_code == 302
