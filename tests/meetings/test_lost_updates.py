"""No lost update (issue 11, item 7): minutes and agenda items carry a version; a save
against a stale one is refused with a page showing what changed and keeping everything
the user typed; a minute typed while another clerk confirms the minutes is kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from csp_portal.models import Role
from meetings import agenda, scheduling
from meetings.models import Minute, MinutesAmendment
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_clerk(partnership):
    return member(partnership, Role.CLERK, username="clerk2")


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the form carries no version"
    return found.group(1)


def test_two_clerks_on_one_minute_the_stale_save_is_refused_and_kept(
    client_for, clerk, second_clerk, partnership, past_meeting
):
    item = past_meeting.items.get(kind="apologies")
    url = reverse("meetings:minute", args=[partnership.slug, item.pk])
    first, second = client_for(clerk), client_for(second_clerk)
    version_first = _version(first.get(url).content.decode())
    version_second = _version(second.get(url).content.decode())
    saved = second.post(
        url,
        {"discussion": "Apologies from Cllr Smith.", "resolutions": "", "version": version_second},
    )
    assert saved.status_code == 302

    stale = first.post(
        url,
        {
            "discussion": "Apologies from Insp Barker.",
            "resolutions": "the apologies be noted",
            "version": version_first,
        },
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone else saved the minute" in html
    assert "Apologies from Cllr Smith." in html  # what the other clerk saved ...
    assert "Apologies from Insp Barker." in html  # ... and everything this one typed
    assert "the apologies be noted" in html
    assert Minute.objects.get(item=item).discussion == "Apologies from Cllr Smith."

    # Saving again from the refusal page is a deliberate overwrite, and goes through.
    again = first.post(
        url,
        {
            "discussion": "Apologies from Insp Barker.",
            "resolutions": "the apologies be noted",
            "version": _version(html),
        },
    )
    assert again.status_code == 302
    assert Minute.objects.get(item=item).discussion == "Apologies from Insp Barker."


def test_a_minute_typed_while_another_clerk_confirms_the_minutes_is_kept(
    client_for, clerk, second_clerk, partnership, body, past_meeting
):
    item = past_meeting.items.get(kind="apologies")
    url = reverse("meetings:minute", args=[partnership.slug, item.pk])
    writer = client_for(clerk)
    version = _version(writer.get(url).content.decode())

    following = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    confirmed = client_for(second_clerk).post(
        reverse("meetings:status", args=[partnership.slug, following.pk]),
        {"step": "confirm_previous"},
    )
    assert confirmed.status_code == 302
    past_meeting.refresh_from_db()
    assert past_meeting.minutes_locked

    typed = "Cllr Patel's apologies arrived after the meeting began."
    response = writer.post(url, {"discussion": typed, "resolutions": "", "version": version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "were confirmed and signed while you were writing" in html
    assert typed.replace("'", "&#x27;") in html  # kept, in the amendment form
    assert 'action="' + reverse("meetings:amend", args=[partnership.slug, past_meeting.pk]) in html
    assert Minute.objects.get(item=item).discussion == "Apologies were received."

    # The kept text becomes an amendment to that item with one more step.
    amended = writer.post(
        reverse("meetings:amend", args=[partnership.slug, past_meeting.pk]),
        {"text": typed, "reason": "Typed as the minutes were confirmed.", "item": item.pk},
    )
    assert amended.status_code == 302
    assert MinutesAmendment.objects.get(meeting=past_meeting).text == typed


def test_two_clerks_editing_one_agenda_item_the_stale_save_is_refused(
    client_for, clerk, second_clerk, partnership, body
):
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    item = agenda.add_item(meeting=meeting, title="Hate crime", purpose="An update.")
    url = reverse("meetings:edit_item", args=[partnership.slug, item.pk])
    first, second = client_for(clerk), client_for(second_clerk)
    version_first = _version(first.get(url).content.decode())
    assert (
        second.post(
            url,
            {
                "title": "Hate crime",
                "purpose": "Report from the Hate Crime Officer.",
                "version": _version(second.get(url).content.decode()),
            },
        ).status_code
        == 302
    )
    stale = first.post(
        url,
        {"title": "Tension monitoring", "purpose": "Mine.", "version": version_first},
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Report from the Hate Crime Officer." in html and "Tension monitoring" in html
    item.refresh_from_db()
    assert (item.title, item.purpose) == ("Hate crime", "Report from the Hate Crime Officer.")


def test_a_save_posting_no_version_is_refused_not_applied_blindly(
    client_for, clerk, partnership, past_meeting
):
    item = past_meeting.items.get(kind="apologies")
    response = client_for(clerk).post(
        reverse("meetings:minute", args=[partnership.slug, item.pk]),
        {"discussion": "Overwritten", "resolutions": ""},
    )
    assert response.status_code == 409
    assert Minute.objects.get(item=item).discussion == "Apologies were received."
