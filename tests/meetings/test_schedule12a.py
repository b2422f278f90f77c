"""Exempt items per Schedule 12A to the Local Government Act 1972: the paragraph and the
public interest reason are required (form, service, database), the agenda proposes the
exclusion of the press and public before the first exempt item, and the public versions
print each exempt item's number, heading and notice in place of its content (read back
from the real PDFs with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from meetings import agenda, minutes, papers, publishing, schedule12a, scheduling, selectors
from meetings.forms import ItemForm
from meetings.models import AgendaItem, ItemKind
from tests.meetings.factories import make_pdf

NOTICE_3 = (
    "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local "
    "Government Act 1972"
)


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF as pypdf reads it, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def numbered(meeting, *, public: bool = False) -> list[tuple[str, str]]:
    nodes = selectors.flatten(selectors.numbered_agenda(meeting, include_exempt=not public))
    return [(n.number, n.item.title) for n in nodes]


# --- the paragraphs ---------------------------------------------------------------------


def test_the_seven_paragraphs_carry_their_statutory_wording_and_source():
    assert list(schedule12a.PARAGRAPHS) == [1, 2, 3, 4, 5, 6, 7]
    assert schedule12a.PARAGRAPHS[3].startswith(
        "Information relating to the financial or business affairs of any particular person"
    )
    assert "prevention, investigation or prosecution of crime" in schedule12a.PARAGRAPHS[7]
    assert schedule12a.SOURCE == "https://www.legislation.gov.uk/ukpga/1972/70/schedule/12A"


def test_the_form_offers_the_paragraphs_and_requires_one_and_a_reason(pack_meeting):
    form = ItemForm({"title": "Tender", "is_exempt": "on", "version": "1"}, meeting=pack_meeting)
    labels = dict(form.fields["exempt_paragraph"].choices)
    assert labels[7].startswith("7. Information relating to any action taken")
    assert not form.is_valid()
    assert "paragraph of Schedule 12A" in form.errors["exempt_paragraph"][0]
    assert "public interest reason" in form.errors["exempt_reason"][0]
    assert form.data["title"] == "Tender"  # what was typed is kept for the page


def test_the_form_accepts_an_exempt_item_with_paragraph_and_reason(pack_meeting):
    form = ItemForm(
        {
            "title": "Tender",
            "is_exempt": "on",
            "exempt_paragraph": "3",
            "exempt_reason": "Bids are commercially sensitive until the award",
            "version": "1",
        },
        meeting=pack_meeting,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["exempt_paragraph"] == 3


def test_the_service_refuses_an_exempt_item_without_a_paragraph(pack_meeting):
    with pytest.raises(ValidationError) as refused:
        agenda.add_item(
            meeting=pack_meeting, title="Tender", is_exempt=True, exempt_reason="Commercial"
        )
    assert "exempt_paragraph" in refused.value.message_dict
    assert not pack_meeting.items.filter(title="Tender").exists()


def test_the_service_refuses_a_paragraph_outside_part_1(pack_meeting):
    with pytest.raises(ValidationError, match="1 to 7"):
        agenda.add_item(
            meeting=pack_meeting,
            title="Tender",
            is_exempt=True,
            exempt_paragraph=8,
            exempt_reason="Commercial",
        )


def test_the_database_refuses_an_exempt_item_without_a_paragraph(pack_meeting):
    item = pack_meeting.items.get(title="Contract award")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(exempt_paragraph=None)


def test_the_database_refuses_a_paragraph_on_an_open_item(pack_meeting):
    item = pack_meeting.items.get(title="County Council Update")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(exempt_paragraph=3)


def test_an_item_no_longer_exempt_cites_no_paragraph(pack_meeting):
    item = pack_meeting.items.get(title="Contract award")
    agenda.update_item(item=item, is_exempt=False, expected_version=item.version)
    item.refresh_from_db()
    assert item.exempt_paragraph is None


def test_the_migration_reads_the_paragraph_from_an_old_reason():
    from importlib import import_module

    migration = import_module("meetings.migrations.0006_schedule12a_lifecycle_publish_job")
    found = migration.PARAGRAPH_IN_REASON.search("Commercially sensitive (paragraph 3)")
    assert found and found.group(1) == "3"
    assert migration.PARAGRAPH_IN_REASON.search("Para 7: crime").group(1) == "7"
    assert migration.PARAGRAPH_IN_REASON.search("Personal") is None


# --- the exclusion of the press and public --------------------------------------------


def test_the_agenda_proposes_the_exclusion_before_the_first_exempt_item(pack_meeting):
    rows = numbered(pack_meeting)
    titles = [title for _, title in rows]
    at = titles.index("Contract award")
    assert titles[at - 1] == "Exclusion of the press and public"
    exclusion = pack_meeting.items.get(kind=ItemKind.EXCLUSION)
    assert "section 100A(4) of the Local Government Act 1972" in exclusion.purpose
    assert "paragraph 3 of Part 1 of Schedule 12A" in exclusion.purpose
    assert "the following item of business" in exclusion.purpose


def test_the_exclusion_cites_every_exempt_paragraph(pack_meeting):
    agenda.add_item(
        meeting=pack_meeting,
        title="Named offender",
        is_exempt=True,
        exempt_paragraph=7,
        exempt_reason="An investigation is under way",
    )
    exclusion = pack_meeting.items.get(kind=ItemKind.EXCLUSION)
    assert "paragraphs 3 and 7 of Part 1" in exclusion.purpose
    assert "the following items of business" in exclusion.purpose
    assert pack_meeting.items.filter(kind=ItemKind.EXCLUSION).count() == 1


def test_the_exclusion_moves_with_the_first_exempt_item(pack_meeting):
    secret = pack_meeting.items.get(title="Contract award")
    agenda.move_item(item=secret, direction="up")  # past the exclusion, before item above
    titles = [t for _, t in numbered(pack_meeting)]
    at = titles.index("Contract award")
    assert titles[at - 1] == "Exclusion of the press and public"
    assert titles[at + 1] == "Delivery Group Updates"  # it moved above the item it passed
    county = pack_meeting.items.get(title="County Council Update")
    for _ in range(3):
        agenda.move_item(item=county, direction="up")
    titles = [t for _, t in numbered(pack_meeting)]
    assert titles[titles.index("Contract award") - 1] == "Exclusion of the press and public"


def test_the_exclusion_goes_when_no_item_is_exempt(pack_meeting):
    item = pack_meeting.items.get(title="Contract award")
    agenda.update_item(item=item, is_exempt=False, expected_version=item.version)
    assert not pack_meeting.items.filter(kind=ItemKind.EXCLUSION).exists()
    assert [n for n, _ in numbered(pack_meeting) if "(" not in n] == [
        str(i) for i in range(1, len(selectors.numbered_agenda(pack_meeting)) + 1)
    ]


def test_the_exclusion_sits_before_an_exempt_sub_item_at_its_level(pack_meeting):
    updates = pack_meeting.items.get(title="Delivery Group Updates")
    agenda.add_item(
        meeting=pack_meeting,
        title="Domestic homicide review",
        parent=updates,
        is_exempt=True,
        exempt_paragraph=2,
        exempt_reason="It would identify the family",
    )
    rows = {title: number for number, title in numbered(pack_meeting)}
    assert rows["Exclusion of the press and public"].endswith("(c)")
    assert rows["Domestic homicide review"].endswith("(d)")


@pytest.mark.parametrize("step", ["edit", "move", "remove", "indent"])
def test_the_exclusion_is_not_edited_by_hand(pack_meeting, step):
    exclusion = pack_meeting.items.get(kind=ItemKind.EXCLUSION)
    with pytest.raises(ValidationError, match="proposed by the portal"):
        if step == "edit":
            agenda.update_item(item=exclusion, title="Typed", expected_version=1)
        elif step == "move":
            agenda.move_item(item=exclusion, direction="up")
        elif step == "remove":
            agenda.remove_item(item=exclusion)
        else:
            agenda.indent_item(item=exclusion)


# --- public and members' versions ---------------------------------------------------------


@pytest.fixture
def published(pack_meeting):
    secret = pack_meeting.items.get(title="Contract award")
    agenda.update_item(
        item=secret, purpose="SECRET PURPOSE of the award", expected_version=secret.version
    )
    return publishing.publish_agenda(meeting=pack_meeting)


def test_the_public_agenda_keeps_the_number_and_heading_with_the_notice(
    client, partnership, body, published
):
    html = client.get(f"/public/{partnership.slug}/{body.slug}/2017-01-26/").content.decode()
    number = {t: n for n, t in numbered(published.meeting)}["Contract award"]
    assert re.search(rf"<strong>{re.escape(number)}</strong> Contract award", html)
    assert NOTICE_3 in html
    assert "SECRET PURPOSE" not in html and "Commercially sensitive" not in html


def test_the_public_pack_prints_the_notice_and_no_exempt_content(published):
    text = pdf_text(published.public_pdf.open("rb").read())
    assert "CONTRACT AWARD" in text
    assert NOTICE_3 in text
    assert "SECRET PAPER" not in text and "SECRET PURPOSE" not in text
    assert "Commercially sensitive" not in text  # the reason is for members only
    assert "Exclusion of the press and public".upper() in text


def test_the_members_pack_shows_the_paragraph_reason_and_marks(published):
    text = pdf_text(published.members_pdf.open("rb").read())
    assert "NOT FOR PUBLICATION" in text
    assert "paragraph 3 of Part 1 of Schedule 12A" in text
    assert "Commercially sensitive (paragraph 3)" in text
    assert "SECRET PAPER" in text and "SECRET PURPOSE" in text


def test_a_partner_sees_the_notice_not_the_content(client_for, partner, partnership, published):
    page = client_for(partner).get(f"/p/{partnership.slug}/meetings/{published.meeting.pk}/")
    html = page.content.decode()
    assert "Contract award" in html and NOTICE_3 in html
    assert "SECRET PURPOSE" not in html
    secret = published.meeting.items.get(title="Contract award").papers.get()
    assert f"/papers/{secret.pk}.pdf" not in html
    assert "Commercially sensitive" not in html


def test_a_board_member_sees_the_paragraph_and_reason(
    client_for, board_member, partnership, published
):
    page = client_for(board_member).get(f"/p/{partnership.slug}/meetings/{published.meeting.pk}/")
    html = page.content.decode()
    assert "Not for publication: paragraph 3" in html
    assert "Public interest: Commercially sensitive (paragraph 3)" in html
    assert "SECRET PURPOSE" in html


@pytest.fixture
def minuted(body, clerk, past_meeting):
    """The 27 October 2016 meeting with a minuted exempt tender, confirmed in January."""
    secret = agenda.add_item(
        meeting=past_meeting,
        title="Tender evaluation",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Bidders' prices",
    )
    minutes.record_minute(
        item=secret,
        discussion="BIDDER SCORES were discussed",
        resolutions=["the contract be awarded to BIDDER X"],
    )
    publishing.publish_agenda(meeting=past_meeting)
    following = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=following, signed_by=clerk)
    past_meeting.refresh_from_db()
    return past_meeting


def test_the_public_minutes_pdf_prints_the_notice_and_no_exempt_minute(minuted):
    text = pdf_text(minuted.public_minutes_pdf.open("rb").read())
    assert "TENDER EVALUATION" in text
    assert NOTICE_3 in text
    assert "BIDDER SCORES" not in text and "BIDDER X" not in text


def test_the_public_minutes_page_prints_the_notice(client, partnership, body, minuted):
    html = client.get(f"/public/{partnership.slug}/{body.slug}/2016-10-27/").content.decode()
    assert "Tender evaluation" in html and NOTICE_3 in html
    assert "BIDDER SCORES" not in html and "BIDDER X" not in html


def test_the_members_minutes_mark_the_exempt_minute(minuted):
    from meetings.printed_minutes import build_minutes_pdf

    text = pdf_text(build_minutes_pdf(minuted, public=False))
    assert "NOT FOR PUBLICATION" in text and "BIDDER SCORES" in text


def test_an_exempt_paper_on_an_open_item_stays_out_of_the_public_pack(pack_meeting):
    item = pack_meeting.items.get(title="County Council Update")
    papers.attach_upload(
        item=item, name="annex.pdf", content=make_pdf("ANNEX PAPER"), is_exempt=True
    )
    version = publishing.publish_agenda(meeting=pack_meeting)
    assert "ANNEX PAPER" not in pdf_text(version.public_pdf.open("rb").read())
    assert "ANNEX PAPER" in pdf_text(version.members_pdf.open("rb").read())
