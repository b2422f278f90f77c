"""Notification e-mails link to the portal's full address (SITE_URL), not a bare path
that a mail reader cannot open."""

import pytest
from django.core import mail

from funding import workflow

pytestmark = pytest.mark.django_db


def test_a_bid_waiting_e_mail_links_to_site_url(cast, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://csp.example.org"
    bid = cast.bid()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(bid=bid, by=cast.applicant)
    (message,) = mail.outbox
    assert f"https://csp.example.org{bid.get_absolute_url()}" in message.body
