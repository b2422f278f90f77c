"""The family group's membership form in a real browser: the stored joined and left
dates show in the date inputs, and saving the form untouched changes nothing (before,
the inputs were given 01/04/2016, showed blank, and a save wiped every date)."""

from __future__ import annotations

import datetime as dt

import pytest

from performance.family import family_group_for
from performance.models import FamilyGroupMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/p/charnwood/performance/family/figures/"


def test_membership_dates_show_and_survive_an_unchanged_save(
    page, login_as, officer, partnership, axe_check, screenshot
):
    group = family_group_for(partnership)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Charnwood", is_self=True)
    FamilyGroupMember.objects.create(
        family_group=group, csp_name="Warwickshire – Rugby", joined=dt.date(2016, 4, 1)
    )
    FamilyGroupMember.objects.create(
        family_group=group, csp_name="Dorset – Poole", left=dt.date(2016, 3, 31)
    )
    stored = {m.csp_name: (m.joined, m.left) for m in FamilyGroupMember.objects.all()}
    history = FamilyGroupMember.history.count()
    login_as(page, officer)
    page.goto(URL)
    axe_check(page)
    rows = {page.input_value(f"#id_members-{n}-csp_name"): n for n in range(3)}
    rugby, poole = rows["Warwickshire – Rugby"], rows["Dorset – Poole"]
    # What the browser shows (an empty value would mean it could not read the date).
    assert page.input_value(f"#id_members-{rugby}-joined") == "2016-04-01"
    assert page.input_value(f"#id_members-{poole}-left") == "2016-03-31"
    assert page.input_value(f"#id_members-{rugby}-left") == ""
    screenshot("membership-before-save")
    page.get_by_role("button", name="Save membership").click()
    page.wait_for_load_state()
    assert page.url.endswith(URL)
    assert "Nothing had changed" in page.content()
    axe_check(page)
    after = {m.csp_name: (m.joined, m.left) for m in FamilyGroupMember.objects.all()}
    assert after == stored
    assert FamilyGroupMember.history.count() == history
    assert page.input_value(f"#id_members-{rugby}-joined") == "2016-04-01"
