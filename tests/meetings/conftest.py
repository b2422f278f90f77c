"""Fixtures for the meetings tests: a board with a held meeting and the next one's agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from csp_portal.extension_points import PackBlock, register_pack_block, registry
from meetings import agenda, attendance, minutes, papers, scheduling
from tests.factories import OrganisationFactory
from tests.meetings.factories import board, make_pdf


@pytest.fixture(autouse=True)
def media_root(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def test_block():
    """A generated paper registered for the test, and unregistered after it."""

    def render(partnership, params):
        return f"<p>Test block for {partnership.name}, quarter {params.get('quarter')}.</p>"

    block = PackBlock("test_block", "Test figures", render, "quarter")
    register_pack_block(block)
    yield block
    registry.pack_blocks.pop("test_block", None)


@pytest.fixture
def body(partnership):
    return board(partnership)


@pytest.fixture
def past_meeting(body, board_member):
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2016, 10, 27))
    apologies = meeting.items.get(kind="apologies")
    attendance.record_attendance(
        meeting=meeting, person=board_member, status="present", role="Chair"
    )
    minutes.record_minute(
        item=apologies,
        discussion="Apologies were received.",
        resolutions=["the apologies be noted"],
    )
    # Writing a minute changes no status: the clerk marks the meeting held (it stays
    # unpublished, off the public site, until its agenda is published).
    scheduling.set_status(meeting=meeting, status="held")
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def pack_meeting(body, past_meeting):
    """26 January 2017: minutes, a sub-itemed item with uploads, a report, an exempt item."""
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    org = OrganisationFactory(name="Charnwood Borough Council")
    updates = agenda.add_item(meeting=meeting, title="Delivery Group Updates")
    strategic = agenda.add_item(meeting=meeting, title="Strategic Group", parent=updates)
    jag = agenda.add_item(meeting=meeting, title="JAG Delivery Group", parent=updates)
    papers.attach_upload(
        item=strategic, name="strategic.pdf", content=make_pdf("STRATEGIC PAPER", 3, "letter")
    )
    papers.attach_upload(item=jag, name="jag.pdf", content=make_pdf("JAG PAPER", 2))
    secret = agenda.add_item(
        meeting=meeting,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive (paragraph 3)",
    )
    papers.attach_upload(item=secret, name="secret.pdf", content=make_pdf("SECRET PAPER", 2))
    county = agenda.add_item(meeting=meeting, title="County Council Update")
    from meetings.models import PartnerReport

    report = PartnerReport.objects.create(
        partnership=body.partnership,
        organisation=org,
        author="T McCabe",
        date=dt.date(2017, 1, 10),
        subject="County matters",
        summary="REPORT SUMMARY TEXT",
    )
    papers.attach_report(item=county, report=report)
    return meeting
