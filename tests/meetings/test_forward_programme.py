"""The Forward Programme: entries, their timing and their history across meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings import forward_programme, scheduling, selectors
from meetings.models import ForwardProgrammeEntry, Timing


def test_annual_entry_needs_its_month(body):
    with pytest.raises(ValidationError):
        forward_programme.plan_forward_programme_entry(
            body=body, item="Vice-chair", timing=Timing.ANNUAL
        )
    assert not ForwardProgrammeEntry.objects.exists()


def test_rescheduling_keeps_the_history_and_moves_the_agenda(body, past_meeting):
    april = scheduling.schedule_meeting(body=body, date=dt.date(2017, 4, 20), propose=False)
    entry = forward_programme.plan_forward_programme_entry(
        body=body, item="Draft Delivery Group Action Plans", timing=Timing.ANNUAL, annual_month=1
    )
    january = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26), propose=False)
    assert entry in selectors.entries_due(january)
    forward_programme.plan_forward_programme_entry(
        body=body,
        entry=entry,
        item=entry.item,
        timing=Timing.MEETING,
        target_meeting=april,
        note="The plans need the Community Safety Plan first.",
    )
    assert entry not in selectors.entries_due(january)
    assert entry in selectors.entries_due(april)
    notes = [e.note for e in entry.events.all()]
    assert notes[0].startswith("Added to the Forward Programme: January (Annual)")
    assert "Rescheduled: 20 April 2017. The plans need" in notes[1]


def test_clerk_adds_an_entry_and_others_cannot(client_for, clerk, partner, partnership, body):
    url = f"/p/{partnership.slug}/meetings/bodies/{body.slug}/forward-programme/"
    data = {"item": "UAVA / LWA", "timing": "unscheduled", "action_by": "A. Fadesco"}
    assert client_for(partner).post(url, data).status_code == 403
    assert client_for(clerk).post(url, data).status_code == 302
    assert body.forward_programme.get().when == "To be scheduled"
    bad = client_for(clerk).post(url, {"item": "Vice-chair", "timing": "annual"})
    assert bad.status_code == 400
    assert "Give the month" in bad.content.decode()
