"""Idle sessions end: after SESSION_IDLE_TIMEOUT seconds without a request the user is
signed out, and the sign-in page brings them back to where they were.

The session records when it was last used (rewritten at most once a minute, so a busy
page does not write the session on every request); the cookie and the database row
expire on the same clock. static/js/session-timeout.js warns SESSION_IDLE_WARNING
seconds before the end and lets the user stay signed in (a POST to keep_alive); if the
session ends anyway it keeps what was typed in the page's forms and puts it back after
signing in again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

LAST_SEEN = "csp_last_seen"
#: How stale the recorded time may get before a request rewrites it.
TOUCH_EVERY = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - int(last) >= settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Sign in to carry on where you were.",
                )
            elif (
                last is None
                or now - int(last) >= TOUCH_EVERY
                or request.path == reverse("keep_alive")
            ):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def start_the_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """At sign-in (user_logged_in): the session was used now, so its first page need not
    write it again."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """Called by the warning's "Stay signed in": the middleware has just renewed it."""
    return JsonResponse({"expires_in": settings.SESSION_IDLE_TIMEOUT})


def context(request: HttpRequest) -> dict:
    """What base.html gives the warning script (signed-in pages only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_idle_warning": settings.SESSION_IDLE_WARNING,
    }
