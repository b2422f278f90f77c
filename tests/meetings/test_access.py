"""Who sees and does what: clerks edit, board members read everything, partners and
performance officers read what is published (never exempt), other partnerships get nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from csp_portal.models import Profile, Role
from meetings import agenda, attendance, minutes, papers, publishing, scheduling
from meetings.models import Paper, PartnerReport
from tests.factories import OrganisationFactory, UserFactory
from tests.meetings.factories import make_pdf, report_post


def url(name, partnership, *args):
    return reverse(f"meetings:{name}", args=[partnership.slug, *args])


def test_every_member_sees_the_index(client_for, role_users, partnership, pack_meeting):
    for user in role_users.values():
        assert client_for(user).get(url("index", partnership)).status_code == 200


def test_unpublished_agenda_is_for_clerks_and_board_members(
    client_for, role_users, partnership, pack_meeting
):
    page = url("meeting", partnership, pack_meeting.pk)
    expected = {
        Role.CLERK: 200,
        Role.ADMIN: 200,
        Role.BOARD_MEMBER: 200,
        Role.PARTNER: 403,
        Role.PERFORMANCE_OFFICER: 403,
    }
    for role, user in role_users.items():
        assert client_for(user).get(page).status_code == expected[role], role


def test_board_members_see_exempt_items_partners_do_not(
    client_for, board_member, partner, officer, partnership, pack_meeting
):
    publishing.publish_agenda(meeting=pack_meeting)
    page = url("meeting", partnership, pack_meeting.pk)
    assert "Contract award" in client_for(board_member).get(page).content.decode()
    for reader in (partner, officer):
        response = client_for(reader).get(page)
        assert response.status_code == 200
        html = response.content.decode()  # the heading and its notice, nothing else
        assert "Contract award" in html and "paragraph 3 of Part 1 of Schedule 12A" in html
        assert "Commercially sensitive" not in html
        assert f"/papers/{Paper.objects.get(title='secret').pk}.pdf" not in html
    secret = Paper.objects.get(title="secret")
    paper_url = url("paper", partnership, secret.pk)
    assert client_for(board_member).get(paper_url).status_code == 200
    assert client_for(partner).get(paper_url).status_code == 403


def test_partner_downloads_the_public_pack(client_for, partner, partnership, pack_meeting):
    version = publishing.publish_agenda(meeting=pack_meeting)
    response = client_for(partner).get(url("pack", partnership, pack_meeting.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == version.public_pdf.open("rb").read()


def test_only_clerks_and_admins_edit(client_for, role_users, partnership, pack_meeting):
    item = pack_meeting.items.get(title="County Council Update")
    for role, user in role_users.items():
        response = client_for(user).post(url("move_item", partnership, item.pk), {"move": "up"})
        assert response.status_code == (302 if role in (Role.CLERK, Role.ADMIN) else 403), role


def test_another_partnership_gets_nothing(client_for, outsider, partnership, pack_meeting):
    client = client_for(outsider)
    assert client.get(url("meeting", partnership, pack_meeting.pk)).status_code == 403
    assert client.get(url("index", partnership)).status_code == 403
    own = reverse(
        "meetings:meeting", args=[outsider.memberships.get().partnership.slug, pack_meeting.pk]
    )
    assert client.get(own).status_code == 404


def test_clerk_reorders_with_the_keyboard_buttons(client_for, clerk, partnership, pack_meeting):
    item = pack_meeting.items.get(title="County Council Update")
    secret = pack_meeting.items.get(title="Contract award")
    assert item.order > secret.order
    response = client_for(clerk).post(url("move_item", partnership, item.pk), {"move": "up"})
    assert response.status_code == 302
    item.refresh_from_db()
    secret.refresh_from_db()
    # above the exempt item, and above the exclusion of the press and public that goes with it
    exclusion = pack_meeting.items.get(kind="exclusion")
    assert item.order < exclusion.order < secret.order


def test_uploading_a_non_pdf_shows_the_problem_and_keeps_nothing(
    client_for, clerk, partnership, pack_meeting
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = pack_meeting.items.get(title="County Council Update")
    response = client_for(clerk).post(
        url("add_paper", partnership, item.pk),
        {"upload": "1", "up-file": SimpleUploadedFile("minutes.txt", b"hello"), "up-title": "Mine"},
    )
    assert response.status_code == 400
    assert "is not a PDF" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    assert not item.papers.filter(kind="upload").exists()


def test_clerk_schedules_a_clash_and_is_told(client_for, clerk, partnership, body, past_meeting):
    response = client_for(clerk).post(
        url("schedule", partnership), {"body": body.pk, "date": "2016-10-27", "start_time": "13:30"}
    )
    assert response.status_code == 200
    assert "already meets on 27 October 2016" in response.content.decode()
    assert body.meetings.count() == 1


@pytest.mark.parametrize("reader", ["clerk", "board_member"])
def test_meeting_page_queries_do_not_grow_with_the_agenda(
    request, reader, partnership, pack_meeting, client_for
):
    """Items, papers, minutes, resolutions, attendance and actions are each fetched in
    one query, however many there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(request.getfixturevalue(reader))
    page = url("meeting", partnership, pack_meeting.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    before = queries()
    for n in range(6):
        item = agenda.add_item(meeting=pack_meeting, title=f"Extra item {n}")
        agenda.add_item(meeting=pack_meeting, title=f"Extra sub-item {n}", parent=item)
        papers.attach_upload(item=item, name=f"extra{n}.pdf", content=make_pdf(f"EXTRA {n}"))
        minutes.record_minute(item=item, discussion=f"Point {n}", resolutions=[f"AGREED {n}"])
        minutes.add_action(meeting=pack_meeting, item=item, description=f"Action {n}")
        attendance.record_attendance(
            meeting=pack_meeting, person=UserFactory(username=f"extra{n}"), status="present"
        )
    assert queries() == before <= 30


@pytest.mark.parametrize("name", ["index"])
def test_anonymous_is_sent_to_sign_in(client, partnership, name):
    response = client.get(url(name, partnership))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_clerk_edits_an_item_and_a_missing_reason_keeps_the_typing(
    client_for, clerk, partnership, pack_meeting
):
    item = pack_meeting.items.get(title="County Council Update")
    client = client_for(clerk)
    bad = client.post(
        url("edit_item", partnership, item.pk),
        {"title": "County update (revised)", "is_exempt": "on", "exempt_reason": ""},
    )
    assert bad.status_code == 400
    assert "Give the public interest reason for keeping this item exempt." in bad.content.decode()
    assert "Choose the paragraph of Schedule 12A" in bad.content.decode()
    assert "County update (revised)" in bad.content.decode()
    item.refresh_from_db()
    assert item.title == "County Council Update"
    good = client.post(
        url("edit_item", partnership, item.pk), {"title": "County update", "version": 1}
    )
    assert good.status_code == 302
    item.refresh_from_db()
    assert item.title == "County update"


def test_partner_files_a_report_only_for_their_own_organisation(client_for, partner, partnership):
    police = OrganisationFactory(name="Leicestershire Police")
    council = OrganisationFactory(name="Charnwood Borough Council")
    partnership.organisations.add(police, council)
    Profile.objects.filter(user=partner).update(organisation=police)
    form = {
        "author": "D Barker",
        "date": "2017-01-10",
        "subject": "Night-time economy",
        "summary": "Quarter three.",
        **report_post(partnership),
    }
    client = client_for(partner)
    page = client.get(url("report_new", partnership)).content.decode()
    assert "Leicestershire Police" in page and "Charnwood Borough Council" not in page
    refused = client.post(url("report_new", partnership), {**form, "organisation": council.pk})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert not PartnerReport.objects.exists()
    saved = client.post(url("report_new", partnership), {**form, "organisation": police.pk})
    assert saved.status_code == 302
    assert PartnerReport.objects.get().organisation == police


def test_clerk_files_a_report_for_any_partner(client_for, clerk, partnership):
    council = OrganisationFactory(name="Charnwood Borough Council")
    partnership.organisations.add(council)
    response = client_for(clerk).post(
        url("report_new", partnership),
        {
            "organisation": council.pk,
            "author": "Clerk for the council",
            "date": "2017-01-10",
            "subject": "Council update",
            "summary": "Sent by email.",
            **report_post(partnership),
        },
    )
    assert response.status_code == 302
    assert PartnerReport.objects.get().organisation == council


def test_partner_with_no_organisation_is_told_why_there_is_no_form(
    client_for, partner, partnership
):
    response = client_for(partner).get(url("report_new", partnership))
    html = response.content.decode()
    assert response.status_code == 200
    assert "does not say which organisation you work for" in html
    assert "Save the report" not in html
    assert "<title>Partner update report" in html  # the title holds no stray markup


def test_draft_minutes_are_for_full_readers_until_confirmed(
    client_for, clerk, board_member, partner, officer, partnership, body, past_meeting
):
    publishing.publish_agenda(meeting=past_meeting)
    page = url("meeting", partnership, past_meeting.pk)
    assert "Apologies were received." in client_for(board_member).get(page).content.decode()
    for reader in (partner, officer):
        html = client_for(reader).get(page).content.decode()
        assert "Apologies were received." not in html
        assert "once they are confirmed" in html
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=nxt, signed_by=clerk)
    assert "Apologies were received." in client_for(partner).get(page).content.decode()


def test_closing_an_action_at_a_bad_meeting_is_refused_not_a_crash(
    client_for, clerk, partnership, past_meeting
):
    action = minutes.add_action(meeting=past_meeting, description="Circulate the strategy")
    client = client_for(clerk)
    for at in ("not-a-number", "999999"):
        response = client.post(
            url("close_action", partnership, action.pk), {"status": "done", "at": at}
        )
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == "open"
    done = client.post(
        url("close_action", partnership, action.pk), {"status": "done", "at": past_meeting.pk}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_at) == ("done", past_meeting)
