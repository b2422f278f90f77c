"""Signing in, throttling repeated failures, password change and reset."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_correct_password_signs_in(client, partner):
    response = login(client, "partner", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_shows_the_form_again_with_an_error(client, partner):
    response = login(client, "partner", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, partner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "partner", "wrong")
    response = login(client, "partner", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, partner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "partner", "wrong")
    assert login(client, "partner", PASSWORD).status_code == 302


def test_logout_needs_post_and_signs_out(client, partner):
    client.force_login(partner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_works(client, partner):
    client.force_login(partner)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.check_password("a-new-long-passphrase-42")


def test_password_reset_sends_an_email_with_a_link(
    client, partner, django_capture_on_commit_callbacks
):
    # The e-mail is queued as a task when the request's work commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": partner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_csrf_is_enforced_on_login():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
