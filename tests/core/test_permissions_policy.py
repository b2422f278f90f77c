"""Every response says which browser features the portal never uses."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_every_response_carries_a_permissions_policy(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
