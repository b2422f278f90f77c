"""Public PDFs are built once (issue 11, item 11): the public minutes are printed when
confirmed (again on an amendment) and served from storage like the packs; anonymous
visitors are limited per address on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from meetings import agenda, minutes, publishing, scheduling
from tests.meetings.test_agenda_pack import page_texts

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def confirmed(body, clerk, past_meeting):
    agenda.add_item(
        meeting=past_meeting,
        title="Staffing matter",
        is_exempt=True,
        exempt_paragraph=1,
        exempt_reason="Para 1",
    )
    publishing.publish_agenda(meeting=past_meeting)
    following = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    minutes.confirm_minutes(meeting=past_meeting, at=following, signed_by=clerk)
    past_meeting.refresh_from_db()
    return past_meeting


def _url(meeting, name: str) -> str:
    return f"/public/{meeting.body.partnership.slug}/{meeting.body.slug}/{meeting.date}/{name}"


def test_the_public_minutes_are_frozen_at_confirmation_and_served_from_storage(client, confirmed):
    assert confirmed.public_minutes_pdf  # printed by the confirmation itself
    stored = confirmed.public_minutes_pdf.open("rb").read()
    response = client.get(_url(confirmed, "minutes.pdf"))
    assert response.status_code == 200 and response.streaming  # a stored file, not a layout
    assert b"".join(response.streaming_content) == stored
    assert "Apologies were received." in "".join(page_texts(stored))


def test_an_amendment_reprints_the_frozen_public_minutes(client, clerk, confirmed):
    minutes.amend_minutes(
        meeting=confirmed, text="Cllr Smith also sent apologies.", reason="Omitted", by=clerk
    )
    response = client.get(_url(confirmed, "minutes.pdf"))
    assert "Cllr Smith also sent apologies." in "".join(
        page_texts(b"".join(response.streaming_content))
    )


def test_an_amendment_to_an_exempt_item_leaves_the_public_minutes_as_they_were(
    client, clerk, confirmed
):
    secret = confirmed.items.get(title="Staffing matter")
    before = confirmed.public_minutes_pdf.open("rb").read()
    minutes.amend_minutes(
        meeting=confirmed, item=secret, text="Officer X suspended.", reason="Omitted", by=clerk
    )
    served = b"".join(client.get(_url(confirmed, "minutes.pdf")).streaming_content)
    assert served == before
    assert "Officer X" not in "".join(page_texts(served))


@override_settings(CACHES=LOCAL_CACHE, PUBLIC_PDF_RATE=3, PUBLIC_PDF_WINDOW=60)
def test_anonymous_visitors_are_limited_per_address_on_public_pdfs(
    client, client_for, board_member, confirmed
):
    from django.core.cache import cache

    cache.clear()
    url = _url(confirmed, "minutes.pdf")
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(_url(confirmed, "pack.pdf"), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # another address is not held up by the first
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200
    # a signed-in member is not limited
    member = client_for(board_member)
    assert [member.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)] == [200] * 4


def test_minutes_confirmed_before_freezing_are_printed_once_on_first_request(client, confirmed):
    from meetings.models import Meeting

    Meeting.objects.filter(pk=confirmed.pk).update(public_minutes_pdf="")  # as migrated
    response = client.get(_url(confirmed, "minutes.pdf"))
    assert response.status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.public_minutes_pdf  # kept: the next request is served from storage
    assert b"".join(response.streaming_content) == confirmed.public_minutes_pdf.open("rb").read()
