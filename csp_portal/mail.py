"""Every e-mail the portal sends goes through `send_email`: it is queued as a task once
the transaction that decided it commits (nobody is told of a change then rolled back) and
sent by the worker, so a slow or absent mail server never holds up or undoes a page."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.db import transaction

logger = logging.getLogger(__name__)


def send_email(
    *,
    subject: str,
    body: str,
    to: Iterable[str],
    html: str | None = None,
    from_email: str | None = None,
    key: str | None = None,
) -> None:
    """Queue one e-mail to `to` (blank and repeated addresses dropped). `key` makes it
    idempotent: one e-mail per key, however often it is queued or retried (a reminder
    passes e.g. "reminder:bid:42:2026-12-01"); by default every call is its own e-mail."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    key = key or f"mail:{uuid.uuid4().hex}"
    transaction.on_commit(
        lambda: _enqueue(
            key=key, subject=subject, body=body, to=recipients, html=html, from_email=from_email
        )
    )


def _enqueue(**message) -> None:
    from csp_portal.tasks import send_email_task

    try:
        send_email_task.enqueue(**message)
    except Exception:  # the queue is down: the page's change stands; the log says who missed out
        logger.exception("could not queue the e-mail %r to %s", message["subject"], message["to"])
