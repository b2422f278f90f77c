"""Family-group ranks are decided on exact rates, not the two-decimal rates shown; a
group whose dated membership is not fifteen on a date is flagged; the membership form
shows and keeps the stored dates."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from csp_portal.financial_year import FinancialYear
from performance.family import competition_ranks, family_group_for, wrong_sizes
from performance.family_table import family_group
from performance.models import FamilyGroupMember, PeerFigure

pytestmark = pytest.mark.django_db

FORM_URL = "/p/charnwood/performance/family/figures/"


def _group(partnership, names, **dates):
    group = family_group_for(partnership)
    members = {}
    for index, name in enumerate(names):
        members[name] = FamilyGroupMember.objects.create(
            family_group=group, csp_name=name, is_self=index == 0, **dates.get(name, {})
        )
    return members


def _figures(category, rows, year=2014, quarter=1):
    for member, count, population in rows:
        PeerFigure.objects.create(
            member=member, financial_year=FinancialYear(year), quarter=quarter,
            category=category, count=count, population=population,
        )  # fmt: skip


def test_competition_ranks_share_equal_rates_and_skip():
    rates = [Fraction(1, 10), Fraction(3, 10), Fraction(3, 10), Fraction(5, 10)]
    assert competition_ranks(rates) == [1, 2, 2, 4]


def test_a_third_decimal_difference_decides_the_rank(partnership, categories):
    """Q1 2014/15 Robbery: 0.1227 against 0.1199 per 1,000, both shown as 0.12."""
    members = _group(partnership, ["Charnwood", "Peer"])
    _figures(
        categories["ROB"], [(members["Charnwood"], 20, 163_000), (members["Peer"], 18, 150_125)]
    )
    (quarter,) = family_group(partnership, categories["ROB"])
    ours, theirs = quarter.own, next(r for r in quarter.rows if not r.is_self)
    assert ours.rate == theirs.rate == Decimal("0.12")
    assert (theirs.rank, ours.rank) == (1, 2)


def test_equal_exact_rates_share_a_rank(partnership, categories):
    members = _group(partnership, ["Charnwood", "A", "B", "C"])
    _figures(
        categories["ROB"],
        [
            (members["A"], 10, 100_000),  # 0.1
            (members["Charnwood"], 30, 100_000),  # 0.3
            (members["B"], 60, 200_000),  # 0.3 exactly
            (members["C"], 50, 100_000),  # 0.5
        ],
    )
    (quarter,) = family_group(partnership, categories["ROB"])
    assert {r.csp_name: r.rank for r in quarter.rows} == {"A": 1, "Charnwood": 2, "B": 2, "C": 4}


def test_average_and_distance_come_from_exact_rates(partnership, categories):
    members = _group(partnership, ["Charnwood", "A", "B"])
    # 0.125, 0.125, 0.125 + 0.005 = 0.13: rounding each first would give 0.13, 0.13, 0.13.
    _figures(
        categories["ROB"],
        [
            (members["Charnwood"], 1, 8_000),  # 0.125
            (members["A"], 1, 8_000),  # 0.125
            (members["B"], 1, 7_692),  # 0.13000…
        ],
    )
    (quarter,) = family_group(partnership, categories["ROB"])
    assert quarter.average == Decimal("0.13")  # (0.125 + 0.125 + 0.1300052) / 3 = 0.1267
    assert quarter.distance == Decimal("0.00")  # 0.125 − 0.1267, not 0.13 − 0.13


def test_wrong_sizes_lists_days_when_the_group_is_not_fifteen(partnership):
    names = [f"CSP {n}" for n in range(16)]
    dates = {"CSP 15": {"joined": dt.date(2016, 4, 1)}}
    members = list(_group(partnership, names, **dates).values())
    days = [dt.date(2016, 3, 31), dt.date(2016, 4, 1)]
    assert wrong_sizes(members, days) == [(dt.date(2016, 4, 1), 16)]


def test_family_page_flags_a_group_that_is_not_fifteen(
    client_for, board_member, partnership, categories
):
    members = _group(partnership, [f"CSP {n}" for n in range(15)])
    _figures(categories["ROB"], [(m, 10, 100_000) for m in members.values()], year=2016, quarter=3)
    url = f"/p/charnwood/performance/family/?category={categories['ROB'].pk}&year=2016&quarter=3"
    client = client_for(board_member)
    assert 'id="group-size-warning"' not in client.get(url).content.decode()
    members["CSP 14"].left = dt.date(2016, 9, 30)
    members["CSP 14"].save()
    html = client.get(url).content.decode()
    assert 'id="group-size-warning"' in html and "31 December 2016: 14 members" in html


def _management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_membership_form_shows_stored_dates_as_iso(client_for, officer, partnership):
    _group(partnership, ["Charnwood", "Rugby"], Rugby={"joined": dt.date(2016, 4, 1)})
    html = client_for(officer).get(FORM_URL).content.decode()
    assert 'type="date"' in html and 'value="2016-04-01"' in html


def test_saving_the_membership_unchanged_changes_nothing(client_for, officer, partnership):
    members = _group(
        partnership,
        ["Charnwood", "Rugby", "Poole"],
        Rugby={"joined": dt.date(2016, 4, 1)},
        Poole={"left": dt.date(2016, 3, 31)},
    )
    client = client_for(officer)
    form = client.get(FORM_URL).context["members"]
    data = _management("members", len(form.forms), len(members))
    for sub in form.forms:  # post back exactly what the page rendered
        for name, field in sub.fields.items():
            value = sub[name].value()
            rendered = field.widget.format_value(value)
            if name == "is_self":
                if value:
                    data[sub.add_prefix(name)] = "on"
            elif name == "id":
                if value:
                    data[sub.add_prefix(name)] = str(value)
            elif rendered not in (None, ""):
                data[sub.add_prefix(name)] = rendered
    history = FamilyGroupMember.history.count()
    response = client.post(FORM_URL, data)
    assert response.status_code == 302
    assert FamilyGroupMember.history.count() == history
    stored = {m.csp_name: (m.joined, m.left) for m in FamilyGroupMember.objects.all()}
    assert stored == {
        "Charnwood": (None, None),
        "Rugby": (dt.date(2016, 4, 1), None),
        "Poole": (None, dt.date(2016, 3, 31)),
    }
