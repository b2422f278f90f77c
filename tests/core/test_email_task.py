"""Every e-mail is sent by one task, queued when the transaction that decided it commits,
and sent once per key however often it runs."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from csp_portal.mail import send_email
from csp_portal.models import SentEmail
from csp_portal.tasks import send_email_task

pytestmark = pytest.mark.django_db


def test_an_email_is_sent_by_the_task_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            subject="Hello",
            body="Text",
            html="<p>Text</p>",
            to=["b@example.org", "a@example.org", "", "a@example.org"],
        )
        assert mail.outbox == []  # not before the commit
    (message,) = mail.outbox
    assert message.to == ["a@example.org", "b@example.org"]
    assert message.alternatives[0][0] == "<p>Text</p>"
    assert SentEmail.objects.get().recipients == "a@example.org, b@example.org"


def test_an_email_of_a_rolled_back_transaction_is_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                send_email(subject="Decision", body="Approved", to=["a@example.org"])
                raise RuntimeError("the decision failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_the_same_key_is_sent_once_however_often_the_task_runs():
    message = {
        "key": "reminder:bid:42",
        "subject": "Reminder",
        "body": "…",
        "to": ["a@example.org"],
    }
    assert send_email_task.call(**message) == "sent"
    assert send_email_task.call(**message) == "already sent"
    assert len(mail.outbox) == 1


def test_a_failed_send_records_nothing_so_a_retry_sends(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    message = {"key": "k-1", "subject": "Minutes", "body": "…", "to": ["a@example.org"]}
    with pytest.raises(OSError):
        send_email_task.call(**message)
    assert not SentEmail.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_email_task.call(**message) == "sent"
    assert len(mail.outbox) == 1


def test_the_password_reset_email_goes_through_the_task(
    client, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": partner.email})
    assert SentEmail.objects.get().recipients == partner.email
    assert "/accounts/reset/" in mail.outbox[0].body
