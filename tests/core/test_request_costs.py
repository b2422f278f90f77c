"""What every signed-in page costs before its own work: the access check's one query,
a home page whose queries do not grow with the data, and sessions read from a cache
that the server's worker processes share (and that a sign-out empties)."""

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csp_portal.access import has_role, member_partnerships, partnerships_for, roles_in
from csp_portal.models import Role
from csp_portal.services import grant_roles
from tests.factories import PASSWORD, BodyFactory, PartnershipFactory, member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_cache(settings):
    """A local-memory cache standing in for the shared file cache of production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-request-costs-{uuid.uuid4()}",
        }
    }
    yield cache
    cache.clear()


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


# --- the access check -----------------------------------------------------------------


def test_roles_held_in_two_partnerships_stay_apart(partnership, other_partnership):
    person = member(partnership, Role.CLERK, username="twohats")
    grant_roles(user=person, partnership=other_partnership, roles=[Role.PERFORMANCE_OFFICER])
    assert roles_in(person, partnership) == {Role.CLERK}
    assert roles_in(person, other_partnership) == {Role.PERFORMANCE_OFFICER}
    assert not has_role(person, partnership, [Role.PERFORMANCE_OFFICER])
    # Ordered by name, as the navigation lists them.
    assert member_partnerships(person) == [partnership, other_partnership]
    assert list(partnerships_for(person)) == [partnership, other_partnership]


def test_a_role_granted_counts_at_once(partnership, other_partnership):
    person = member(partnership, Role.PARTNER, username="newclerk")
    assert not has_role(person, other_partnership, [Role.CLERK])
    grant_roles(user=person, partnership=other_partnership, roles=[Role.CLERK])
    assert has_role(person, other_partnership, [Role.CLERK])
    assert other_partnership in member_partnerships(person)


def test_a_member_without_a_role_is_still_a_member(partnership):
    from csp_portal.access import is_member
    from csp_portal.models import Membership

    person = member(partnership, Role.PARTNER, username="noroles")
    Membership.objects.get(user=person, partnership=partnership).roles.clear()
    person = type(person).objects.get(pk=person.pk)  # as on the next request
    assert is_member(person, partnership)
    assert roles_in(person, partnership) == frozenset()
    assert member_partnerships(person) == [partnership]


def test_a_members_partnership_page_looks_the_partnership_up_once(client_for, partner):
    sql = _queries(client_for(partner), reverse("partnership", args=["charnwood"]))
    from_partnership = [q for q in sql if 'FROM "csp_portal_partnership"' in q]
    assert from_partnership == []  # it came with the memberships, in one query
    assert sum('FROM "csp_portal_membership"' in q for q in sql) == 1


def test_staff_and_outsiders_still_get_403_and_404(client_for, staff_admin, outsider):
    assert client_for(staff_admin).get("/p/charnwood/").status_code == 404
    PartnershipFactory(name="Charnwood CSP", slug="charnwood", ons_code="E22000165")
    assert client_for(staff_admin).get("/p/charnwood/").status_code == 403  # no membership
    assert client_for(outsider).get("/p/charnwood/").status_code == 403


# --- the home page -------------------------------------------------------------------


def _lots_of_data(partnership, person) -> None:
    """Upcoming meetings of the person's body, bids to revise, years of figures."""
    from funding.models import BidState
    from meetings.models import MeetingStatus
    from tests.funding.factories import BidFactory, BudgetLineFactory, FundFactory
    from tests.meetings.factories import MeetingFactory
    from tests.performance.factories import enter_ytd, make_categories

    body = BodyFactory(partnership=partnership)
    body.members.add(person)
    today = timezone.localdate()
    for days in range(1, 40, 3):
        MeetingFactory(
            body=body, date=today + dt.timedelta(days=days), status=MeetingStatus.AGENDA_PUBLISHED
        )
    # The clerk's missing papers: items of the next meetings with no paper, one awaiting a
    # partner's report, and reports in for a meeting but not on its agenda.
    from meetings import agenda
    from meetings.models import Meeting, PartnerReport
    from tests.factories import OrganisationFactory

    police = OrganisationFactory(name="Leicestershire Police")
    for meeting in Meeting.objects.filter(body=body)[:4]:
        for number in range(3):
            item = agenda.add_item(meeting=meeting, title=f"Update {number}")
            item.presenter_organisation = police
            item.save()
        for number in range(2):
            PartnerReport.objects.create(
                partnership=partnership,
                organisation=police,
                author="D Barker",
                date=today,
                subject=f"Police update {number}",
                summary="Quarter two.",
                meeting=meeting,
            )
    line = BudgetLineFactory(fund=FundFactory(partnership=partnership))
    for _ in range(5):
        BidFactory(
            budget_line=line,
            applicant=person,
            delivery_group=body,
            state=BidState.REVISION_REQUESTED,
        )
    from csp_portal.financial_year import Quarter

    categories = make_categories(partnership)
    for year in ("2019/20", "2020/21", "2021/22", "2022/23"):
        enter_ytd(partnership, categories["ALL"], Quarter.parse(year, 4), 4000)


def test_home_page_queries_do_not_grow_with_data(client_for, partnership):
    person = member(partnership, *Role.values, username="everyrole")
    client = client_for(person)
    empty = len(_queries(client, "/"))
    _lots_of_data(partnership, person)
    page = client.get("/").content.decode()
    assert "Revise and resubmit" in page and "Upcoming meetings" in page  # data is shown
    assert "Partner report from Leicestershire Police not in yet" in page
    assert "report from Leicestershire Police is in" in page and "Next meeting:" in page
    full = len(_queries(client, "/"))
    assert full == empty
    # 15; 8 for "Due soon and overdue" (csp_portal.reminders: the members by role, and
    # each source's one query per table it reads, whatever the number of rows); 2 more
    # for the board member's next meeting and the clerk's missing papers (meetings/home.py);
    # 1 for the county roles the county sections ask (csp_portal.access, kept on the user)
    assert full <= 26


# --- sessions ------------------------------------------------------------------------


def test_a_signed_in_page_reads_the_session_from_the_cache(real_cache, client_for, partner):
    client = client_for(partner)
    sql = _queries(client, reverse("partnership", args=["charnwood"]))
    assert not any("django_session" in q for q in sql)


def test_signing_out_ends_the_session_everywhere(real_cache, client, partner):
    assert (
        client.post(reverse("login"), {"username": "partner", "password": PASSWORD}).status_code
        == 302
    )
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value
    assert stolen.get("/").status_code == 200
    client.post(reverse("logout"))
    response = stolen.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_production_cache_is_shared_by_the_servers_processes(tmp_path):
    """gunicorn runs several worker processes: what one caches (a session, a new
    figures version) the others must read."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "CACHE_DIR": str(tmp_path / "cache"),
    }

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    run("from django.core.cache import cache; cache.set('shared', 'seen', 60); print('set')")
    assert run("from django.core.cache import cache; print(cache.get('shared'))") == "seen"
    assert (
        run("from django.conf import settings; print(settings.SESSION_ENGINE)")
        == "django.contrib.sessions.backends.cached_db"
    )
