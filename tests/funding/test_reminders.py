"""Bids waiting for their deciders: reminded on the Nth working day after they arrived,
escalated to the deciding body's chair and the clerk on the 2Nth, each once; monitoring
returns and evaluations due within 30 days and overdue. Dates at the boundaries: a
weekend in between, the Nth working day and the day before, a bank holiday."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from csp_portal.models import ReminderText, Role, SentReminder
from csp_portal.reminders import reminders_for, send_reminders
from csp_portal.working_days import add_working_days, working_days_between
from funding import workflow
from funding.models import Bid, BidState, MonitoringReturn
from tests.factories import member

pytestmark = pytest.mark.django_db


def _on(day: dt.date):
    """The clock at 10:00 (local time) on `day`: steps taken inside happened then."""
    return freeze_time(timezone.make_aware(dt.datetime.combine(day, dt.time(10))))


@pytest.fixture
def clerk_of(cast):
    return member(cast.partnership, Role.CLERK, username="theclerk")


def _submitted(cast, day: dt.date) -> Bid:
    bid = cast.bid()
    with _on(day):
        return workflow.submit(bid=bid, by=cast.applicant)


def _send(day, capture):
    mail.outbox.clear()
    with capture(execute=True):
        result = send_reminders(day)
    return result


def _to(subject_part: str) -> set[str]:
    return {a for m in mail.outbox if subject_part in m.subject for a in m.to}


def test_reminded_on_the_fifth_working_day_not_the_day_before(
    cast, django_capture_on_commit_callbacks
):
    # Wednesday 25 November 2026; the weekend of 28-29 November does not count.
    _submitted(cast, dt.date(2026, 11, 25))
    assert _send(dt.date(2026, 12, 1), django_capture_on_commit_callbacks).sent == []
    assert mail.outbox == []
    result = _send(dt.date(2026, 12, 2), django_capture_on_commit_callbacks)
    assert [r.kind for r in result.sent] == ["funding.bid_waiting"]
    assert _to("waiting for your decision") == {"dgchair@example.org", "dgmember@example.org"}
    assert all(len(m.to) == 1 for m in mail.outbox)  # one e-mail per person
    assert "It has waited 5 working days" in mail.outbox[0].body


def test_bank_holidays_do_not_count(cast, django_capture_on_commit_callbacks):
    # Monday 21 December 2026: Christmas Day (Fri 25) and Boxing Day's substitute (Mon 28)
    # are not working days, so the fifth working day is Wednesday 30 December.
    _submitted(cast, dt.date(2026, 12, 21))
    assert _send(dt.date(2026, 12, 28), django_capture_on_commit_callbacks).sent == []
    assert _send(dt.date(2026, 12, 29), django_capture_on_commit_callbacks).sent == []
    assert len(_send(dt.date(2026, 12, 30), django_capture_on_commit_callbacks).sent) == 1


def test_escalated_to_the_chair_and_the_clerk_on_the_tenth_working_day(
    cast, clerk_of, django_capture_on_commit_callbacks
):
    _submitted(cast, dt.date(2026, 11, 25))
    _send(dt.date(2026, 12, 2), django_capture_on_commit_callbacks)
    assert _send(dt.date(2026, 12, 8), django_capture_on_commit_callbacks).sent == []
    result = _send(dt.date(2026, 12, 9), django_capture_on_commit_callbacks)
    assert [r.kind for r in result.sent] == ["funding.bid_escalated"]
    assert _to("Escalated") == {"dgchair@example.org", "theclerk@example.org"}
    assert "waited 10 working days" in mail.outbox[0].body


def test_the_partnerships_own_setting_of_n(cast, django_capture_on_commit_callbacks):
    cast.partnership.bid_reminder_working_days = 2
    cast.partnership.save()
    _submitted(cast, dt.date(2026, 11, 25))  # Wed: Thu is 1, Fri is 2
    assert _send(dt.date(2026, 11, 26), django_capture_on_commit_callbacks).sent == []
    assert len(_send(dt.date(2026, 11, 27), django_capture_on_commit_callbacks).sent) == 1


def test_running_again_sends_nothing_more(cast, clerk_of, django_capture_on_commit_callbacks):
    _submitted(cast, dt.date(2026, 11, 25))
    first = _send(dt.date(2026, 12, 9), django_capture_on_commit_callbacks)
    assert {r.kind for r in first.sent} == {"funding.bid_waiting", "funding.bid_escalated"}
    sent = len(mail.outbox)
    assert sent == 4  # two deciders, then the group's chair and the clerk
    again = _send(dt.date(2026, 12, 9), django_capture_on_commit_callbacks)
    assert again.sent == [] and again.already_sent == 2 and mail.outbox == []
    later = _send(dt.date(2026, 12, 10), django_capture_on_commit_callbacks)
    assert later.sent == [] and mail.outbox == []
    assert SentReminder.objects.count() == 2


def test_a_new_stage_is_reminded_afresh(cast, django_capture_on_commit_callbacks):
    with _on(dt.date(2026, 11, 25)):
        bid = cast.supported("999.99")  # now with the office-holders
    assert bid.state == BidState.WITH_OFFICE_HOLDERS
    _send(dt.date(2026, 12, 2), django_capture_on_commit_callbacks)
    assert _to("waiting for your decision") == {
        "chair@example.org",
        "vicechair@example.org",
        "designated@example.org",
    }


def test_a_decided_bid_reminds_nobody(cast, django_capture_on_commit_callbacks):
    submitted = _submitted(cast, dt.date(2026, 11, 25))
    with _on(dt.date(2026, 11, 26)):
        workflow.withdraw(bid=Bid.objects.get(pk=submitted.pk), by=cast.applicant)
    assert _send(dt.date(2026, 12, 9), django_capture_on_commit_callbacks).sent == []


def test_the_partnerships_text_is_sent_with_an_absolute_link(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://csp.example.org"
    ReminderText.objects.create(
        partnership=cast.partnership,
        kind="funding.bid_waiting",
        subject="Charnwood: please decide {title}",
        body="Hello {name}, a bid waits for you. Decide it here: {link} ({partnership})",
    )
    submitted = _submitted(cast, dt.date(2026, 11, 25))
    _send(dt.date(2026, 12, 2), django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == ["dgmember@example.org"])
    assert (
        message.subject == f"Charnwood: please decide Waiting for your decision: {submitted.title}"
    )
    url = f"https://csp.example.org/p/{cast.partnership.slug}/funding/bids/{submitted.pk}/"
    assert message.body == (
        f"Hello {cast.group_member.get_full_name()}, a bid waits for you. "
        f"Decide it here: {url} ({cast.partnership.name})"
    )


def test_the_home_page_lists_what_the_emails_say(
    cast, clerk_of, client_for, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    since = today - dt.timedelta(days=1)
    while working_days_between(since, today) < 10:  # escalated today (or earlier)
        since -= dt.timedelta(days=1)
    _submitted(cast, since)
    _send(today, django_capture_on_commit_callbacks)
    for person in [cast.group_member, cast.group_chair, clerk_of]:
        emailed = {m.subject for m in mail.outbox if m.to == [person.email]}
        listed = reminders_for(person, today)
        assert len(emailed) == len(listed) >= 1
        page = client_for(person).get("/").content.decode()
        assert "Due soon and overdue" in page
        for reminder in listed:
            assert reminder.title in page
            assert any(reminder.title in subject for subject in emailed)
    assert reminders_for(cast.applicant, today) == []  # not a decider of their own bid


def test_return_due_within_30_days_then_overdue(cast, clerk_of, django_capture_on_commit_callbacks):
    admin = member(cast.partnership, Role.ADMIN, username="fundadmin")
    bid = cast.bid(state=BidState.APPROVED)
    Bid.objects.filter(pk=bid.pk).update(state=BidState.APPROVED)
    due = dt.date(2027, 1, 31)
    item = MonitoringReturn.objects.create(bid=bid, period="Q3 2026/27", due_date=due)
    assert _send(due - dt.timedelta(days=31), django_capture_on_commit_callbacks).sent == []
    result = _send(due - dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert [r.kind for r in result.sent] == ["funding.return_due"]
    assert _to("Due on 31 January 2027: Monitoring return") == {"applicant@example.org"}
    assert f"Monitoring return Q3 2026/27: {bid.title}" in mail.outbox[0].subject
    assert _send(due, django_capture_on_commit_callbacks).sent == []  # due today: not overdue
    result = _send(due + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert [r.kind for r in result.sent] == ["funding.return_overdue"]
    assert _to("Overdue (due 31 January 2027): Monitoring return") == {
        "applicant@example.org",
        admin.email,
    }
    assert f"/returns/{item.pk}/" in mail.outbox[0].body
    item.submitted_at = timezone.now()
    item.save()
    assert _send(due + dt.timedelta(days=2), django_capture_on_commit_callbacks).sent == []


def test_dry_run_sends_and_records_nothing(cast, django_capture_on_commit_callbacks):
    _submitted(cast, dt.date(2026, 11, 25))
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders(dt.date(2026, 12, 2), dry_run=True)
    assert len(result.sent) == 1 and mail.outbox == [] and not SentReminder.objects.exists()


def test_the_command_takes_a_date_and_a_dry_run(cast, capsys, django_capture_on_commit_callbacks):
    _submitted(cast, dt.date(2026, 11, 25))
    call_command("send_reminders", "--date", "2026-12-02", "--dry-run")
    assert "Would send 1 reminder(s)" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-12-02")
    assert "Sent 1 reminder(s); 0 already sent" in capsys.readouterr().out
    assert len(mail.outbox) == 2
    call_command("send_reminders", "--date", "2026-12-02")
    assert "Sent 0 reminder(s); 1 already sent" in capsys.readouterr().out


def test_working_day_boundaries_used_above():
    assert add_working_days(dt.date(2026, 11, 25), 5) == dt.date(2026, 12, 2)
    assert add_working_days(dt.date(2026, 11, 25), 10) == dt.date(2026, 12, 9)
    assert add_working_days(dt.date(2026, 12, 21), 5) == dt.date(2026, 12, 30)


def test_evaluation_due_then_overdue(cast, django_capture_on_commit_callbacks):
    from funding.models import Evaluation

    bid = cast.bid(state=BidState.APPROVED)  # the factory gives it its award and dates
    due = dt.date(2027, 5, 31)
    Evaluation.objects.create(bid=bid, due_date=due)
    assert _send(due - dt.timedelta(days=31), django_capture_on_commit_callbacks).sent == []
    result = _send(due - dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert [r.kind for r in result.sent] == ["funding.evaluation_due"]
    (message,) = mail.outbox
    assert message.subject == f"Due on 31 May 2027: Evaluation: {bid.title}"
    assert f"/funding/bids/{bid.pk}/evaluation/" in message.body
    result = _send(due + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert [r.kind for r in result.sent] == ["funding.evaluation_overdue"]
