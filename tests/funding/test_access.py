"""funding/access.py over HTTP: a bid never submitted is its own organisation's alone
(issue 11: "a Delivery Group chair reads another organisation's draft bid by id")."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from funding import access, workflow
from funding.models import BidAttachment
from tests.funding.access_matrix import pdf_bytes

pytestmark = pytest.mark.django_db


def url(name, cast, *args):
    return reverse(f"funding:{name}", args=[cast.partnership.slug, *args])


@pytest.fixture
def draft(cast):
    bid = cast.bid(title="Our confidential draft")
    paper = BidAttachment.objects.create(
        bid=bid,
        file=ContentFile(pdf_bytes(), name="case.pdf"),
        original_name="case.pdf",
        size=len(pdf_bytes()),
        uploaded_by=cast.applicant,
    )
    return bid, paper


def test_a_delivery_group_chair_cannot_read_another_organisations_draft_by_id(
    cast, client_for, draft
):
    bid, paper = draft
    client = client_for(cast.group_chair)
    assert client.get(url("bid", cast, bid.pk)).status_code == 404
    assert client.get(url("attachment", cast, bid.pk, paper.pk)).status_code == 404
    assert "Our confidential draft" not in client.get(url("index", cast)).content.decode()
    workflow.submit(bid=bid, by=cast.applicant)
    assert client.get(url("bid", cast, bid.pk)).status_code == 200  # sent to their group


@pytest.mark.parametrize("reader", ["board_member", "clerk", "officer", "partnership_admin"])
def test_readers_do_not_see_a_draft_until_it_is_submitted(cast, client_for, draft, request, reader):
    bid, paper = draft
    client = client_for(request.getfixturevalue(reader))
    assert client.get(url("bid", cast, bid.pk)).status_code == 404
    assert client.get(url("attachment", cast, bid.pk, paper.pk)).status_code == 404
    assert (
        "Our confidential draft" not in client.get(url("fund", cast, cast.fund.pk)).content.decode()
    )
    workflow.submit(bid=bid, by=cast.applicant)
    assert client.get(url("bid", cast, bid.pk)).status_code == 200


def test_the_applicants_colleague_reads_and_edits_the_draft(cast, client_for, draft):
    bid, paper = draft
    client = client_for(cast.colleague)
    assert client.get(url("bid", cast, bid.pk)).status_code == 200
    assert client.get(url("attachment", cast, bid.pk, paper.pk)).status_code == 200
    assert client.get(url("bid_edit", cast, bid.pk)).status_code == 200


def test_a_withdrawn_draft_stays_its_organisations(cast, client_for, draft, board_member):
    bid, _ = draft
    workflow.withdraw(bid=bid, by=cast.applicant)
    assert client_for(board_member).get(url("bid", cast, bid.pk)).status_code == 404
    assert access.can_view_bid(cast.colleague, bid)


def test_the_predicates_agree_with_the_pages(cast, draft, board_member):
    bid, paper = draft
    assert access.can_view_bid(cast.applicant, bid) and access.can_edit_bid(cast.colleague, bid)
    assert not access.can_view_bid(cast.group_chair, bid)
    assert not access.can_view_attachment(board_member, paper)
    assert not access.can_edit_bid(cast.group_chair, bid)
    assert access.can_read_reports(board_member, cast.partnership)
    assert not access.can_read_reports(cast.applicant, cast.partnership)
    workflow.submit(bid=bid, by=cast.applicant)
    bid.refresh_from_db()
    assert access.can_declare(cast.group_chair, bid) and not access.can_decide(
        cast.group_chair, bid
    )
    workflow.declare(bid=bid, by=cast.group_chair, interest=False)
    assert access.can_decide(cast.group_chair, bid) and not access.can_declare(
        cast.group_chair, bid
    )
    assert not access.can_edit_bid(cast.applicant, bid)  # submitted: no longer editable
