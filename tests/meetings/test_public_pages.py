"""Public pages: published, non-exempt material only, without signing in; the iCalendar feed."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from meetings import agenda, minutes, publishing, scheduling
from tests.meetings.test_agenda_pack import page_texts


def base(partnership, body):
    return f"/public/{partnership.slug}/{body.slug}"


def content(response) -> bytes:
    """The body of a response, streamed (a stored file) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_unpublished_agenda_is_not_public(client, partnership, body, pack_meeting):
    assert client.get(f"{base(partnership, body)}/2017-01-26/").status_code == 404


def test_published_agenda_leaves_out_exempt_items(client, partnership, body, pack_meeting):
    publishing.publish_agenda(meeting=pack_meeting)
    page = client.get(f"{base(partnership, body)}/2017-01-26/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "County Council Update" in html
    assert "Contract award" in html  # number and heading, with the notice in its place
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in html
    assert "Commercially sensitive" not in html
    pack = client.get(f"{base(partnership, body)}/2017-01-26/pack.pdf")
    pdf = b"".join(pack.streaming_content)
    assert "SECRET PAPER" not in "".join(page_texts(pdf))


def test_minutes_are_public_only_once_confirmed(client, partnership, body, past_meeting, clerk):
    publishing.publish_agenda(meeting=past_meeting)
    url = f"{base(partnership, body)}/2016-10-27/minutes.pdf"
    assert client.get(url).status_code == 404
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=nxt, signed_by=clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert "Apologies were received." in "".join(page_texts(content(response)))


def test_ical_feed_lists_the_bodys_meetings(client, partnership, body, past_meeting):
    publishing.publish_agenda(meeting=past_meeting)
    publishing.publish_agenda(
        meeting=scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    )
    response = client.get(f"{base(partnership, body)}/meetings.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    starts = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert [s.date() for s in starts] == [dt.date(2016, 10, 27), dt.date(2017, 1, 26)]
    assert starts[0].hour == 13 and starts[0].minute == 30
    assert all("Committee Room 1" in str(e["location"]) for e in calendar.walk("VEVENT"))


def test_another_partnerships_body_is_not_found(client, other_partnership, body):
    assert client.get(f"/public/{other_partnership.slug}/{body.slug}/").status_code == 404


def test_ical_marks_a_cancelled_meeting(client, partnership, body, past_meeting):
    publishing.publish_agenda(meeting=past_meeting)
    later = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    publishing.publish_agenda(meeting=later)  # published, then called off
    scheduling.set_status(meeting=later, status="cancelled")
    calendar = Calendar.from_ical(client.get(f"{base(partnership, body)}/meetings.ics").content)
    statuses = {e.decoded("dtstart").date(): str(e["status"]) for e in calendar.walk("VEVENT")}
    assert statuses == {dt.date(2016, 10, 27): "CONFIRMED", dt.date(2017, 1, 26): "CANCELLED"}


def test_public_minutes_leave_out_exempt_items(client, partnership, body, past_meeting, clerk):
    secret = agenda.add_item(
        meeting=past_meeting,
        title="Staffing matter",
        is_exempt=True,
        exempt_paragraph=1,
        exempt_reason="Personal",
    )
    minutes.record_minute(item=secret, discussion="Confidential point", resolutions=["x"])
    publishing.publish_agenda(meeting=past_meeting)
    nxt = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=nxt, signed_by=clerk)
    page = client.get(f"{base(partnership, body)}/2016-10-27/").content.decode()
    assert "Apologies were received." in page
    assert "Confidential point" not in page
    assert "Not for publication by virtue of paragraph 1 of Part 1 of Schedule 12A" in page
    pdf = content(client.get(f"{base(partnership, body)}/2016-10-27/minutes.pdf"))
    assert "Confidential point" not in "".join(page_texts(pdf))
