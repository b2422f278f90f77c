"""No lost update on plan texts (issue 11, item 7): two administrators editing one
record, the stale save is refused with what changed, keeping everything typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from csp_portal.models import Role
from plans.models import Plan, Priority
from tests.factories import member
from tests.plans.factories import PlanFactory, PriorityFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the form carries no version"
    return found.group(1)


@pytest.fixture
def second_admin(partnership):
    return member(partnership, Role.ADMIN, username="padmin2")


def test_two_admins_editing_the_plans_vision_the_stale_save_is_refused(
    client_for, partnership, partnership_admin, second_admin
):
    draft = PlanFactory(partnership=partnership, vision="A safer Charnwood")
    url = reverse("plans:edit", args=[partnership.slug, draft.pk])
    first, second = client_for(partnership_admin), client_for(second_admin)
    opened = _version(first.get(url).content.decode())
    form = {"title": draft.title, "first_year": "2017/18", "last_year": "2019/20"}
    saved = second.post(
        url,
        {
            **form,
            "vision": "Charnwood: safe and feeling safe",
            "version": _version(second.get(url).content.decode()),
        },
    )
    assert saved.status_code == 302

    stale = first.post(url, {**form, "vision": "A safer, stronger Charnwood", "version": opened})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone else saved" in html
    assert "Charnwood: safe and feeling safe" in html and "A safer, stronger Charnwood" in html
    assert Plan.objects.get(pk=draft.pk).vision == "Charnwood: safe and feeling safe"

    again = first.post(
        url, {**form, "vision": "A safer, stronger Charnwood", "version": _version(html)}
    )
    assert again.status_code == 302
    assert Plan.objects.get(pk=draft.pk).vision == "A safer, stronger Charnwood"


def test_two_admins_editing_one_priority_the_stale_save_is_refused(
    client_for, partnership, partnership_admin, second_admin
):
    draft = PlanFactory(partnership=partnership)
    theme = ThemeFactory(plan=draft, number=1, title="Safer communities")
    priority = PriorityFactory(plan=draft, theme=theme, number=1, title="Reduce burglary")
    url = reverse("plans:priority_edit", args=[partnership.slug, draft.pk, priority.pk])
    first, second = client_for(partnership_admin), client_for(second_admin)
    opened = _version(first.get(url).content.decode())
    base = {"theme": theme.pk, "number": 1}
    second.post(
        url,
        {
            **base,
            "title": "Reduce burglary",
            "why": "Burglary rose 12% in Beat 64.",
            "version": _version(second.get(url).content.decode()),
        },
    )
    stale = first.post(
        url, {**base, "title": "Reduce domestic burglary", "why": "", "version": opened}
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Burglary rose 12% in Beat 64." in html and "Reduce domestic burglary" in html
    assert Priority.objects.get(pk=priority.pk).why == "Burglary rose 12% in Beat 64."


def test_an_edit_posting_no_version_is_refused(client_for, partnership, partnership_admin):
    draft = PlanFactory(partnership=partnership, vision="A safer Charnwood")
    response = client_for(partnership_admin).post(
        reverse("plans:edit", args=[partnership.slug, draft.pk]),
        {"title": draft.title, "first_year": "2017/18", "last_year": "2019/20", "vision": "X"},
    )
    assert response.status_code == 409
    assert Plan.objects.get(pk=draft.pk).vision == "A safer Charnwood"
