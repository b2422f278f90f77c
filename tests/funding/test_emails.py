"""Who is e-mailed at each step: the people who act next, and the applicant with reasons."""

import logging
import socket

import pytest
from django.core import mail

from funding import workflow
from funding.models import Bid, BidState, Outcome
from tests.funding import deciding

pytestmark = pytest.mark.django_db


def test_submission_emails_the_group_but_not_the_applicant(
    cast, django_capture_on_commit_callbacks
):
    bid = cast.bid()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(bid=bid, by=cast.applicant)
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"dgchair@example.org", "dgmember@example.org"}
    assert "waiting for your decision" in mail.outbox[0].subject


def test_delegated_bid_emails_the_three_office_holders(cast, django_capture_on_commit_callbacks):
    bid = cast.bid("999.99")
    workflow.submit(bid=bid, by=cast.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    assert set(mail.outbox[0].to) == {
        "chair@example.org",
        "vicechair@example.org",
        "designated@example.org",
    }


def test_rejection_tells_the_applicant_the_reasons(cast, django_capture_on_commit_callbacks):
    bid = cast.bid()
    workflow.submit(bid=bid, by=cast.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.group_decide(
            bid=bid, by=cast.group_chair, outcome=Outcome.REJECT, reasons="Outside the criteria."
        )
    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert "rejected" in message.subject and "Outside the criteria." in message.body


def test_panel_rejection_explains_to_the_group_chair(cast, django_capture_on_commit_callbacks):
    bid = cast.supported("2000.00")
    with django_capture_on_commit_callbacks(execute=True):
        deciding.panel_decide(
            bid=bid, by=cast.panel_member, outcome=Outcome.REJECT, reasons="Duplicated work."
        )
    to_chair = [m for m in mail.outbox if m.to == ["dgchair@example.org"]]
    assert to_chair and "Duplicated work." in to_chair[0].body


def test_approval_emails_the_applicant(cast, django_capture_on_commit_callbacks):
    bid = cast.supported("1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    assert [m.to for m in mail.outbox] == [["applicant@example.org"]]
    assert "approved" in mail.outbox[0].subject


def test_a_refused_step_sends_nothing(cast, django_capture_on_commit_callbacks):
    bid = cast.bid()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(workflow.TransitionRefused),
    ):
        deciding.group_decide(bid=bid, by=cast.group_chair, outcome=Outcome.SUPPORT)
    assert mail.outbox == []


def test_a_mail_server_that_is_down_leaves_the_decision_recorded(
    cast, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    bid = cast.bid()
    with (
        caplog.at_level(logging.ERROR, logger="funding.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.submit(bid=bid, by=cast.applicant)
    assert Bid.objects.get(pk=bid.pk).state == BidState.SUBMITTED
    assert "could not e-mail dgchair@example.org" in caplog.text
