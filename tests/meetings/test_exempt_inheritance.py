"""Exempt status is inherited: a plain sub-item of an exempt item, its papers, minute,
actions and amendments are exempt with it (issue 11, High). Each test attacks over HTTP
as the person who must not see the material."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings import agenda, minutes, papers, publishing, scheduling
from tests.meetings.factories import make_pdf
from tests.meetings.test_agenda_pack import page_texts
from tests.plans.factories import PriorityFactory, ThemeFactory, adopted_plan

pytestmark = pytest.mark.django_db


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def nested(body):
    """26 January 2017, published: an exempt item with a plain sub-item (not marked
    exempt itself) carrying an uploaded PDF, and an open item beside them."""
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    agenda.add_item(meeting=meeting, title="Performance report")
    secret = agenda.add_item(
        meeting=meeting,
        title="Named offenders",
        is_exempt=True,
        exempt_paragraph=7,
        exempt_reason="Paragraph 7: prevention of crime",
    )
    sub = agenda.add_item(meeting=meeting, title="Case review of J Bloggs", parent=secret)
    paper = papers.attach_upload(
        item=sub, name="case.pdf", content=make_pdf("CASE REVIEW PAPER"), title="Case file"
    )
    publishing.publish_agenda(meeting=meeting)
    meeting.refresh_from_db()
    return {"meeting": meeting, "secret": secret, "sub": sub, "paper": paper}


def test_the_sub_item_of_an_exempt_item_is_exempt(nested):
    from meetings import access

    assert not nested["sub"].is_exempt  # not marked itself ...
    assert access.is_exempt(nested["sub"])  # ... but exempt through its parent
    assert access.is_paper_exempt(nested["paper"])


def test_partners_and_officers_cannot_download_a_paper_of_an_exempt_items_sub_item(
    client_for, partnership, partner, officer, board_member, clerk, nested
):
    url = reverse("meetings:paper", args=[partnership.slug, nested["paper"].pk])
    for reader in (partner, officer):
        assert client_for(reader).get(url).status_code == 403
    for reader in (board_member, clerk):
        assert client_for(reader).get(url).status_code == 200


def test_the_meeting_page_hides_an_exempt_items_sub_item_from_partners(
    client_for, partnership, partner, board_member, nested
):
    url = reverse("meetings:meeting", args=[partnership.slug, nested["meeting"].pk])
    html = client_for(partner).get(url).content.decode()
    assert "Performance report" in html
    # the sub-item keeps its number and heading, with the notice of its parent's paragraph
    assert "Case review of J Bloggs" in html and "paragraph 7 of Part 1 of Schedule 12A" in html
    assert "Case file" not in html
    html = client_for(board_member).get(url).content.decode()
    assert "Case review of J Bloggs" in html


def test_the_public_page_and_pack_leave_out_an_exempt_items_sub_item(
    client, partnership, body, nested
):
    base = f"/public/{partnership.slug}/{body.slug}/2017-01-26/"
    html = client.get(base).content.decode()
    assert "Performance report" in html and "Case file" not in html
    text = " ".join("".join(page_texts(_content(client.get(base + "pack.pdf")))).split())
    assert "CASE REVIEW PAPER" not in text and "Case file" not in text
    assert "Not for publication by virtue of paragraph 7 of Part 1 of Schedule 12A" in text


def test_a_supplementary_packs_public_changes_do_not_name_an_exempt_items_sub_item(
    client, partnership, body, nested
):
    papers.attach_upload(
        item=nested["sub"], name="more.pdf", content=make_pdf("MORE"), title="Witness list"
    )
    version = publishing.publish_agenda(meeting=nested["meeting"])
    assert any("Witness list" in change for change in version.changes)
    assert not any("Witness list" in change for change in version.public_changes)
    assert not any("Case review" in change for change in version.public_changes)


def test_the_priority_page_lists_an_exempt_items_sub_item_only_to_those_entitled(
    client_for, partnership, partner, officer, board_member, nested
):
    plan = adopted_plan(partnership)
    theme = ThemeFactory(plan=plan, number=1, title="Protecting the vulnerable")
    priority = PriorityFactory(plan=plan, theme=theme, number=1, title="Reduce reoffending")
    nested["sub"].priorities.add(priority)
    agenda.add_item(meeting=nested["meeting"], title="Reoffending update").priorities.add(priority)
    url = reverse("plans:priority", args=[partnership.slug, priority.pk])
    for reader in (partner, officer):
        html = client_for(reader).get(url).content.decode()
        assert "Reoffending update" in html  # the open item is listed ...
        assert "Case review of J Bloggs" not in html  # ... the exempt sub-item is not
    assert "Case review of J Bloggs" in client_for(board_member).get(url).content.decode()


def test_the_priority_page_lists_no_item_of_an_unpublished_meeting_to_partners(
    client_for, partnership, partner, board_member, body
):
    plan = adopted_plan(partnership)
    theme = ThemeFactory(plan=plan, number=1, title="Protecting the vulnerable")
    priority = PriorityFactory(plan=plan, theme=theme, number=1, title="Reduce reoffending")
    draft = scheduling.schedule_meeting(body=body, date=dt.date(2017, 4, 20))
    agenda.add_item(meeting=draft, title="Draft strategy").priorities.add(priority)
    scheduling.set_status(meeting=draft, status="cancelled")  # cancelled, never published
    url = reverse("plans:priority", args=[partnership.slug, priority.pk])
    assert "Draft strategy" not in client_for(partner).get(url).content.decode()
    assert "Draft strategy" in client_for(board_member).get(url).content.decode()


@pytest.fixture
def confirmed_with_exempt_business(body, clerk, board_member, past_meeting):
    """27 October 2016 (published, held): an exempt item with a plain sub-item, each
    with an action; confirmed at the next meeting; then amended on each."""
    secret = agenda.add_item(
        meeting=past_meeting,
        title="Tender evaluation",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Para 3",
    )
    sub = agenda.add_item(meeting=past_meeting, title="Bidder scores", parent=secret)
    minutes.record_minute(item=sub, discussion="Scores were discussed.", resolutions=[])
    minutes.add_action(meeting=past_meeting, item=secret, description="Negotiate with Acme Ltd")
    minutes.add_action(meeting=past_meeting, item=sub, description="Rescore Bidder B")
    minutes.add_action(meeting=past_meeting, description="Circulate the strategy")
    publishing.publish_agenda(meeting=past_meeting)
    following = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=following, signed_by=clerk)
    minutes.amend_minutes(
        meeting=past_meeting, item=sub, text="Bidder B scored 71 not 17.", reason="Typo", by=clerk
    )
    minutes.amend_minutes(
        meeting=past_meeting, item=secret, text="Acme's price was £9,000.", reason="Typo", by=clerk
    )
    minutes.amend_minutes(
        meeting=past_meeting, text="Cllr Smith sent apologies.", reason="Omitted", by=clerk
    )
    return {"meeting": past_meeting, "following": following}


SECRETS = ("Bidder B scored 71", "Acme's price", "Negotiate with Acme", "Rescore Bidder B")


def test_the_public_minutes_pdf_leaves_out_amendments_and_actions_of_exempt_items(
    client, partnership, body, confirmed_with_exempt_business
):
    response = client.get(f"/public/{partnership.slug}/{body.slug}/2016-10-27/minutes.pdf")
    assert response.status_code == 200
    text = "".join(page_texts(_content(response)))
    assert "Cllr Smith sent apologies." in text  # the public amendment is printed ...
    assert "Circulate the strategy" in text  # ... and the public action
    for secret in SECRETS:
        assert secret not in text, secret


def test_members_who_do_not_read_exempt_business_get_the_public_minutes(
    client_for, partnership, partner, board_member, confirmed_with_exempt_business
):
    meeting = confirmed_with_exempt_business["meeting"]
    for name in ("minutes_pdf", "meeting"):
        url = reverse(f"meetings:{name}", args=[partnership.slug, meeting.pk])
        response = client_for(partner).get(url)
        body = (
            page_texts(response.content) if name == "minutes_pdf" else [response.content.decode()]
        )
        text = "".join(body)
        assert "Cllr Smith sent apologies." in text
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    board = client_for(board_member).get(
        reverse("meetings:meeting", args=[partnership.slug, meeting.pk])
    )
    assert "Bidder B scored 71" in board.content.decode()


def test_matters_arising_of_an_exempt_sub_item_stay_out_of_the_public_pack(
    client, client_for, partnership, partner, body, confirmed_with_exempt_business
):
    following = confirmed_with_exempt_business["following"]
    publishing.publish_agenda(meeting=following)
    text = "".join(
        page_texts(
            _content(client.get(f"/public/{partnership.slug}/{body.slug}/2017-01-26/pack.pdf"))
        )
    )
    assert "Circulate the strategy" in text  # matters arising of the open business
    assert "Rescore Bidder B" not in text and "Negotiate with Acme" not in text
    page = client_for(partner).get(
        reverse("meetings:meeting", args=[partnership.slug, following.pk])
    )
    assert "Circulate the strategy" in page.content.decode()
    assert "Rescore Bidder B" not in page.content.decode()


def test_the_public_minutes_pdf_leaves_out_an_action_of_an_exempt_items_sub_item(
    client, partnership, body, clerk, past_meeting
):
    secret = agenda.add_item(
        meeting=past_meeting,
        title="Tender evaluation",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Para 3",
    )
    sub = agenda.add_item(meeting=past_meeting, title="Bidder scores", parent=secret)
    minutes.add_action(meeting=past_meeting, item=sub, description="Rescore Bidder B")
    minutes.add_action(meeting=past_meeting, description="Circulate the strategy")
    publishing.publish_agenda(meeting=past_meeting)
    following = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=following, signed_by=clerk)
    response = client.get(f"/public/{partnership.slug}/{body.slug}/2016-10-27/minutes.pdf")
    text = "".join(page_texts(_content(response)))
    assert "Circulate the strategy" in text
    assert "Rescore Bidder B" not in text
