"""The core's reminder framework: working days (weekends and England & Wales bank
holidays), a source registered through the extension point, each reminder sent once and
recorded, the per-partnership texts (placeholders checked in the admin), the home page's
"Due soon and overdue" fed by the same collection, and the daily run queued once a day."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from csp_portal import reminders
from csp_portal.admin import ReminderTextForm
from csp_portal.daily import queue_daily_run
from csp_portal.extension_points import (
    ReminderKind,
    ReminderSource,
    register_reminder_source,
    registry,
)
from csp_portal.models import DailyRun, ReminderText, Role, SentReminder
from csp_portal.working_days import (
    BANK_HOLIDAYS,
    add_working_days,
    is_working_day,
    working_days_between,
)
from tests.factories import member

pytestmark = pytest.mark.django_db

KIND = ReminderKind("test.thing_due", "A test thing", "Due: {title}", "{name}: {detail} {link}")


@pytest.fixture
def clerk_due(partnership, clerk):
    """A source naming the clerk, due on a chosen day (and on no other)."""
    days: set[dt.date] = set()

    def collect(context):
        return [
            reminders.Reminder(
                key=f"test.thing_due:{p.pk}:{context.today}",
                kind="test.thing_due",
                partnership=p,
                recipients=reminders.people(context.people_with_role(p, Role.CLERK)),
                title="The thing for the test",
                url="/p/charnwood/",
                detail="It is due.",
                due=context.today,
            )
            for p in context.partnerships
            if context.today in days
        ]

    register_reminder_source(ReminderSource("test", collect, (KIND,)))
    yield days
    registry.reminder_sources.pop("test", None)


# --- working days ---------------------------------------------------------------------


def test_a_friday_plus_one_working_day_is_the_monday():
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 30), -1) == dt.date(2026, 11, 27)


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(dt.date(2026, 12, 28))  # Boxing Day's substitute
    assert not is_working_day(dt.date(2022, 9, 19))  # the State Funeral
    assert not is_working_day(dt.date(2023, 5, 8))  # the Coronation
    assert is_working_day(dt.date(2026, 12, 29))
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 29)) == 1


def test_the_table_has_eight_bank_holidays_a_year_but_the_special_ones():
    per_year = {y: sum(d.year == y for d in BANK_HOLIDAYS) for y in range(2021, 2031)}
    assert per_year == {y: 10 if y == 2022 else 9 if y == 2023 else 8 for y in range(2021, 2031)}


def test_counting_leaves_out_the_start_day_and_weekends():
    assert working_days_between(dt.date(2026, 11, 25), dt.date(2026, 11, 25)) == 0
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 11, 29)) == 0  # Fri→Sun
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 11, 30)) == 1


# --- sending once ---------------------------------------------------------------------


def test_sent_once_and_recorded(clerk_due, clerk, django_capture_on_commit_callbacks):
    day = dt.date(2026, 12, 2)
    clerk_due.add(day)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.send_reminders(day)
        again = reminders.send_reminders(day)
    assert [r.kind for r in first.sent] == ["test.thing_due"]
    assert again.sent == [] and again.already_sent == 1
    assert [m.to for m in mail.outbox] == [[clerk.email]]
    record = SentReminder.objects.get()
    assert (record.kind, record.day, record.recipients) == ("test.thing_due", day, clerk.email)


def test_a_reminder_nobody_can_receive_is_not_recorded(
    clerk_due, clerk, django_capture_on_commit_callbacks
):
    day = dt.date(2026, 12, 2)
    clerk_due.add(day)
    type(clerk).objects.filter(pk=clerk.pk).update(email="")
    assert reminders.send_reminders(day).sent == []
    assert not SentReminder.objects.exists()
    type(clerk).objects.filter(pk=clerk.pk).update(email="clerk@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert len(reminders.send_reminders(day).sent) == 1
    assert mail.outbox[0].to == ["clerk@example.org"]


def test_the_default_text_and_the_partnerships_own(
    clerk_due, clerk, partnership, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://csp.example.org"
    day = dt.date(2026, 12, 2)
    clerk_due.add(day)
    clerk_due.add(day + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminders(day)
    name = clerk.get_full_name()
    assert mail.outbox[0].subject == "Due: The thing for the test"
    assert mail.outbox[0].body == f"{name}: It is due. https://csp.example.org/p/charnwood/"
    ReminderText.objects.create(
        partnership=partnership,
        kind="test.thing_due",
        subject="{partnership} asks: {title} by {due}",
        body="Open {link}, {name}.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminders(day + dt.timedelta(days=1))
    assert mail.outbox[1].subject == "Charnwood CSP asks: The thing for the test by 3 December 2026"
    assert mail.outbox[1].body == f"Open https://csp.example.org/p/charnwood/, {name}."


def test_the_admin_refuses_an_unknown_placeholder(clerk_due, partnership):
    form = ReminderTextForm(
        data={
            "partnership": partnership.pk,
            "kind": "test.thing_due",
            "subject": "Due: {titel}",
            "body": "{link}",
        }
    )
    assert not form.is_valid()
    assert form.errors["subject"] == ["Unknown placeholder(s): titel. Use only those listed."]
    assert ("test.thing_due", "A test thing (test.thing_due)") in form.fields["kind"].choices


def test_the_home_page_lists_the_reminders_naming_the_person(clerk_due, clerk, partner, client_for):
    clerk_due.add(timezone.localdate())
    page = client_for(clerk).get(reverse("home")).content.decode()
    assert "Due soon and overdue" in page and "The thing for the test" in page
    other = client_for(partner).get(reverse("home")).content.decode()
    assert "Due soon and overdue" in other and "The thing for the test" not in other


# --- the daily run --------------------------------------------------------------------


def test_the_daily_run_is_queued_once_a_day_from_its_hour(
    clerk_due, clerk, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path  # the run's clean-up prunes files: none of the suite's
    settings.DAILY_TASKS_HOUR = 7
    day = dt.date(2026, 12, 2)
    clerk_due.add(day)
    early = timezone.make_aware(dt.datetime(2026, 12, 2, 6, 59))
    assert queue_daily_run(early) is False and not DailyRun.objects.exists()
    at_seven = timezone.make_aware(dt.datetime(2026, 12, 2, 7, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_daily_run(at_seven) is True  # the immediate backend runs it at once
        assert queue_daily_run(at_seven + dt.timedelta(hours=3)) is False
    assert DailyRun.objects.get().day == day
    assert [m.to for m in mail.outbox] == [[clerk.email]]


def test_the_clock_can_be_turned_off_for_cron(settings):
    settings.DAILY_TASKS_HOUR = -1
    assert queue_daily_run(timezone.make_aware(dt.datetime(2026, 12, 2, 12))) is False


def test_other_members_with_the_role_each_get_their_own_email(
    clerk_due, clerk, partnership, django_capture_on_commit_callbacks
):
    second = member(partnership, Role.CLERK, username="secondclerk")
    day = dt.date(2026, 12, 2)
    clerk_due.add(day)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminders(day)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([clerk.email, second.email])
