"""The home page's next jobs from meetings: a board member's next meeting, its pack
(only a published one) and the dashboard; a clerk's next meetings' missing papers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import agenda, home, papers, publishing, scheduling
from meetings.models import PartnerReport
from tests.factories import BodyFactory, OrganisationFactory
from tests.meetings.factories import make_pdf

pytestmark = pytest.mark.django_db


def _soon(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_board_member_sees_their_next_meeting_its_pack_and_the_dashboard(
    client_for, board_member, body, partnership
):
    other = BodyFactory(partnership=partnership, name="Strategic Group", slug="strategic")
    scheduling.schedule_meeting(body=other, date=_soon(3))  # not a body they sit on
    body.members.add(board_member)
    meeting = scheduling.schedule_meeting(body=body, date=_soon(10))
    titles = [e.title for e in home.board_member_jobs(board_member)]
    assert titles[0].startswith(f"Next meeting: {body.name}, {meeting.date:%-d %B %Y}")
    assert not any("pack" in t for t in titles)  # no pack published: no link to one
    assert titles[-1] == "Performance dashboard: year to date"
    publishing.publish_agenda(meeting=meeting)
    entries = home.board_member_jobs(board_member)
    pack = next(e for e in entries if "pack" in e.title)
    assert pack.title.startswith("Read the members’ pack")
    assert pack.url == reverse("meetings:pack", args=[partnership.slug, meeting.pk])
    html = client_for(board_member).get("/").content.decode()
    assert pack.url in html
    assert reverse("performance:index", kwargs={"partnership": partnership.slug}) in html


def test_the_board_section_is_for_board_members(partner, officer, body):
    scheduling.schedule_meeting(body=body, date=_soon(10))
    assert home.board_member_jobs(partner) == []
    assert home.board_member_jobs(officer) == []


def test_clerk_sees_the_next_meetings_missing_papers(clerk, partner, body, partnership):
    police = OrganisationFactory(name="Leicestershire Police")
    meeting = scheduling.schedule_meeting(body=body, date=_soon(12))
    later = scheduling.schedule_meeting(body=body, date=_soon(40))  # not the next one
    agenda.add_item(meeting=later, title="Later business")
    awaited = agenda.add_item(meeting=meeting, title="Police update")
    awaited.presenter_organisation = police
    awaited.save()
    agenda.add_item(meeting=meeting, title="Community safety plan")
    papered = agenda.add_item(meeting=meeting, title="Budget")
    papers.attach_upload(item=papered, name="budget.pdf", content=make_pdf("Budget"))
    report = PartnerReport.objects.create(
        partnership=partnership,
        organisation=police,
        author="D Barker",
        date=timezone.localdate(),
        subject="Police quarterly update",
        summary="Quarter two.",
        meeting=meeting,
    )
    entries = home.clerk_jobs(clerk)
    by_title = {e.title.split(": ", 1)[1]: e for e in entries}
    assert set(by_title) == {
        "“Police update” has no paper yet",
        "“Community safety plan” has no paper yet",
        "report from Leicestershire Police is in",
    }
    assert by_title["“Police update” has no paper yet"].detail == (
        "Partner report from Leicestershire Police not in yet"
    )
    assert by_title["“Police update” has no paper yet"].url.endswith(
        f"/meetings/{meeting.pk}/#agenda-item-{awaited.pk}"
    )
    assert by_title["report from Leicestershire Police is in"].url == reverse(
        "meetings:report", args=[partnership.slug, report.pk]
    )
    papers.attach_report(item=awaited, report=report)
    left = {e.title.split(": ", 1)[1] for e in home.clerk_jobs(clerk)}
    assert left == {"“Community safety plan” has no paper yet"}
    assert home.clerk_jobs(partner) == []
