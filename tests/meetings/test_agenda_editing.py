"""Creating a meeting proposes its agenda; moving and nesting items renumbers them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings import agenda, minutes, scheduling, selectors
from meetings.models import ForwardProgrammeEntry, Timing


def numbers(meeting) -> list[tuple[str, str]]:
    return [(n.number, n.item.title) for n in selectors.flatten(selectors.numbered_agenda(meeting))]


def test_new_meeting_proposes_the_usual_agenda(body, past_meeting):
    ForwardProgrammeEntry.objects.create(
        body=body, item="Performance Update", timing=Timing.STANDING
    )
    ForwardProgrammeEntry.objects.create(
        body=body, item="Draft Delivery Group Action Plans", timing=Timing.ANNUAL, annual_month=1
    )
    ForwardProgrammeEntry.objects.create(
        body=body, item="Appointment of Vice-chair", timing=Timing.ANNUAL, annual_month=7
    )
    minutes.add_action(meeting=past_meeting, description="Report student statistics")
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    titles = [title for _, title in numbers(meeting)]
    assert titles == [
        "Apologies",
        "Minutes",
        "Matters arising",
        "Draft Delivery Group Action Plans",
        "Performance Update",
        "Any Other Business",
        "Forward Programme",
    ]
    assert "27 October 2016" in meeting.items.get(title="Minutes").purpose
    assert meeting.venue == body.default_venue
    assert meeting.start_time == dt.time(13, 30)


def test_moving_an_item_renumbers_the_agenda(pack_meeting):
    before = numbers(pack_meeting)
    county = pack_meeting.items.get(title="County Council Update")
    county_number = next(n for n, t in before if t == "County Council Update")
    agenda.move_item(item=county, direction="up")
    after = {t: n for n, t in numbers(pack_meeting)}
    # Moving above the exempt item moves above the exclusion of the press and public
    # proposed before it, too: the two stay together, and every number follows.
    assert int(after["County Council Update"]) == int(county_number) - 2
    assert int(after["Exclusion of the press and public"]) == int(county_number) - 1
    assert int(after["Contract award"]) == int(county_number)


def test_sub_items_are_lettered_and_follow_their_parent(pack_meeting):
    after = {t: n for n, t in numbers(pack_meeting)}
    parent = after["Delivery Group Updates"]
    assert after["Strategic Group"] == f"{parent}(a)"
    assert after["JAG Delivery Group"] == f"{parent}(b)"
    jag = pack_meeting.items.get(title="JAG Delivery Group")
    agenda.move_item(item=jag, direction="up")
    after = {t: n for n, t in numbers(pack_meeting)}
    assert after["JAG Delivery Group"] == f"{parent}(a)"
    assert after["Strategic Group"] == f"{parent}(b)"


def test_nesting_and_un_nesting_an_item(pack_meeting):
    county = pack_meeting.items.get(title="County Council Update")
    agenda.indent_item(item=county)
    after = {t: n for n, t in numbers(pack_meeting)}
    parent_number = after["Contract award"]
    assert after["County Council Update"] == f"{parent_number}(a)"
    agenda.outdent_item(item=pack_meeting.items.get(title="County Council Update"))
    after = {t: n for n, t in numbers(pack_meeting)}
    assert after["County Council Update"] == str(int(parent_number) + 1)


def test_first_item_cannot_move_up(pack_meeting):
    first = pack_meeting.items.get(title="Apologies")
    with pytest.raises(ValidationError, match="cannot move up"):
        agenda.move_item(item=first, direction="up")


def test_removing_an_item_closes_the_gap(pack_meeting):
    agenda.remove_item(item=pack_meeting.items.get(title="Contract award"))
    orders = list(pack_meeting.items.filter(parent=None).values_list("order", flat=True))
    assert sorted(orders) == list(range(1, len(orders) + 1))


def test_exempt_item_needs_a_reason(pack_meeting):
    with pytest.raises(ValidationError):
        agenda.add_item(meeting=pack_meeting, title="Secret", is_exempt=True)
    assert not pack_meeting.items.filter(title="Secret").exists()


def test_two_meetings_of_a_body_at_the_same_time_are_refused(body, past_meeting):
    with pytest.raises(ValidationError, match="already meets on 27 October 2016 at 13:30"):
        scheduling.schedule_meeting(body=body, date=dt.date(2016, 10, 27))
    assert body.meetings.count() == 1


def test_the_same_time_is_fine_for_another_body(body, past_meeting, partnership):
    from tests.meetings.factories import board

    other = board(partnership, name="Strategic Group", slug="strategic")
    scheduling.schedule_meeting(body=other, date=dt.date(2016, 10, 27), start_time=dt.time(13, 30))
    assert other.meetings.count() == 1


def test_clerk_schedules_a_meeting_with_the_bodys_defaults(client_for, clerk, partnership, body):
    response = client_for(clerk).post(
        f"/p/{partnership.slug}/meetings/schedule/", {"body": body.pk, "date": "2017-04-20"}
    )
    assert response.status_code == 302
    meeting = body.meetings.get()
    assert (meeting.start_time, meeting.venue) == (dt.time(13, 30), body.default_venue)
    assert meeting.items.filter(kind="aob").exists()


def test_an_items_presenter_organisation_is_one_of_the_partnerships_own(
    partnership, other_partnership, body
):
    from meetings.forms import ItemForm
    from tests.factories import OrganisationFactory

    ours = OrganisationFactory(name="Charnwood Borough Council")
    ours.partnerships.add(partnership)
    theirs = OrganisationFactory(name="Melton Borough Council")
    theirs.partnerships.add(other_partnership)
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2030, 1, 10))
    choices = ItemForm(meeting=meeting).fields["presenter_organisation"].queryset
    assert list(choices) == [ours]
