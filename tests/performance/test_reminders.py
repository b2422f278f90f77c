"""Quarterly figures: the performance officers are reminded of an incomplete quarter from
14 days before its figures are due (six weeks after it ends) and once overdue; a complete
quarter not yet published asks them to publish it; a published one reminds nobody. The
state is the one quarter_status() gives every page."""

import datetime as dt

import pytest
from django.core import mail

from csp_portal.financial_year import Quarter
from csp_portal.reminders import send_reminders
from performance import services
from tests.performance.factories import fill_totals

pytestmark = pytest.mark.django_db

QUARTER = Quarter.parse("2026/27", 2)  # July to September 2026
DUE = dt.date(2026, 11, 11)  # 42 days after 30 September


def _send(day, capture) -> list[str]:
    mail.outbox.clear()
    with capture(execute=True):
        result = send_reminders(day)
    return sorted(r.kind for r in result.sent if r.kind.startswith("performance."))


def test_incomplete_figures_due_then_overdue(
    partnership, categories, officer, board_member, django_capture_on_commit_callbacks
):
    services.save_grid(
        partnership=partnership, quarter=QUARTER, cells={(categories["ALL"].pk, None): 900}
    )
    capture = django_capture_on_commit_callbacks
    assert _send(DUE - dt.timedelta(days=15), capture) == []
    assert _send(DUE - dt.timedelta(days=14), capture) == ["performance.figures_due"]
    (message,) = mail.outbox
    assert message.to == [officer.email]  # the officers only, not the board
    assert message.subject == "The Q2 2026/27 figures are due by 11 November 2026"
    assert "no partnership total for 11 categories" in message.body
    assert "/performance/enter/2026/q2/" in message.body
    assert _send(DUE, capture) == []
    assert _send(DUE + dt.timedelta(days=1), capture) == ["performance.figures_overdue"]
    assert _send(DUE + dt.timedelta(days=2), capture) == []


def test_complete_but_unpublished_then_published(
    partnership, categories, officer, django_capture_on_commit_callbacks
):
    fill_totals(partnership, [QUARTER])
    capture = django_capture_on_commit_callbacks
    assert _send(dt.date(2026, 10, 5), capture) == ["performance.unpublished"]
    assert "please publish" in mail.outbox[0].subject
    assert _send(dt.date(2026, 10, 6), capture) == []
    services.publish_quarter(partnership=partnership, quarter=QUARTER)
    assert _send(DUE + dt.timedelta(days=1), capture) == []
