"""The core's tasks, run by the worker (`python manage.py run_worker`)."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django_tasks import task

from csp_portal.models import SentEmail

logger = logging.getLogger(__name__)


@task()
def send_email_task(
    *,
    key: str,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    from_email: str | None = None,
) -> str:
    """Send one e-mail, once: the key is recorded in the same transaction as the sending,
    so a retry after a success finds it and sends nothing, and a failure (the mail server
    down) records nothing, so the retry sends."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentEmail.objects.create(key=key, subject=subject[:300], recipients=", ".join(to))
        except IntegrityError:
            logger.info("e-mail %s was already sent; not sending it again", key)
            return "already sent"
        message = EmailMultiAlternatives(subject, body, from_email, to)
        if html:
            message.attach_alternative(html, "text/html")
        try:
            message.send(fail_silently=False)
        except OSError:  # smtplib's errors and refused connections are all OSErrors
            logger.error("could not e-mail %s about %r", ", ".join(to), subject)
            raise  # the task fails (and may be retried); the key is not recorded
    return "sent"
