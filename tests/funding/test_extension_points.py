"""What funding registers for the core: home sections, pack blocks, priority links."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from csp_portal.extension_points import home_sections, links_for_priority, pack_block
from funding import budget, reports, workflow
from funding.models import Outcome
from tests.funding import deciding

pytestmark = pytest.mark.django_db


def _entries(key, user):
    (section,) = [s for s in home_sections() if s.key == key]
    return list(section.provider(user))


def test_group_chair_sees_a_submitted_bid_on_their_home_page(cast):
    bid = cast.bid(title="Arson reduction")
    workflow.submit(bid=bid, by=cast.applicant)
    assert [e.title for e in _entries("funding_decisions", cast.group_chair)] == ["Arson reduction"]
    assert _entries("funding_decisions", cast.applicant) == []  # not their own bid
    assert _entries("funding_decisions", cast.chair) == []


def test_office_holders_see_it_until_they_have_decided(cast):
    bid = cast.supported("999.99")
    for person in cast.office_holders:
        assert [e.url for e in _entries("funding_decisions", person)] == [bid.get_absolute_url()]
    deciding.office_decide(bid=bid, by=cast.chair, outcome=Outcome.APPROVE)
    assert _entries("funding_decisions", cast.chair) == []
    assert len(_entries("funding_decisions", cast.vice_chair)) == 1


def test_panel_members_see_bids_at_the_panel_and_referred_rejections(cast):
    big = cast.supported("1000.00")
    small = cast.supported("10.00")
    deciding.office_decide(bid=small, by=cast.chair, outcome=Outcome.REJECT, reasons="No.")
    urls = {e.url for e in _entries("funding_decisions", cast.panel_member)}
    assert urls == {big.get_absolute_url(), small.get_absolute_url()}


def test_home_page_shows_the_section(cast, client_for):
    bid = cast.bid(title="Arson reduction")
    workflow.submit(bid=bid, by=cast.applicant)
    page = client_for(cast.group_chair).get(reverse("home")).content.decode()
    assert "Bids waiting for your decision" in page and "Arson reduction" in page


def test_applicant_sees_overdue_returns_and_bids_to_revise(cast):
    bid = cast.supported("1500.00")
    deciding.panel_decide(bid=bid, by=cast.panel_member, outcome=Outcome.APPROVE)
    first = bid.returns.order_by("due_date").first()
    first.due_date = timezone.localdate() - dt.timedelta(days=1)
    first.save()
    other = cast.bid(title="To revise")
    workflow.submit(bid=other, by=cast.applicant)
    deciding.group_decide(bid=other, by=cast.group_chair, outcome=Outcome.REVISE, reasons="More.")
    entries = _entries("funding_applicant", cast.applicant)
    overdue = [e for e in entries if e.overdue]
    assert overdue and overdue[0].title.startswith("Monitoring return")
    assert any(e.title == "Revise and resubmit: To revise" for e in entries)


def _self_contained(html: str) -> None:
    assert "<table" in html and "<caption>" in html
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_decisions_block_lists_decisions_since_a_date(cast):
    bid = cast.supported("2000.00")
    deciding.panel_decide(
        bid=bid, by=cast.panel_member, outcome=Outcome.REJECT, reasons="Duplicated work."
    )
    today = timezone.localdate().isoformat()
    html = pack_block("funding_decisions").render(cast.partnership, {"since": today})
    _self_contained(html)
    assert "Duplicated work." in html and "£2,000.00" in html
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    later = pack_block("funding_decisions").render(cast.partnership, {"since": tomorrow})
    assert "Duplicated work." not in later and "No funding decisions" in later


def test_decisions_report_defaults_to_the_last_board_meeting(cast, client_for, board_member):
    from meetings.models import Meeting
    from tests.factories import BodyFactory

    board = BodyFactory(partnership=cast.partnership, name="Board", body_type="board")
    Meeting.objects.create(body=board, date=dt.date(2016, 10, 27), start_time="13:30")
    assert reports.last_board_meeting(cast.partnership) == dt.date(2016, 10, 27)
    cast.supported("20.00")
    page = client_for(board_member).get(
        reverse("funding:decisions_report", args=[cast.partnership.slug])
    )
    assert "since 27 October 2016" in page.content.decode()


def test_budget_block_renders_a_fund_of_the_partnership_only(cast, other_partnership):
    html = pack_block("budget_table").render(cast.partnership, {"fund": cast.fund.pk})
    _self_contained(html)
    assert "Youth ASB Projects" in html and "£15,000.00" in html and "Total" in html
    with pytest.raises(ValueError, match="fund of"):
        pack_block("budget_table").render(other_partnership, {"fund": cast.fund.pk})


def test_budget_block_prints_in_a_weasyprint_pdf(cast):
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    html = budget.render_budget_block(cast.partnership, {"fund": cast.fund.pk})
    pdf = HTML(string=f"<html><body>{html}</body></html>").write_pdf()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Youth ASB Projects" in text and "£15,000.00" in text


def test_priority_links_list_approved_bids_only(cast):
    from plans.models import Plan, Priority, Theme

    plan = Plan.objects.create(
        partnership=cast.partnership, title="Plan", first_year=2017, last_year=2019
    )
    theme = Theme.objects.create(plan=plan, number=1, title="Safer")
    priority = Priority.objects.create(plan=plan, theme=theme, number=2, title="ASB")
    approved = cast.supported("1000.00", priority=priority, title="Funded work")
    deciding.panel_decide(bid=approved, by=cast.panel_member, outcome=Outcome.APPROVE)
    cast.supported("1000.00", priority=priority, title="Still waiting")
    links = [link for link in links_for_priority(priority) if link.kind == "Funded bid"]
    assert [link.title for link in links] == ["Funded work"]
    assert "£1,000.00" in links[0].detail and links[0].url == approved.get_absolute_url()
    assert links[0].date == timezone.localdate()
    assert approved.amount_awarded is None or approved.amount_awarded == Decimal("1000.00")
