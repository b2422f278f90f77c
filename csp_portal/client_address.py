"""The client's address behind the documented reverse proxy.

Each trusted proxy appends the address it received the request from to
X-Forwarded-For, so with N trusted proxies the client is the N-th entry from the right;
anything further left was written by the client and may be forged. With no trusted
proxy (the default) the header is ignored and the socket's address is the client's.
django-axes (lock-out by user and address) and the password-reset throttle both ask here.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request, as far as the trusted proxies vouch."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # the request did not come through every trusted proxy
    candidate = forwarded[-count]
    return candidate if _valid(candidate) else remote
