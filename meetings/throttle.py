"""A per-address limit on anonymous requests for the public PDFs.

The public packs and minutes are files frozen at publication, so serving one is cheap;
the limit stops a handful of anonymous clients looping on them from taking the server's
workers away from everyone else. Signed-in members are not limited. Counts are kept in
Django's cache (Redis with REDIS_URL, so every server counts together; else the machine's
shared file cache), in fixed windows; the client's address is the one django-axes uses,
which honours the configured count of trusted proxies (AXES_IPWARE_PROXY_COUNT). Settings:
`PUBLIC_PDF_RATE` (requests per window, default 30) and `PUBLIC_PDF_WINDOW` (seconds,
default 60).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "PUBLIC_PDF_RATE", 30)),
        int(getattr(settings, "PUBLIC_PDF_WINDOW", 60)),
    )


def over_limit(request: HttpRequest) -> int:
    """0 when the request may go ahead, else the seconds until the window ends."""
    rate, window = _limits()
    now = int(time.time())
    start = now - now % window
    key = f"public-pdf:{get_client_ip_address(request) or 'unknown'}:{start}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 1)
            count = 1
    return 0 if count <= rate else max(1, start + window - now)


def throttle_anonymous(view: Callable) -> Callable:
    """Answer 429 (with Retry-After) to an anonymous client past its limit."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            wait = over_limit(request)
            if wait:
                response = HttpResponse(
                    "Too many requests for documents from your address; please try again "
                    f"in {wait} seconds.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapper
