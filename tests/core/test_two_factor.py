"""TOTP second factor: anyone may set up an authenticator app, after which signing in
needs its code; administrators (staff, superusers) must have one when
OTP_REQUIRED_FOR_ADMINS is on (the default whenever DEBUG is off)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def confirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client: Client, username: str, code: str = ""):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD, "otp_token": code}
    )


def test_anyone_can_set_up_an_authenticator_app(client_for, partner):
    client = client_for(partner)
    page = client.get(reverse("two_factor"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "Or type this key" in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]  # no inline script
    device = TOTPDevice.objects.get(user=partner, confirmed=False)
    response = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_does_not_turn_it_on(client_for, partner):
    client = client_for(partner)
    client.get(reverse("two_factor"))
    response = client.post(reverse("two_factor"), {"code": "000000"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=partner).confirmed


def test_with_a_device_signing_in_needs_the_code(client, partner):
    device = confirmed(partner)
    response = sign_in(client, "partner")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Enter the 6-digit code" in response.content.decode()
    response = sign_in(client, "partner", code_for(device))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused_and_guessing_is_slowed(client, partner):
    device = confirmed(partner)
    response = sign_in(client, "partner", "123456" if code_for(device) != "123456" else "654321")
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # django-otp's throttle: straight after a wrong code even the right one must wait.
    response = sign_in(client, "partner", code_for(device))
    assert response.status_code == 200 and "Too many wrong codes" in response.content.decode()


def test_without_a_device_the_password_is_enough(client, partner):
    assert sign_in(client, "partner").status_code == 302


def test_an_administrator_without_a_second_factor_reaches_no_page(client, staff_admin, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    assert sign_in(client, "staff").status_code == 302
    for path in ("/", "/admin/", "/admin/csp_portal/partnership/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("two_factor"))
    page = client.get(reverse("two_factor"))
    assert "Administrators must sign in with a second factor" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff_admin)
    client.post(reverse("two_factor"), {"code": code_for(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_an_administrator_with_a_device_signs_in_with_its_code(client, staff_admin, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    device = confirmed(staff_admin)
    assert sign_in(client, "staff").status_code == 200  # no code: refused
    assert sign_in(client, "staff", code_for(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_rule_is_on_by_default_when_debug_is_off():
    import subprocess
    import sys

    from tests.core.test_settings import ROOT

    script = "from django.conf import settings; print(settings.OTP_REQUIRED_FOR_ADMINS)"
    for debug, expected in (("0", "True"), ("1", "False")):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env={
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
                "DEBUG": debug,
                "SECRET_KEY": "x" * 60,
            },
            capture_output=True,
            text=True,
        )
        assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_the_account_page_links_to_the_set_up(client_for, partner):
    page = client_for(partner).get(reverse("password_change")).content.decode()
    assert f'href="{reverse("two_factor")}"' in page


def test_the_admin_signs_in_through_the_portals_page(client, staff_admin):
    response = client.get("/admin/login/?next=/admin/csp_portal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/csp_portal/"
    # Its own password-only form is gone: posting to it signs nobody in.
    client.post("/admin/login/", {"username": "staff", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
