"""Partner update reports as in the partnership's template (seed 003): the performance
table as rows prefilled from the portal's own figures, the quarter and the meeting, author
and date prefilled, all-or-nothing saving with errors named by row and column, and the
report's page with its next step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from csp_portal.models import Profile
from meetings import agenda, papers, reports, scheduling
from meetings.models import PartnerReport, PerformanceRow
from meetings.report_forms import quarter_key
from tests.factories import OrganisationFactory
from tests.meetings.factories import board
from tests.performance.factories import enter_ytd, make_categories

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(partnership, partner):
    organisation = OrganisationFactory(name="Leicestershire Police")
    partnership.organisations.add(organisation)
    Profile.objects.filter(user=partner).update(organisation=organisation)
    partner.first_name, partner.last_name = "Dave", "Barker"
    partner.save()
    return organisation


@pytest.fixture
def next_board(partnership):
    body = board(partnership)
    return scheduling.schedule_meeting(body=body, date=timezone.localdate() + dt.timedelta(days=14))


def _url(partnership, name="meetings:report_new", *args) -> str:
    return reverse(name, args=[partnership.slug, *args])


def _form(police, meeting, **fields) -> dict:
    data = {
        "organisation": police.pk,
        "author": "D Barker",
        "date": "2026-10-14",
        "subject": "Police update",
        "summary": "Quarter two performance.",
        "quarter": quarter_key(reports.quarters_to_report_on()[0]),
        "meeting": meeting.pk,
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "0",
        "rows-0-crime_type": "All Crime",
        "rows-0-change_pct": "",
        "rows-0-previous": "7124",
        "rows-0-current": "7475",
        "rows-1-crime_type": "Robbery",
        "rows-1-change_pct": "−11.1%",
        "rows-1-previous": "45",
        "rows-1-current": "40",
        "rows-2-crime_type": "",
        "rows-2-previous": "",
        "rows-2-current": "",
    }
    data.update(fields)
    return data


def test_the_table_author_and_date_are_prefilled(client_for, partner, police, partnership):
    quarter = reports.quarters_to_report_on()[0]
    categories = make_categories(partnership)
    enter_ytd(partnership, categories["ALL"], quarter, 7475)
    enter_ytd(partnership, categories["ALL"], quarter.same_quarter_last_year, 7124)
    enter_ytd(partnership, categories["ROB"], quarter, 40)
    response = client_for(partner).get(_url(partnership))
    assert response.status_code == 200
    rows = response.context["rows"]
    prefilled = [form.initial for form in rows.forms if form.initial]
    assert prefilled[0] == {
        "crime_type": "All Crime",
        "change_pct": "+4.9%",
        "previous": 7124,
        "current": 7475,
    }
    assert prefilled[1]["crime_type"] == "Robbery" and prefilled[1]["current"] == 40
    assert prefilled[1]["previous"] is None and prefilled[1]["change_pct"] == ""
    assert len(prefilled) == 2  # only crime types the portal has a figure for
    assert len(rows.forms) == 2 + 3  # and blank rows to add more
    form = response.context["form"]
    assert form["author"].value() == "Dave Barker"
    assert form["date"].value() == timezone.localdate()
    assert form["quarter"].value() == quarter_key(quarter)
    html = response.content.decode()
    assert 'value="7475"' in html and "Row 1, Current" in html
    # The date as a date input reads it (a locale's 01/12/2026 would show it blank).
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html


def test_refilling_for_another_quarter_keeps_what_was_typed(
    client_for, partner, police, partnership, next_board
):
    older = reports.quarters_to_report_on()[2]
    categories = make_categories(partnership)
    enter_ytd(partnership, categories["SHOP"], older, 383)
    data = _form(police, next_board, quarter=quarter_key(older), subject="Typed subject")
    response = client_for(partner).post(_url(partnership), {**data, "refill": "1"})
    assert response.status_code == 200
    assert not PartnerReport.objects.exists()
    initial = [f.initial for f in response.context["rows"].forms if f.initial]
    assert [r["crime_type"] for r in initial] == ["Shoplifting"]
    assert response.context["form"]["subject"].value() == "Typed subject"


def test_a_bad_row_is_refused_by_row_and_field_and_nothing_is_saved(
    client_for, partner, police, partnership, next_board
):
    data = _form(
        police,
        next_board,
        **{
            "rows-2-crime_type": "Cycle Theft",
            "rows-2-previous": "230",
            "rows-2-current": "about 180",
        },
    )
    response = client_for(partner).post(_url(partnership), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 3, Current: enter a whole number" in html
    assert 'href="#id_rows-2-current"' in html  # the summary leads to the cell
    assert "Nothing was saved" in html
    assert not PartnerReport.objects.exists() and not PerformanceRow.objects.exists()
    # Everything typed is shown again: the text, the good rows and the bad cell.
    for typed in ("Police update", "Quarter two performance.", 'value="7124"', "about 180"):
        assert typed in html
    assert 'value="−11.1%"' in html


def test_a_row_with_figures_and_no_crime_type_is_named(
    client_for, partner, police, partnership, next_board
):
    data = _form(police, next_board, **{"rows-2-previous": "12", "rows-2-crime_type": ""})
    response = client_for(partner).post(_url(partnership), data)
    assert response.status_code == 400
    assert "Row 3, Crime type: name the crime type" in response.content.decode()
    assert not PartnerReport.objects.exists()


def test_a_past_meeting_is_not_offered(client_for, partner, police, partnership, next_board):
    past = scheduling.schedule_meeting(body=next_board.body, date=dt.date(2017, 1, 26))
    response = client_for(partner).post(_url(partnership), _form(police, past))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not PartnerReport.objects.exists()


def test_saving_lands_on_the_report_with_its_next_step(
    client_for, partner, clerk, police, partnership, next_board
):
    response = client_for(partner).post(_url(partnership), _form(police, next_board))
    report = PartnerReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(partnership, "meetings:report", report.pk)
    assert (report.period.number, report.meeting) == (
        reports.quarters_to_report_on()[0].number,
        next_board,
    )
    rows = list(report.performance_rows.values_list("crime_type", "change_pct", "current"))
    # A blank "performance to date" is worked out from the figures; a typed one is kept.
    assert rows == [("All Crime", Decimal("4.9"), 7475), ("Robbery", Decimal("-11.1"), 40)]
    page = client_for(partner).get(response["Location"]).content.decode()
    assert f"Submitted to the clerk for {next_board}" in page
    assert "−11.1%" in page and "7,475" in page
    clerk_page = client_for(clerk).get(response["Location"]).content.decode()
    assert f"Attach to the agenda of {next_board}" in clerk_page
    item = agenda.add_item(meeting=next_board, title="Police update")
    papers.attach_report(item=item, report=report)
    attached = client_for(clerk).get(response["Location"]).content.decode()
    assert "On the agenda of" in attached and "Attach to the agenda" not in attached


def test_an_old_free_text_report_still_shows_its_performance_data(
    client_for, board_member, partnership
):
    report = PartnerReport.objects.create(
        partnership=partnership,
        organisation=OrganisationFactory(name="Probation Service"),
        author="M Clay",
        date=dt.date(2022, 10, 16),
        subject="Probation update",
        summary="Requested for CSP",
        performance_data="Seeking re-offending data for people on probation.",
    )
    page = client_for(board_member).get(_url(partnership, "meetings:report", report.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Seeking re-offending data" in html and "Next step" not in html


def test_the_table_prints_in_the_agenda_pack(client_for, partner, police, partnership, next_board):
    from io import BytesIO

    from pypdf import PdfReader

    from meetings.pack_builder import build_pack

    assert client_for(partner).post(_url(partnership), _form(police, next_board)).status_code == 302
    item = agenda.add_item(meeting=next_board, title="Police update")
    papers.attach_report(item=item, report=PartnerReport.objects.get())
    built = build_pack(next_board, public=True)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(built.pdf)).pages)
    for shown in ("Performance to date", "All Crime", "+4.9%", "7,124", "7,475", "−11.1%"):
        assert shown in text, shown
