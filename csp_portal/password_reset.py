"""The password-reset page, throttled, with links to SITE_URL.

Every request is counted (whether or not an account has that e-mail address, so the
answer says nothing about who has an account): more than PASSWORD_RESET_LIMIT_PER_ADDRESS
from one client address, or PASSWORD_RESET_LIMIT_PER_EMAIL for one e-mail address, within
PASSWORD_RESET_WINDOW_MINUTES is refused (429) and sends nothing. Counts are rows in the
database, so every server process sees the same ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from csp_portal.client_address import client_ip
from csp_portal.models import PasswordResetRequest


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def record_and_check(*, address: str | None, email: str) -> bool:
    """Count this request; True when it is within both limits."""
    now = timezone.now()
    since = now - dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    digest = _digest(email)
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=now - dt.timedelta(days=1)).delete()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
        from_address = recent.filter(client_address=address).count() if address else 0
        for_email = recent.filter(email_digest=digest).count()
        PasswordResetRequest.objects.create(client_address=address or None, email_digest=digest)
    return (
        from_address < settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        and for_email < settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    )


class PasswordResetView(auth_views.PasswordResetView):
    @property
    def extra_email_context(self) -> dict:  # read by PasswordResetView.form_valid
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form) -> HttpResponse:
        address = client_ip(self.request) or None
        if not record_and_check(address=address, email=form.cleaned_data["email"]):
            form.add_error(
                None,
                "Too many password reset requests: no e-mail was sent. Try again in "
                f"{settings.PASSWORD_RESET_WINDOW_MINUTES} minutes, or ask your "
                "partnership's administrator.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
