"""The decisions report (on its page and as a generated paper in the pack) shows each
bid's final outcome beside its votes and decisions."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from csp_portal.extension_points import pack_block
from funding.models import BidState, Outcome
from tests.funding import deciding


def _row(html: str, title: str) -> str:
    match = re.search(rf"<tr><th scope=\"row\">{title}</th>.*?</tr>", html, re.S)
    assert match, f"no row for {title}"
    return match.group(0)


def test_each_bid_shows_its_votes_and_its_final_outcome(cast):
    rejected = cast.supported("2000.00", title="Duplicated scheme")
    deciding.panel_decide(
        bid=rejected, by=cast.panel_member, outcome=Outcome.REJECT, reasons="Duplicated work."
    )
    pending = cast.supported("3000.00", title="Night patrols")
    html = pack_block("funding_decisions").render(cast.partnership, {})
    rejected.refresh_from_db()
    row = _row(html, "Duplicated scheme")
    assert row.count("<li>") == 2  # the group's support and the panel's decision
    assert "<strong>Supported</strong>" in row and "Duplicated work." in row
    assert rejected.state == BidState.REJECTED
    assert f"<strong>Rejected, {timezone.localdate():%-d %B %Y}</strong>" in row
    assert "Not decided yet (with the approval panel)" in _row(html, "Night patrols")
    assert pending.state == BidState.WITH_PANEL


def test_an_approved_bid_shows_the_amount_awarded(cast):
    bid = cast.supported("2000.00", title="Youth diversion")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    bid.refresh_from_db()
    html = pack_block("funding_decisions").render(cast.partnership, {})
    assert bid.state == BidState.APPROVED
    assert "Approved: £2,000.00 awarded" in _row(html, "Youth diversion")


def test_the_report_page_shows_the_final_outcome_too(cast, client_for, board_member):
    cast.supported("20.00", title="Small grant")
    page = client_for(board_member).get(
        reverse("funding:decisions_report", args=[cast.partnership.slug]),
        {"since": "2000-01-01"},
    )
    assert "Final outcome" in page.content.decode()
    assert "Not decided yet" in _row(page.content.decode(), "Small grant")
