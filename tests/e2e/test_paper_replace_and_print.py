"""A clerk replaces and removes a paper in a real browser (axe on every page), and the
meeting page printed shows the agenda without the clerk's controls."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from csp_portal.models import Role
from meetings import agenda, papers, scheduling
from tests.factories import member
from tests.meetings.factories import board, make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def paper_line(page, title: str):
    """The line of the agenda listing the paper `title` (its links say "Replace" and
    "Remove", described by the paper's title)."""
    return page.locator("li").filter(has=page.get_by_role("link", name=title, exact=True)).last


@pytest.fixture
def meeting(partnership):
    body = board(partnership)
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2030, 1, 24))
    item = agenda.add_item(meeting=meeting, title="Strategic Group")
    papers.attach_upload(item=item, name="strategic.pdf", content=make_pdf("STRATEGIC", 3))
    papers.attach_upload(item=item, name="jag.pdf", content=make_pdf("JAG", 1))
    return meeting


def test_clerk_replaces_and_removes_a_paper_and_prints_the_page(
    page, journey, login_as, partnership, meeting, tmp_path
):
    clerk = member(partnership, Role.CLERK, username="clerk")
    login_as(page, clerk)
    url = f"/p/{partnership.slug}/meetings/{meeting.pk}/"
    journey.visit(url, "01-meeting")

    # Printed, the page keeps the agenda and drops every button and form.
    page.emulate_media(media="print")
    assert page.get_by_text("Strategic Group").first.is_visible()
    assert not page.get_by_role("button").filter(visible=True).count()
    assert not page.locator("form").filter(visible=True).count()
    page.emulate_media(media="screen")

    with page.expect_navigation():
        paper_line(page, "strategic").get_by_role("link", name="Replace", exact=True).click()
    journey.check("02-replace")
    new = tmp_path / "strategic-v2.pdf"
    new.write_bytes(make_pdf("SHORTER", 1))
    page.get_by_label(re.compile("The new PDF")).set_input_files(str(new))
    with page.expect_navigation():
        page.get_by_role("button", name="Replace the paper").click()
    journey.check("03-replaced")
    assert "“strategic” replaced (1 page)" in page.content()
    assert "this paper is not accessible: ask its author for a tagged PDF" in page.content()

    with page.expect_navigation():
        paper_line(page, "jag").get_by_role("link", name="Remove", exact=True).click()
    journey.check("04-remove-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, remove the paper").click()
    journey.check("05-removed")
    assert "“jag” removed" in page.content()
    assert not meeting.items.get(title="Strategic Group").papers.filter(title="jag").exists()
