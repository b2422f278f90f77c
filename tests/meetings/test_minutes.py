"""Minutes: written after the meeting, confirmed at the next, then locked; actions carry
forward; attendance records leave cancelled meetings out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import agenda, attendance, minutes, scheduling, selectors
from meetings.models import Meeting, MeetingStatus, Resolution
from tests.factories import UserFactory


def test_minutes_for_a_meeting_not_yet_held_are_refused(body):
    future = scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=7))
    item = future.items.first()
    with pytest.raises(ValidationError, match="has not taken place yet"):
        minutes.record_minute(item=item, discussion="Too early", resolutions=["it be noted"])
    assert not hasattr(item, "minute") or not Resolution.objects.filter(item=item).exists()
    future.refresh_from_db()
    assert future.status == MeetingStatus.SCHEDULED


def test_resolutions_are_numbered_and_agreed(past_meeting):
    item = past_meeting.items.get(title="Apologies")
    minutes.record_minute(
        item=item,
        discussion="One\nTwo",
        resolutions=["AGREED that the information be noted", "a report come back in April"],
    )
    texts = list(item.resolutions.values_list("number", "text"))
    assert texts == [(1, "the information be noted"), (2, "a report come back in April")]
    assert item.minute.points == ["One", "Two"]


def test_confirmed_minutes_cannot_be_edited_only_amended(body, past_meeting, clerk):
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=nxt, signed_by=clerk)
    past_meeting.refresh_from_db()
    assert past_meeting.status == MeetingStatus.MINUTES_CONFIRMED
    item = past_meeting.items.get(title="Apologies")
    with pytest.raises(ValidationError, match="confirmed and signed"):
        minutes.record_minute(item=item, discussion="Changed", resolutions=[])
    assert item.minute.discussion == "Apologies were received."
    with pytest.raises(ValidationError):
        agenda.add_item(meeting=past_meeting, title="Late")
    amendment = minutes.amend_minutes(
        meeting=past_meeting,
        text="Add Mr K. Walmsley to those present.",
        reason="Omitted",
        by=clerk,
    )
    assert amendment.made_by == clerk
    assert list(past_meeting.amendments.all()) == [amendment]


def test_confirming_needs_a_later_meeting_of_the_same_body(body, past_meeting, clerk):
    with pytest.raises(ValidationError):
        minutes.confirm_minutes(meeting=past_meeting, at=past_meeting, signed_by=clerk)
    past_meeting.refresh_from_db()
    assert past_meeting.status == MeetingStatus.HELD


def test_an_open_action_reappears_at_the_next_meeting_until_closed(body, past_meeting):
    action = minutes.add_action(
        meeting=past_meeting, description="Report student statistics", owner_name="K. Walmsley"
    )
    done = minutes.add_action(meeting=past_meeting, description="Already done")
    minutes.close_action(action=done)
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    assert list(selectors.open_actions_before(nxt)) == [action]
    assert nxt.items.filter(kind="matters_arising").exists()
    later = scheduling.schedule_meeting(body=body, date=dt.date(2017, 4, 20))
    assert list(selectors.open_actions_before(later)) == [action]
    minutes.close_action(action=action, at=later)
    assert list(selectors.open_actions_before(later)) == []


def test_cancelled_meetings_do_not_count_against_attendance(body, past_meeting, board_member):
    cancelled = Meeting.objects.create(
        body=body, date=dt.date(2016, 12, 1), start_time=dt.time(13, 30), status="held"
    )
    attendance.record_attendance(meeting=cancelled, person=board_member, status="absent")
    Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)
    other = UserFactory(username="walmsley")
    attendance.record_attendance(meeting=past_meeting, person=other, status="apologies")
    record = {row.name: row for row in selectors.attendance_record(body)}
    member = record[board_member.get_full_name()]
    assert (member.present, member.apologies, member.absent) == (1, 0, 0)
    assert record[other.get_full_name()].apologies == 1


def test_cancelling_a_meeting_removes_it_from_the_previous_meeting_chain(body, past_meeting):
    middle = scheduling.schedule_meeting(body=body, date=dt.date(2016, 12, 1), propose=False)
    scheduling.set_status(meeting=middle, status=MeetingStatus.CANCELLED)
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    assert selectors.previous_meeting(nxt) == past_meeting


def test_declarations_of_interest_are_printed_in_the_minutes(past_meeting, board_member):
    from meetings.printed_minutes import build_minutes_pdf
    from tests.meetings.test_agenda_pack import page_texts

    item = past_meeting.items.get(title="Apologies")
    minutes.declare_interest(item=item, person=board_member, interest="Trustee of the charity")
    text = "".join(page_texts(build_minutes_pdf(past_meeting, public=False)))
    assert "declared an interest: Trustee of the charity" in text


def test_proposing_an_entry_records_it_in_the_forward_programme_history(body, past_meeting):
    from meetings.models import ForwardProgrammeEntry, Timing

    entry = ForwardProgrammeEntry.objects.create(
        body=body, item="Strategic Assessment", timing=Timing.ANNUAL, annual_month=1
    )
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    assert nxt.items.filter(forward_programme_entry=entry).exists()
    assert [e.meeting for e in entry.events.all()] == [nxt]


def test_open_actions_are_listed_under_matters_arising_in_the_pack(body, past_meeting):
    from meetings.pack_builder import build_pack
    from tests.meetings.test_agenda_pack import page_texts

    minutes.add_action(
        meeting=past_meeting, description="Report student statistics", owner_name="K. Walmsley"
    )
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    front = page_texts(build_pack(nxt, public=False).pdf)[0]
    assert "MATTERS ARISING" in front
    assert "Report student statistics (K. Walmsley; from 27 October 2016)" in front


def test_clerk_closes_an_action_at_the_next_meeting(
    client_for, clerk, partnership, body, past_meeting
):
    action = minutes.add_action(meeting=past_meeting, description="Report statistics")
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    page = client_for(clerk).get(f"/p/{partnership.slug}/meetings/{nxt.pk}/")
    assert "Report statistics" in page.content.decode()
    response = client_for(clerk).post(
        f"/p/{partnership.slug}/meetings/actions/{action.pk}/close/",
        {"status": "done", "at": nxt.pk},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_at) == ("done", nxt)
    assert list(selectors.open_actions_before(nxt)) == []


def test_minutes_form_for_a_future_meeting_says_why_and_keeps_the_text(
    client_for, clerk, partnership, body
):
    future = scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=3))
    item = future.items.first()
    response = client_for(clerk).post(
        f"/p/{partnership.slug}/meetings/items/{item.pk}/minute/",
        {"discussion": "Point typed early", "resolutions": "the report be noted"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "has not taken place yet" in html and "Point typed early" in html
    assert not Resolution.objects.filter(item=item).exists()


def test_the_minute_page_of_confirmed_minutes_sends_the_clerk_to_amend(
    client_for, clerk, partnership, body, past_meeting
):
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=nxt, signed_by=clerk)
    item = past_meeting.items.get(title="Apologies")
    url = reverse("meetings:minute", args=[partnership.slug, item.pk])
    meeting_url = reverse("meetings:meeting", args=[partnership.slug, past_meeting.pk])
    client = client_for(clerk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url}#amendments"
    page = client.get(meeting_url).content.decode()
    assert "were confirmed and signed; record an amendment instead" in page
    assert 'id="amendments"' in page
    # A clerk posting a minute anyway (the page was open before the confirmation) keeps
    # the text, offered as an amendment: see test_minutes_race.py.
    posted = client.post(url, {"discussion": "Rewritten", "version": "1"})
    assert posted.status_code == 409 and "Rewritten" in posted.content.decode()
    item.minute.refresh_from_db()
    assert item.minute.discussion == "Apologies were received."


def test_the_meeting_page_offers_the_clerk_only_what_its_status_allows(
    client_for, clerk, partnership, body, past_meeting
):
    def page(meeting) -> str:
        url = reverse("meetings:meeting", args=[partnership.slug, meeting.pk])
        return client_for(clerk).get(url).content.decode()

    future = scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=30))
    html = page(future)  # scheduled, not yet held: agenda work only
    assert "Publish the agenda" in html and "Cancel the meeting" in html
    assert "Mark held" not in html and "Record attendance" not in html
    assert ">Minute<" not in html

    html = page(past_meeting)  # held: minutes are written, the agenda still moves
    assert "Record attendance" in html and ">Minute<" in html and ">Nest<" in html
    assert "Mark held" not in html and "Cancel the meeting" not in html

    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=nxt, signed_by=clerk)
    html = page(past_meeting)  # confirmed: frozen, amendments only
    for control in (">Nest<", ">Minute<", "Record attendance", "Add an item", "Publish"):
        assert control not in html, control
    assert "Record an amendment" in html
