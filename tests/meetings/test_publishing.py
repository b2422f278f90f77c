"""Publishing freezes the pack; later changes go out as a revised or supplementary pack."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meetings import agenda, generated_papers, papers, publishing
from meetings.models import MeetingStatus
from tests.meetings.factories import make_pdf
from tests.meetings.test_agenda_pack import page_texts


def test_publishing_keeps_the_pack_as_it_stood(pack_meeting, clerk):
    version = publishing.publish_agenda(meeting=pack_meeting, by=clerk)
    pack_meeting.refresh_from_db()
    assert pack_meeting.status == MeetingStatus.AGENDA_PUBLISHED
    assert version.number == 1 and version.kind == "agenda"
    frozen = version.members_pdf.open("rb").read()
    agenda.add_item(meeting=pack_meeting, title="Late business")
    assert version.members_pdf.open("rb").read() == frozen
    assert "LATE BUSINESS" not in "".join(page_texts(frozen))


def test_a_new_item_after_publication_issues_a_revised_pack(pack_meeting, clerk):
    publishing.publish_agenda(meeting=pack_meeting, by=clerk)
    item = agenda.add_item(meeting=pack_meeting, title="Late business")
    papers.attach_upload(item=item, name="late.pdf", content=make_pdf("LATE PAPER", 1))
    version = publishing.publish_agenda(meeting=pack_meeting, by=clerk)
    assert version.kind == "revised" and version.number == 2
    assert any("“Late business” added" in c for c in version.changes)
    assert any("paper “late” added" in c for c in version.changes)
    text = "".join(page_texts(version.members_pdf.open("rb").read()))
    assert "Revised agenda pack 1: what has changed" in text
    assert "LATE PAPER" in text


def test_nothing_changed_means_no_supplementary_pack(pack_meeting):
    publishing.publish_agenda(meeting=pack_meeting)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        publishing.publish_agenda(meeting=pack_meeting)
    assert pack_meeting.packs.count() == 1


def test_public_supplementary_pack_does_not_name_exempt_changes(
    pack_meeting, client_for, partner, partnership
):
    publishing.publish_agenda(meeting=pack_meeting)
    agenda.add_item(
        meeting=pack_meeting,
        title="Staffing matter",
        is_exempt=True,
        exempt_paragraph=1,
        exempt_reason="Personal",
    )
    agenda.add_item(meeting=pack_meeting, title="Open late item")
    version = publishing.publish_agenda(meeting=pack_meeting)
    assert any("Staffing matter" in c for c in version.changes)
    assert any("paragraph 1" in c for c in version.changes)
    # the public is told of the heading it will see, never the reason
    assert not any("Personal" in c for c in version.public_changes)
    public_text = " ".join("".join(page_texts(version.public_pdf.open("rb").read())).split())
    assert "Open late item" in public_text and "Personal" not in public_text
    assert "paragraph 1 of Part 1 of Schedule 12A" in public_text
    page = client_for(partner).get(f"/p/{partnership.slug}/meetings/{pack_meeting.pk}/")
    assert "Personal" not in page.content.decode()


def test_a_generated_paper_that_fails_stops_publication(pack_meeting):
    from csp_portal.extension_points import PackBlock, register_pack_block, registry

    def broken(partnership, params):
        raise ValueError("no figures for that quarter")

    register_pack_block(PackBlock("broken_block", "Broken", broken))
    try:
        item = pack_meeting.items.get(title="County Council Update")
        generated_papers.attach_generated_paper(
            item=item, key="broken_block", params={"quarter": "Q9"}
        )
        with pytest.raises(ValidationError, match="could not be generated"):
            publishing.publish_agenda(meeting=pack_meeting)
    finally:
        registry.pack_blocks.pop("broken_block", None)
    pack_meeting.refresh_from_db()
    assert pack_meeting.status == MeetingStatus.SCHEDULED
    assert not pack_meeting.packs.exists()
