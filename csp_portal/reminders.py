"""Reminders and escalation: what is due soon or overdue, for whom, sent once.

Each app registers a source (`extension_points.register_reminder_source`) whose
`collect(context)` returns the `Reminder`s due on `context.today` in
`context.partnerships`: a bid waiting for its deciders, a monitoring return due, papers
due before a meeting, quarterly figures to publish. The same list feeds two things:

- the daily run (`send_reminders`, from the worker's daily clock or
  `manage.py send_reminders` from cron) e-mails each recipient of each reminder once:
  the reminder's key is recorded (`SentReminder`, unique) in the transaction that queues
  the e-mails, so running again the same day, a retry or a second worker sends nothing;
- the home page's "Due soon and overdue" lists the reminders naming the person, so the
  page and the e-mail never disagree.

The e-mail's words are the partnership's own (`ReminderText`, edited in the admin) or
the kind's default, with placeholders filled in and the link made absolute (`SITE_URL`).
Working days: `csp_portal.working_days`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import string
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from csp_portal.extension_points import HomeEntry, ReminderKind, reminder_sources
from csp_portal.mail import send_email
from csp_portal.models import Membership, Partnership, ReminderText, SentReminder

logger = logging.getLogger(__name__)

#: What a reminder text may use, filled in per recipient.
PLACEHOLDERS = ("name", "title", "detail", "due", "link", "partnership")


@dataclass(frozen=True)
class Reminder:
    """Something due soon or overdue, for some people of one partnership.

    `key` names this occurrence and no other (the bid, the waiting period, the stage of
    reminding: "funding.bid_waiting:12:t40"), so it is sent once; `kind` chooses the text.
    """

    key: str
    kind: str
    partnership: Partnership
    recipients: tuple[Any, ...]
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    overdue: bool = False

    @property
    def link(self) -> str:
        return absolute(self.url)

    def names(self, user: Any) -> bool:
        return any(person.pk == user.pk for person in self.recipients)


def absolute(url: str) -> str:
    """`url` as e-mails need it: on SITE_URL (a path alone when SITE_URL is unset, which
    the deployment check csp_portal.W001 reports)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


class ReminderContext:
    """What the sources share during one collection: the day, the partnerships, and
    their members by role (read once, in one query, when a source first asks)."""

    def __init__(self, partnerships: Iterable[Partnership], today: dt.date) -> None:
        self.partnerships = list(partnerships)
        self.today = today
        self._members: dict[int, list[tuple[Any, frozenset[str]]]] | None = None

    def _directory(self) -> dict[int, list[tuple[Any, frozenset[str]]]]:
        if self._members is None:
            roles: dict[tuple[int, int], set[str]] = defaultdict(set)
            users: dict[tuple[int, int], Any] = {}
            rows = (
                Membership.objects.filter(partnership__in=self.partnerships, user__is_active=True)
                .select_related("user__profile")
                .annotate(role_name=F("roles__name"))
                .order_by("user__last_name", "user__first_name", "user__username")
            )
            for row in rows:
                users[(row.partnership_id, row.user_id)] = row.user
                if row.role_name:
                    roles[(row.partnership_id, row.user_id)].add(row.role_name)
            self._members = defaultdict(list)
            for (partnership_id, user_id), user in users.items():
                self._members[partnership_id].append(
                    (user, frozenset(roles[(partnership_id, user_id)]))
                )
        return self._members

    def people_with_role(self, partnership: Partnership, *roles: str) -> list[Any]:
        """Members holding any of `roles` themselves (the admin role counts only when
        named: an administrator is not every clerk)."""
        wanted = set(roles)
        return [user for user, held in self._directory()[partnership.pk] if held & wanted]

    def people_of_organisation(self, partnership: Partnership, organisation_id: int) -> list:
        """Members of the partnership who work for the organisation (their profile)."""
        return [
            user
            for user, _ in self._directory()[partnership.pk]
            if getattr(getattr(user, "profile", None), "organisation_id", None) == organisation_id
        ]


def people(*groups: Iterable[Any]) -> tuple[Any, ...]:
    """The people of `groups`, each once, in order, leaving out None."""
    seen: dict[int, Any] = {}
    for group in groups:
        for person in group:
            if person is not None and person.pk not in seen:
                seen[person.pk] = person
    return tuple(seen.values())


def collect(partnerships: Iterable[Partnership], today: dt.date) -> list[Reminder]:
    """Every reminder due on `today` in `partnerships`, from every registered source."""
    context = ReminderContext(partnerships, today)
    found: dict[str, Reminder] = {}
    for source in reminder_sources():
        for reminder in source.collect(context):
            found.setdefault(reminder.key, reminder)
    return sorted(found.values(), key=lambda r: (not r.overdue, r.due or dt.date.max, r.title))


