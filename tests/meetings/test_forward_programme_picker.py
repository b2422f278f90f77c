"""The Forward Programme picker on the agenda: entries planned for the meeting (one
rescheduled to it among them) are offered, reach the agenda when picked, and are then
marked taken."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import forward_programme, scheduling
from meetings.models import Timing
from tests.meetings.factories import board


@pytest.fixture
def april(body):
    return scheduling.schedule_meeting(body=body, date=dt.date(2017, 4, 20))


@pytest.fixture
def rescheduled(body, april):
    """An entry planned for January, rescheduled to April after April's agenda was
    proposed (so proposing did not put it there)."""
    entry = forward_programme.plan_forward_programme_entry(
        body=body, item="Draft Delivery Group Action Plans", timing=Timing.ANNUAL, annual_month=1
    )
    return forward_programme.plan_forward_programme_entry(
        body=body, entry=entry, item=entry.item, timing=Timing.MEETING, target_meeting=april
    )


@pytest.fixture
def later(body):
    return forward_programme.plan_forward_programme_entry(
        body=body, item="Community trigger review", timing=Timing.TO_BE_SCHEDULED
    )


def test_an_entry_rescheduled_to_a_meeting_is_offered_to_its_agenda(april, rescheduled, later):
    assert not april.items.filter(forward_programme_entry=rescheduled).exists()
    offers = forward_programme.offers(april)
    assert [(o.entry, o.planned_here, o.taken) for o in offers] == [
        (rescheduled, True, False),
        (later, False, False),
    ]


def test_picked_entries_reach_the_agenda_and_are_marked_taken(
    client_for, clerk, partnership, april, rescheduled, later
):
    url = reverse("meetings:fp_pick", args=[partnership.slug, april.pk])
    response = client_for(clerk).post(url, {"entry": [rescheduled.pk, later.pk]})
    assert response.status_code == 302
    titles = [i.title for i in april.items.filter(parent=None).order_by("order")]
    # before Any Other Business and the Forward Programme item, as new business goes
    assert titles[-4:] == [
        "Draft Delivery Group Action Plans",
        "Community trigger review",
        "Any Other Business",
        "Forward Programme",
    ]
    assert april.items.get(title="Community trigger review").forward_programme_entry == later
    assert all(o.taken for o in forward_programme.offers(april))
    assert "Put on the agenda of 20 April 2017." in [e.note for e in rescheduled.events.all()]
    page = (
        client_for(clerk)
        .get(reverse("meetings:meeting", args=[partnership.slug, april.pk]))
        .content.decode()
    )
    assert f'value="{rescheduled.pk}" id="fp-entry-{rescheduled.pk}" disabled' in page
    assert "taken: on this agenda" in page


def test_the_picker_opens_when_an_entry_planned_here_is_not_on_the_agenda(
    client_for, clerk, partnership, april, rescheduled
):
    page = (
        client_for(clerk)
        .get(reverse("meetings:meeting", args=[partnership.slug, april.pk]))
        .content.decode()
    )
    assert '<details class="mt-3 d-print-none" id="fp-picker" open>' in page
    assert "Draft Delivery Group Action Plans (20 April 2017)" in page
    assert "planned for this meeting" in page


def test_picking_twice_is_refused_and_adds_nothing(april, rescheduled):
    forward_programme.add_to_agenda(meeting=april, entries=[rescheduled])
    count = april.items.count()
    with pytest.raises(ValidationError, match="already on this agenda"):
        forward_programme.add_to_agenda(meeting=april, entries=[rescheduled])
    assert april.items.count() == count


def test_an_entry_of_another_body_is_refused(partnership, april):
    group = board(partnership, name="Strategic Group", slug="strategic")
    theirs = forward_programme.plan_forward_programme_entry(
        body=group, item="Their business", timing=Timing.TO_BE_SCHEDULED
    )
    with pytest.raises(ValidationError, match="another body"):
        forward_programme.add_to_agenda(meeting=april, entries=[theirs])


def test_an_entry_of_another_partnership_is_not_found(
    client_for, clerk, partnership, other_partnership, april
):
    theirs = forward_programme.plan_forward_programme_entry(
        body=board(other_partnership), item="Melton business", timing=Timing.STANDING
    )
    url = reverse("meetings:fp_pick", args=[partnership.slug, april.pk])
    response = client_for(clerk).post(url, {"entry": [theirs.pk]}, follow=True)
    assert "not in this Forward Programme" in response.content.decode()
    assert not april.items.filter(title="Melton business").exists()
