"""Two clerks saving one minute at once on PostgreSQL: two sessions, one stale. The
meeting row lock serialises them; the second, holding the version both opened, is
refused and nothing of the first is lost."""

from __future__ import annotations

import pytest

from csp_portal.versioning import StaleVersion
from meetings import minutes, scheduling
from meetings.models import AgendaItem, Minute
from tests.concurrency import race as _race
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_clerks_saving_one_minute_at_once_one_is_refused_as_stale(past_meeting):
    item = past_meeting.items.get(kind="apologies")
    opened_at = Minute.objects.get(item=item).version  # both forms opened at this version

    def save(text: str):
        return lambda: minutes.record_minute(
            item=AgendaItem.objects.get(pk=item.pk),
            discussion=text,
            resolutions=[],
            expected_version=opened_at,
        )

    results = _race([save("Apologies from Cllr Smith."), save("Apologies from Insp Barker.")])
    refused = [r for r in results if isinstance(r, StaleVersion)]
    saved = [r for r in results if isinstance(r, Minute)]
    assert len(refused) == 1 and len(saved) == 1, results
    stored = Minute.objects.get(item=item)
    assert stored.discussion == saved[0].discussion
    assert stored.version == opened_at + 1
    # the refusal shows the winner's text beside the loser's
    change = refused[0].changes[0]
    assert change.stored == stored.discussion and change.typed != stored.discussion


def test_a_clerks_save_racing_the_confirmation_is_refused_and_the_minutes_stay_whole(
    past_meeting, body, clerk
):
    import datetime as dt

    item = past_meeting.items.get(kind="apologies")
    opened_at = Minute.objects.get(item=item).version
    following = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    results = _race(
        [
            lambda: minutes.record_minute(
                item=AgendaItem.objects.get(pk=item.pk),
                discussion="Late apologies from Cllr Patel.",
                resolutions=[],
                expected_version=opened_at,
            ),
            lambda: minutes.confirm_minutes(
                meeting=past_meeting.__class__.objects.get(pk=past_meeting.pk),
                at=following,
                signed_by=clerk,
            ),
        ]
    )
    assert not any(isinstance(r, Exception) and not hasattr(r, "messages") for r in results), (
        results
    )
    past_meeting.refresh_from_db()
    assert past_meeting.minutes_locked  # the confirmation always goes through
    discussion = Minute.objects.get(item=item).discussion
    if isinstance(results[0], Minute):  # the minute won the lock: it is in what was confirmed
        assert discussion == "Late apologies from Cllr Patel."
    else:  # the confirmation won: the save was refused (the view keeps the text)
        assert "confirmed and signed" in str(results[0])
        assert discussion == "Apologies were received."
