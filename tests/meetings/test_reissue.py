"""Re-issue on any change: after publication, anything that alters what the pack shows
(date, time, venue, items, papers, exemptions) offers a revised pack (a supplement when
papers were only added) listing the changes; "nothing has changed" only when nothing has.
The packs are read back with pypdf."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings import agenda, minutes, papers, publishing, scheduling
from meetings.models import PackKind
from tests.meetings.factories import make_pdf
from tests.meetings.test_schedule12a import pdf_text


@pytest.fixture
def published(pack_meeting):
    publishing.publish_agenda(meeting=pack_meeting)
    pack_meeting.refresh_from_db()
    return pack_meeting


def _move(meeting, **changes):
    fields = {"date": meeting.date, "start_time": meeting.start_time, "venue": meeting.venue}
    return scheduling.change_meeting_details(meeting=meeting, **{**fields, **changes})


def test_a_changed_venue_produces_a_revised_pack_showing_it(published):
    old_venue = published.venue
    _move(published, venue="Fearon Hall, Rectory Road, Loughborough")
    version = publishing.publish_agenda(meeting=published)
    assert version.kind == PackKind.REVISED and version.number == 2
    assert version.changes == [
        f"Venue changed from “{old_venue}” to “Fearon Hall, Rectory Road, Loughborough”."
    ]
    assert version.public_changes == version.changes
    for pdf in (version.members_pdf, version.public_pdf):
        text = pdf_text(pdf.open("rb").read())
        assert "Fearon Hall, Rectory Road, Loughborough" in text
        assert "Revised agenda pack 1: what has changed" in text
        assert "Venue changed from" in text


def test_a_changed_time_is_listed_and_printed(published):
    _move(published, start_time=dt.time(14, 0))
    version = publishing.publish_agenda(meeting=published)
    assert version.changes == ["Start time changed from 1.30 pm to 2.00 pm."]
    text = pdf_text(version.members_pdf.open("rb").read())
    assert "at 2.00 pm" in text


def test_a_changed_date_is_listed(published):
    _move(published, date=dt.date(2017, 2, 2))
    version = publishing.publish_agenda(meeting=published)
    assert version.changes == ["Date changed from 26 January 2017 to 2 February 2017."]


def test_an_exemption_change_produces_a_revised_pack(published):
    item = published.items.get(title="County Council Update")
    agenda.update_item(
        item=item,
        is_exempt=True,
        exempt_paragraph=7,
        exempt_reason="An operation is under way",
        expected_version=item.version,
    )
    version = publishing.publish_agenda(meeting=published)
    assert version.kind == PackKind.REVISED
    assert any(
        "“County Council Update” is now exempt (paragraph 7 of Part 1 of Schedule 12A" in c
        for c in version.changes
    )
    public = pdf_text(version.public_pdf.open("rb").read())
    assert "paragraph 7 of Part 1 of Schedule 12A" in public
    assert "REPORT SUMMARY TEXT" not in public  # the report went with the exemption
    assert "An operation is under way" not in public


def test_a_changed_paragraph_is_listed(published):
    item = published.items.get(title="Contract award")
    agenda.update_item(item=item, exempt_paragraph=5, expected_version=item.version)
    version = publishing.publish_agenda(meeting=published)
    assert any("exempt by virtue of paragraph 5 (was paragraph 3)" in c for c in version.changes)


def test_papers_only_added_make_a_supplementary_pack(published):
    item = published.items.get(title="County Council Update")
    papers.attach_upload(item=item, name="annex.pdf", content=make_pdf("ANNEX", 1))
    version = publishing.publish_agenda(meeting=published)
    assert version.kind == PackKind.SUPPLEMENTARY
    assert "Supplementary pack 1: what has changed" in pdf_text(
        version.members_pdf.open("rb").read()
    )


def test_nothing_changed_says_so_and_publishes_nothing(published):
    assert publishing.pending_changes(published) == []
    with pytest.raises(ValidationError, match="Nothing has changed since agenda pack 1"):
        publishing.publish_agenda(meeting=published)
    assert published.packs.count() == 1


def test_the_meeting_page_offers_the_revised_pack_with_its_changes(
    client_for, clerk, partnership, published
):
    url = f"/p/{partnership.slug}/meetings/{published.pk}/"
    html = client_for(clerk).get(url).content.decode()
    assert "Nothing has changed since the last pack was published." in html
    assert "Issue a revised pack" not in html
    _move(published, venue="Fearon Hall")
    html = client_for(clerk).get(url).content.decode()
    assert "Venue changed from" in html and "Issue a revised pack" in html


def test_the_clerk_changes_the_venue_on_a_page(client_for, clerk, partnership, published):
    response = client_for(clerk).post(
        f"/p/{partnership.slug}/meetings/{published.pk}/details/",
        {"date": "2017-01-26", "start_time": "13:30", "venue": "Fearon Hall"},
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.venue == "Fearon Hall"


def test_a_details_change_that_clashes_is_refused_keeping_what_was_typed(
    client_for, clerk, partnership, body, published
):
    scheduling.schedule_meeting(body=body, date=dt.date(2017, 2, 2), start_time=dt.time(13, 30))
    response = client_for(clerk).post(
        f"/p/{partnership.slug}/meetings/{published.pk}/details/",
        {"date": "2017-02-02", "start_time": "13:30", "venue": "Fearon Hall"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already meets on 2 February 2017" in html and "Fearon Hall" in html
    published.refresh_from_db()
    assert published.date == dt.date(2017, 1, 26)


def test_a_pack_published_before_meeting_details_were_kept_still_compares(published):
    last = published.packs.get()
    last.snapshot = last.snapshot["items"]  # the shape stored before this change
    last.save(update_fields=["snapshot"])
    assert publishing.pending_changes(published) == []
    agenda.add_item(meeting=published, title="Late business")
    assert [text for _, text in publishing.pending_changes(published)][0].endswith(
        "“Late business” added."
    )


def test_a_correction_to_the_previous_draft_minutes_is_a_change(published, past_meeting):
    apologies = past_meeting.items.get(kind="apologies")
    minutes.record_minute(
        item=apologies,
        discussion="Apologies were received from Cllr Smith.",
        resolutions=["the apologies be noted"],
        expected_version=apologies.minute.version,
    )
    changes = [text for _, text in publishing.pending_changes(published)]
    assert changes == ["The minutes of the meeting of 27 October 2016 changed."]
    version = publishing.publish_agenda(meeting=published)
    assert version.kind == PackKind.REVISED
    assert "Apologies were received from Cllr Smith." in pdf_text(
        version.members_pdf.open("rb").read()
    )
    assert version.public_changes == changes  # the public minutes changed too


def test_a_correction_to_an_exempt_minute_is_not_told_to_the_public(published, past_meeting):
    secret = agenda.add_item(
        meeting=past_meeting,
        title="Staffing matter",
        is_exempt=True,
        exempt_paragraph=1,
        exempt_reason="About a named officer",
    )
    minutes.record_minute(item=secret, discussion="A NAMED OFFICER", resolutions=[])
    publishing.publish_agenda(meeting=published)  # the heading is news to the public
    minutes.record_minute(
        item=secret,
        discussion="A NAMED OFFICER, corrected",
        resolutions=[],
        expected_version=secret.minute.version,
    )
    version = publishing.publish_agenda(meeting=published)
    assert any("minutes of the meeting of 27 October 2016" in c for c in version.changes)
    assert not any("minutes of the meeting" in c for c in version.public_changes)
