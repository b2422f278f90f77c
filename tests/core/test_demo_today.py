"""The demo is alive on any day: loaded today, or on another date, it has what a
partnership has in hand that day (issue 16): the Board's and the Strategic Group's next
meetings with agendas, bids waiting for each decider, a monitoring return due next month,
a partner report asked for, and no fund open whose bids have closed. Its user-facing
text carries no developer notes, a second load changes nothing, and the printed logins
say who each person is, in words."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from funding.home import decision_queue
from funding.models import Bid, Fund, MonitoringReturn
from meetings.models import AgendaItem, ItemKind, Meeting, Paper, PartnerReport

pytestmark = pytest.mark.django_db

#: Days the demo is loaded on: today, and dates in other quarters and years.
DAYS = [None, "2027-06-10", "2031-02-14"]


def _load(settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@contextlib.contextmanager
def _no_freeze():
    yield


def _user(username: str):
    return get_user_model().objects.get(username=username)


def check_board_and_strategic_group_meet_within_weeks_with_agendas(loaded_on: dt.date) -> None:
    for slug in ("board", "strategic-group"):
        meeting = (
            Meeting.objects.filter(body__slug=slug, date__gt=loaded_on).order_by("date").first()
        )
        assert meeting is not None, slug
        assert meeting.date <= loaded_on + dt.timedelta(weeks=4), slug
        kinds = set(meeting.items.values_list("kind", flat=True))
        assert {ItemKind.APOLOGIES, ItemKind.STANDING, ItemKind.FORWARD_PROGRAMME} <= kinds
        # proposed from the Forward Programme, with generated papers attached
        assert meeting.items.filter(forward_programme_entry__isnull=False).exists(), slug
        assert Paper.objects.filter(item__meeting=meeting).count() >= 2, slug


def check_the_next_board_has_an_exempt_item_and_a_report_asked_for(loaded_on: dt.date) -> None:
    board = Meeting.objects.filter(body__slug="board", date__gt=loaded_on).order_by("date")[0]
    exempt = board.items.get(is_exempt=True)
    assert exempt.exempt_paragraph == 7 and exempt.exempt_reason
    assert board.items.filter(kind=ItemKind.EXCLUSION).exists()
    asked = AgendaItem.objects.get(
        meeting=board, presenter_organisation__name="Leicestershire Fire and Rescue Service"
    )
    assert not asked.papers.exists()  # the partner's report is not in yet
    # a report written for it, waiting for the clerk, with its performance table
    report = PartnerReport.objects.get(meeting=board)
    assert report.performance_rows.filter(crime_type="All Crime").exists()
    assert not report.papers.exists()
    # its agenda pack is published, the exempt item's content left out of the public one
    pack = board.packs.get()
    assert pack.members_pdf and pack.public_pdf


def check_bids_wait_for_each_kind_of_decider(loaded_on: dt.date) -> None:
    waiting = {name: decision_queue(_user(name)) for name in ("dgchair", "officer", "chair")}
    assert {b.state for b in waiting["dgchair"]} == {"submitted"}  # the delivery group
    assert "with_panel" in {b.state for b in waiting["officer"]}  # the Strategic Group
    assert {b.state for b in waiting["chair"]} == {"with_office_holders"}
    for bid in Bid.objects.exclude(state="draft"):
        assert bid.fund.year.contains(loaded_on)  # made in this year's fund


def check_a_monitoring_return_is_due_next_month(loaded_on: dt.date) -> None:
    next_month = (loaded_on.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    due = MonitoringReturn.objects.filter(
        submitted_at__isnull=True,
        bid__state="approved",
        due_date__gt=loaded_on,
        due_date__lte=loaded_on + dt.timedelta(days=31),
    )
    assert any(
        (r.due_date.year, r.due_date.month) == (next_month.year, next_month.month) for r in due
    )


def check_only_this_years_fund_is_open(loaded_on: dt.date) -> None:
    open_funds = [f for f in Fund.objects.all() if f.accepts_bids(loaded_on)]
    assert [f.year.contains(loaded_on) for f in open_funds] == [True]
    for fund in Fund.objects.all():
        if fund.year.end < loaded_on:
            assert fund.bids_close_on is not None and fund.bids_close_on < loaded_on


#: Words that give away a developer's note in text a user reads.
DEVELOPER_NOTES = re.compile(r"seed|fixture|demo data", re.IGNORECASE)


def _user_facing_text():
    """Every text field of the demo's records in the apps people read (not users' own
    names or the audit history's tables)."""
    for label in ("csp_portal", "performance", "plans", "meetings", "funding"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.object_name.startswith("Historical"):
                continue
            fields = [
                f.name
                for f in model._meta.get_fields()
                if getattr(f, "get_internal_type", lambda: "")() in ("CharField", "TextField")
                and not f.name.endswith(("_key", "password", "username", "sha256"))
            ]
            for row in model.objects.values("pk", *fields):
                for name in fields:
                    yield model._meta.label, name, row[name] or ""


def check_no_user_facing_demo_text_carries_developer_notes(loaded_on: dt.date) -> None:
    found = [
        (label, name, text[:80])
        for label, name, text in _user_facing_text()
        if DEVELOPER_NOTES.search(text)
    ]
    assert found == []


@pytest.mark.parametrize("day", DAYS, ids=lambda day: day or "today")
def test_the_demo_is_alive_on_the_day_it_is_loaded(settings, day):
    """Each load takes half a minute: one load per day, every check on it."""
    with freeze_time(day) if day else _no_freeze():
        _load(settings)
        today = timezone.localdate()
        check_board_and_strategic_group_meet_within_weeks_with_agendas(today)
        check_the_next_board_has_an_exempt_item_and_a_report_asked_for(today)
        check_bids_wait_for_each_kind_of_decider(today)
        check_a_monitoring_return_is_due_next_month(today)
        check_only_this_years_fund_is_open(today)
        check_no_user_facing_demo_text_carries_developer_notes(today)


def test_loading_twice_on_the_same_day_changes_nothing(settings):
    with freeze_time("2027-06-10"):
        _load(settings)
        models = [m for m in apps.get_models() if not m._meta.object_name.startswith("Historical")]
        counts = {m._meta.label: m.objects.count() for m in models}
        _load(settings)
        again = {m._meta.label: m.objects.count() for m in models}
    changed = {k: (counts[k], again[k]) for k in counts if counts[k] != again[k]}
    # the only rows a reload adds are its own background work and sessions, if any
    assert {
        k for k in changed if not k.startswith(("csp_portal.Background", "django_tasks"))
    } == set()


def test_printed_logins_name_roles_in_words(settings):
    printed = _load(settings)
    lines = [line.strip() for line in printed.splitlines() if " — " in line]
    assert (
        "board — board member (Helen Ward): read the year-to-date dashboard and the next Board pack"
        in lines
    )
    by_user = {line.split(" — ")[0]: line for line in lines}
    assert {"officer", "clerk", "board", "partner", "chair", "dgchair", "pcc-analyst"} <= set(
        by_user
    )
    assert "decide the bid waiting for you" in by_user["chair"]
    assert "enter this quarter's figures" in by_user["officer"]
    assert "add the missing papers to the next Board" in by_user["clerk"]
    assert "county view" in by_user["pcc-analyst"]
    for line in lines:  # role codes never printed
        assert not re.search(r"\b(board_member|performance_officer|county_analyst)\b", line), line


HOME_JOBS = {
    "board": [
        "Next meeting: Charnwood Community Safety Partnership Board",
        "Performance dashboard",
    ],
    "clerk": ["has no paper yet", "report from Leicestershire Police is in"],
    "dgchair": ["Arson reduction in Loughborough East"],
    "chair": ["Bike marking days"],
    "vicechair": ["Bike marking days"],
    "designated": ["Bonfire night leaflet drop", "Next meeting: Strategic Group"],
    "officer": ["Community Safety Bus in priority neighbourhoods"],
    "partner": ["Monitoring return", "Leicestershire Fire and Rescue Service update"],
}


def test_each_demo_home_shows_its_next_job(settings, client):
    _load(settings)
    missing = []
    for username, jobs in HOME_JOBS.items():
        client.force_login(_user(username))
        page = client.get(reverse("home")).content.decode()
        missing += [(username, job) for job in jobs if job not in page]
    assert missing == []
