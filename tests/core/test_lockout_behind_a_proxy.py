"""django-axes behind the reverse proxy: the client's address comes from the proxy's
X-Forwarded-For (TRUSTED_PROXY_COUNT proxies trusted), and a lock-out holds for one user
from one address: five wrong passwords from an attacker do not lock the real user out."""

import pytest
from django.test import Client
from django.urls import reverse

from csp_portal.client_address import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def through_proxy(client_address: str, forged: str = "") -> Client:
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def sign_in(client: Client, password: str):
    return client.post(reverse("login"), {"username": "partner", "password": password})


@pytest.fixture(autouse=True)
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_an_attacker_elsewhere_does_not_lock_the_real_user_out(partner, settings):
    attacker = through_proxy("203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "wrong")
    assert sign_in(attacker, PASSWORD).status_code == 429  # the attacker is locked out
    real_user = through_proxy("198.51.100.7")
    response = sign_in(real_user, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_forged_forwarded_header_does_not_dodge_the_lock_out(partner, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt claims another address; the proxy appends the real one.
        sign_in(through_proxy("203.0.113.66", forged=f"192.0.2.{attempt}"), "wrong")
    assert sign_in(through_proxy("203.0.113.66", forged="192.0.2.99"), PASSWORD).status_code == 429


def test_the_client_address_is_the_one_the_trusted_proxies_vouch_for(rf, settings):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert client_ip(request) == "1.1.1.1"
    short = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(short) == PROXY  # it did not come through both proxies
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY  # no proxy trusted: the header is ignored


def test_garbage_in_the_header_falls_back_to_the_socket_address(rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(request) == PROXY
