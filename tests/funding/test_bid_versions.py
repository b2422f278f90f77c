"""No lost update on a bid (issue 11, item 7): two people of the applicant's organisation
edit one draft; the second save, made against the version they opened, is refused with a
page that shows what the first changed and keeps everything the second typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from funding.models import Bid

pytestmark = pytest.mark.django_db


def edit_url(cast, bid):
    return reverse("funding:bid_edit", args=[cast.partnership.slug, bid.pk])


def typed(cast, version, **changes):
    data = {
        "fund": cast.fund.pk,
        "budget_line": cast.line.pk,
        "title": "Street-based youth work",
        "description": "Detached youth workers.",
        "amount_requested": "1250.00",
        "deliverables": "48 sessions.",
        "timescale": "October to March",
        "delivery_group": cast.group.pk,
        "version": version,
    }
    return {**data, **changes}


def opened_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_a_stale_save_is_refused_showing_what_changed_and_keeping_what_was_typed(cast, client_for):
    bid = cast.bid("1250.00", title="Street-based youth work")
    applicant, colleague = client_for(cast.applicant), client_for(cast.colleague)
    mine = opened_version(applicant.get(edit_url(cast, bid)).content.decode())
    theirs = opened_version(colleague.get(edit_url(cast, bid)).content.decode())
    assert mine == theirs == "1"

    saved = colleague.post(edit_url(cast, bid), typed(cast, theirs, amount_requested="1400.00"))
    assert saved.status_code == 302

    response = applicant.post(
        edit_url(cast, bid), typed(cast, mine, description="Detached youth workers, Fridays.")
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Not saved: someone else changed this bid after you opened it" in page
    # What changed: the amount, £1,250.00 when opened, £1,400.00 saved.
    row = re.search(r"<th scope=\"row\">Amount requested \(£\)</th>(.*?)</tr>", page).group(1)
    assert "£1,250.00" in row and "£1,400.00" in row
    # Everything typed is still in the form, now against the saved version.
    assert "Detached youth workers, Fridays." in page and 'value="1250.00"' in page
    assert opened_version(page) == "2"
    bid.refresh_from_db()
    assert (bid.amount_requested, bid.description, bid.version) == (
        1400,
        "Detached youth workers.",
        2,
    )

    # Having looked, saving again keeps the applicant's version deliberately.
    again = applicant.post(
        edit_url(cast, bid),
        typed(cast, opened_version(page), description="Detached youth workers, Fridays."),
    )
    assert again.status_code == 302
    bid.refresh_from_db()
    assert bid.description == "Detached youth workers, Fridays." and bid.version == 3


def test_a_save_without_the_version_is_refused(cast, client_for):
    bid = cast.bid(title="Street-based youth work")
    data = typed(cast, "", title="Changed")
    response = client_for(cast.applicant).post(edit_url(cast, bid), data)
    assert (
        response.status_code == 200
        and "which version of the bid you started from" in response.content.decode()
    )
    assert Bid.objects.get(pk=bid.pk).title == "Street-based youth work"


def test_each_save_moves_the_version_on(cast, client_for):
    bid = cast.bid(title="Street-based youth work")
    client = client_for(cast.applicant)
    for version in ("1", "2", "3"):
        assert client.post(edit_url(cast, bid), typed(cast, version)).status_code == 302
    assert Bid.objects.get(pk=bid.pk).version == 4