def reminders_for(user: Any, today: dt.date | None = None) -> list[Reminder]:
    """The reminders naming `user` in their partnerships today (the home page's list)."""
    from csp_portal.access import member_partnerships

    if not user.is_authenticated:
        return []
    partnerships = member_partnerships(user)
    if not partnerships:
        return []
    today = today or timezone.localdate()
    return [r for r in collect(partnerships, today) if r.names(user)]


def home_entries(user: Any) -> list[HomeEntry]:
    """The home page's "Due soon and overdue": reminders_for(user), as home-page lines."""
    return [
        HomeEntry(
            title=r.title,
            url=r.url,
            partnership=r.partnership.name,
            detail=r.detail,
            due=r.due,
            overdue=r.overdue,
        )
        for r in reminders_for(user)
    ]


# --- the texts ------------------------------------------------------------------------


def kinds() -> dict[str, ReminderKind]:
    """Every kind of reminder the registered sources may send, by key."""
    return {kind.key: kind for source in reminder_sources() for kind in source.kinds}


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that are not PLACEHOLDERS (the admin refuses them)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        return [f"a stray brace ({error})"]
    return sorted({name for name in names if name not in PLACEHOLDERS})


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, values: dict[str, str]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Values(values))
    except (ValueError, IndexError, AttributeError):  # a stray brace: send the text as written
        return template


def render(
    reminder: Reminder, recipient: Any, texts: dict[tuple[int, str], ReminderText] | None = None
) -> tuple[str, str]:
    """The (subject, body) `recipient` is sent for `reminder`."""
    text: ReminderText | ReminderKind | None = (texts or {}).get(
        (reminder.partnership.pk, reminder.kind)
    )
    if text is None:
        text = kinds().get(reminder.kind) or ReminderKind(
            reminder.kind, reminder.kind, "{title}", "{title}\n\n{detail}\n\nOpen it: {link}\n"
        )
    values = {
        "name": recipient.get_full_name() or recipient.get_username(),
        "title": reminder.title,
        "detail": reminder.detail,
        "due": f"{reminder.due:%-d %B %Y}" if reminder.due else "",
        "link": reminder.link,
        "partnership": reminder.partnership.name,
    }
    subject = " ".join(_fill(text.subject, values).split())[:300]
    return subject, _fill(text.body, values)


# --- sending once ---------------------------------------------------------------------


@dataclass
class SendResult:
    """What a daily run did: the reminders sent (or, in a dry run, to send), and how many
    were found already sent."""

    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    without_address: int = 0


def _mail_key(reminder: Reminder, person: Any) -> str:
    digest = hashlib.sha256(reminder.key.encode()).hexdigest()[:40]
    return f"reminder:{digest}:{person.pk}"


def send_reminders(day: dt.date | None = None, *, dry_run: bool = False) -> SendResult:
    """E-mail every reminder due on `day` (today) that has not been sent, once each.

    A reminder is recorded and its e-mails queued in one transaction: the record exists
    exactly when the e-mails were queued (and each e-mail is itself sent once, by key).
    A reminder nobody can receive (no recipient with an address) is not recorded, so it
    goes once someone can.
    """
    day = day or timezone.localdate()
    reminders = collect(Partnership.objects.all(), day)
    done = set(
        SentReminder.objects.filter(key__in=[r.key for r in reminders]).values_list(
            "key", flat=True
        )
    )
    texts = {(t.partnership_id, t.kind): t for t in ReminderText.objects.all()}
    result = SendResult(already_sent=len(done))
    for reminder in reminders:
        if reminder.key in done:
            continue
        addressed = [p for p in reminder.recipients if p.email]
        if not addressed:
            result.without_address += 1
            continue
        if dry_run:
            result.sent.append(reminder)
            continue
        if _send_once(reminder, addressed, texts, day):
            result.sent.append(reminder)
        else:
            result.already_sent += 1
    return result


def _send_once(
    reminder: Reminder, addressed: list, texts: dict[tuple[int, str], ReminderText], day: dt.date
) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    key=reminder.key,
                    partnership=reminder.partnership,
                    kind=reminder.kind,
                    subject=render(reminder, addressed[0], texts)[0],
                    recipients=", ".join(p.email for p in addressed),
                    day=day,
                )
        except IntegrityError:  # another worker sent it a moment ago
            return False
        for person in addressed:
            subject, body = render(reminder, person, texts)
            send_email(
                subject=subject, body=body, to=[person.email], key=_mail_key(reminder, person)
            )
    logger.info("reminder %s sent to %d people", reminder.key, len(addressed))
    return True
