"""Attendance for the whole body on one page: every member, officers and guests by name,
one all-or-nothing save, and a stale save refused rather than overwriting."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from csp_portal.models import Role
from meetings import attendance, scheduling
from meetings.models import Attendance
from meetings.printed_minutes import build_minutes_pdf
from tests.factories import member

SIXTEEN = 16


@pytest.fixture
def members(partnership, body):
    people = [
        member(
            partnership,
            Role.BOARD_MEMBER,
            username=f"m{n}",
            first_name=f"Member{n:02d}",
            last_name=f"Surname{n:02d}",
        )
        for n in range(SIXTEEN)
    ]
    body.members.set(people)
    return people


@pytest.fixture
def meeting(body):
    return scheduling.schedule_meeting(body=body, date=dt.date(2016, 10, 27), propose=False)


@pytest.fixture
def url(partnership, meeting):
    return reverse("meetings:attendance", args=[partnership.slug, meeting.pk])


def _everyone(members, status="present", **extra) -> dict:
    data = {"version": 0, "others": 5, "save": "1"}
    for person in members:
        data[f"m{person.pk}_status"] = status
    data.update(extra)
    return data


def test_every_member_is_listed_on_one_page(client_for, clerk, url, members):
    page = client_for(clerk).get(url).content.decode()
    for person in members:
        assert f'name="m{person.pk}_status"' in page
        assert person.get_full_name() in page


def test_sixteen_present_officers_and_a_guest_are_saved_in_one_go(
    client_for, clerk, url, meeting, members
):
    data = _everyone(
        members,
        **{
            f"m{members[0].pk}_role": "Chair",
            f"m{members[1].pk}_status": "substitute",
            f"m{members[1].pk}_substitute": "Cllr P. Standin",
            f"m{members[2].pk}_status": "apologies",
            "o0_name": "Mr M. Burbidge",
            "o0_organisation": "Charnwood Borough Council",
            "o0_status": "officer",
            "o1_name": "Ms A. Fadesco",
            "o1_organisation": "Charnwood Borough Council",
            "o1_status": "officer",
            "o2_name": "Mr K. Visitor",
            "o2_organisation": "Loughborough University",
            "o2_status": "guest",
        },
    )
    response = client_for(clerk).post(url, data)
    assert response.status_code == 302
    rows = meeting.attendance
    assert rows.filter(status="present").count() == SIXTEEN - 2
    assert rows.get(person=members[1]).substitute_name == "Cllr P. Standin"
    assert rows.filter(person__isnull=True).count() == 3
    meeting.refresh_from_db()
    assert meeting.attendance_version == 1

    text = " ".join(p.extract_text() for p in PdfReader_(build_minutes_pdf(meeting, public=False)))
    text = " ".join(text.split())
    assert "Member00 Surname00 (Chair)" in text
    assert "Cllr P. Standin (substitute for Member01 Surname01)" in text
    assert "Officers in attendance" in text and "Mr M. Burbidge – Charnwood Borough Council" in text
    assert "Also in attendance" in text and "Mr K. Visitor – Loughborough University" in text
    assert "Apologies" in text and "Member02 Surname02" in text


def PdfReader_(content: bytes):
    import io

    return PdfReader(io.BytesIO(content)).pages


def test_a_member_left_unmarked_refuses_the_whole_save_and_keeps_what_was_typed(
    client_for, clerk, url, meeting, members
):
    data = _everyone(members, o0_name="Ms J. Robinson", o0_status="officer")
    del data[f"m{members[5].pk}_status"]
    response = client_for(clerk).post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Choose whether {members[5].get_full_name()} was present" in page
    assert 'value="Ms J. Robinson"' in page  # nothing typed is lost
    assert not meeting.attendance.exists()  # and nothing was saved


def test_a_substitute_needs_a_name(meeting, members):
    lines = [attendance.MemberLine(person=p, status="present") for p in members]
    lines[3] = attendance.MemberLine(person=members[3], status="substitute")
    with pytest.raises(ValidationError, match="give the name of the substitute"):
        attendance.save_sheet(meeting=meeting, lines=lines, others=[], expected_version=0)
    assert not meeting.attendance.exists()


def test_someone_not_a_member_cannot_be_marked_as_one(partnership, meeting, members):
    stranger = member(partnership, Role.PARTNER, username="stranger")
    with pytest.raises(ValidationError, match="is not a member"):
        attendance.save_sheet(
            meeting=meeting,
            lines=[attendance.MemberLine(person=stranger, status="present")],
            others=[],
            expected_version=0,
        )


def test_a_second_clerks_stale_save_is_refused_showing_what_the_first_recorded(
    client_for, clerk, partnership, url, meeting, members
):
    other_clerk = member(partnership, Role.CLERK, username="clerk2")
    first, second = client_for(clerk), client_for(other_clerk)
    assert 'name="version" value="0"' in first.get(url).content.decode()
    assert 'name="version" value="0"' in second.get(url).content.decode()
    assert first.post(url, _everyone(members)).status_code == 302
    response = second.post(url, _everyone(members, status="absent"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved the attendance" in page
    assert "What changed since you opened this form" in page
    assert meeting.attendance.filter(status="present").count() == SIXTEEN  # not overwritten
    assert 'name="version" value="1"' in page  # saving again overwrites knowingly
    assert second.post(url, _everyone(members, status="absent", version=1)).status_code == 302
    assert meeting.attendance.filter(status="absent").count() == SIXTEEN


def test_recording_one_person_makes_an_open_sheet_stale(meeting, members):
    attendance.record_attendance(meeting=meeting, person=members[0], status="present")
    with pytest.raises(ValidationError, match="Someone else saved"):
        attendance.save_sheet(
            meeting=meeting,
            lines=[attendance.MemberLine(person=p, status="absent") for p in members],
            others=[],
            expected_version=0,
        )


def test_more_rows_saves_nothing_and_keeps_the_typing(client_for, clerk, url, meeting, members):
    data = _everyone(members, o4_name="Mr T. McCabe", more="1")
    del data["save"]
    response = client_for(clerk).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="o9_name"' in page and 'value="Mr T. McCabe"' in page
    assert not meeting.attendance.exists()


def test_the_migration_keeps_the_printed_name_of_existing_rows(meeting, members):
    person = members[0]
    person.profile.title = "Councillor"
    person.profile.save()
    row = Attendance.objects.create(meeting=meeting, person=person, status="present")
    migration = importlib.import_module("meetings.migrations.0006_whole_body_attendance")
    migration.printed_names(apps, None)
    row.refresh_from_db()
    assert row.name == "Councillor Member00 Surname00"
