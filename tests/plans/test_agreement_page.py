"""The county agreement page: the matrix, the targets, progress from stored figures, and
who may read it (members of the county's partnerships)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Role
from csp_portal.rag import Rag
from plans import agreement as arithmetic
from tests.factories import PartnershipFactory, member
from tests.plans.agreement_world import agreement, county, population
from tests.plans.factories import CategoryFactory, figure

pytestmark = pytest.mark.django_db

Q2 = Quarter(FinancialYear(2022), 2)


@pytest.fixture
def world(partnership, other_partnership):
    """Charnwood and Melton in Testshire, with VWI figures for Q1-Q2 2022/23 in Charnwood
    (population 200,000) and only Q1 in Melton."""
    shire = county("testshire", partnership, other_partnership)
    made = agreement(
        shire, {"Charnwood": partnership, "Melton": other_partnership, "Rutland": None}
    )
    for p in (partnership, other_partnership):
        population(p, 2022, 200_000)
    charnwood = CategoryFactory(partnership=partnership, name="Violence with Injury", code="VWI")
    melton = CategoryFactory(partnership=other_partnership, name="Violence with Injury", code="VWI")
    figure(partnership, charnwood, 2022, 1, 230)
    figure(partnership, charnwood, 2022, 2, 240)  # 470 YTD: 2.35 per 1,000
    figure(other_partnership, melton, 2022, 1, 100)
    return shire, made


def test_progress_is_the_year_to_date_rate_against_the_target_pro_rata(world):
    shire, made = world
    rows = {
        r.area.name: r
        for r in arithmetic.progress(made.indicators.get(), list(made.areas.all()), Q2)
    }
    charnwood = rows["Charnwood"]
    assert charnwood.count == 470
    assert charnwood.rate == Decimal("2.35")
    assert charnwood.annual == Decimal("4.70")  # 5.00 − 6 %
    assert charnwood.pro_rata == Decimal("2.35")  # 2/4 of it
    assert charnwood.state == "rated" and charnwood.rag == Rag.GREEN


def test_a_partnership_missing_a_quarter_is_incomplete_and_not_rated(world):
    shire, made = world
    rows = {
        r.area.name: r
        for r in arithmetic.progress(made.indicators.get(), list(made.areas.all()), Q2)
    }
    melton = rows["Melton"]
    assert melton.state == "incomplete" and melton.rag == Rag.GREY
    assert any("Q2 2022/23" in note for note in melton.notes)
    assert rows["Rutland"].state == "unavailable"


def test_a_partnership_covering_two_districts_is_not_compared_with_either(partnership):
    shire = county("testshire", partnership)
    made = agreement(shire, {"Blaby": partnership, "Hinckley & Bosworth": partnership})
    rows = arithmetic.progress(made.indicators.get(), list(made.areas.all()), Q2)
    assert [r.state for r in rows] == ["unavailable", "unavailable"]
    assert "covers Blaby and Hinckley & Bosworth" in rows[0].notes[0]


def test_the_page_shows_the_matrix_as_a_table_with_headers_and_words(
    world, client_for, board_member
):
    shire, made = world
    response = client_for(board_member).get(reverse("agreement:detail", args=[shire.slug, made.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="col">Charnwood</th>' in html
    assert '<th scope="row" class="text-start">Violent Crime</th>' in html
    assert (
        '<span aria-hidden="true">●</span><span class="visually-hidden">Priority theme</span>'
        in html
    )
    assert 'Key: <span aria-hidden="true">●</span> Priority theme' in html
    assert "4.70" in html and "Incomplete" in html


def test_the_quarter_can_be_chosen(world, client_for, officer):
    shire, made = world
    url = reverse("agreement:detail", args=[shire.slug, made.pk])
    html = client_for(officer).get(url, {"quarter": "2022-1"}).content.decode()
    assert "progress at Q1 2022/23" in html


def test_every_role_in_a_partnership_of_the_county_reads_it(world, client_for, role_users):
    shire, made = world
    url = reverse("agreement:detail", args=[shire.slug, made.pk])
    for user in role_users.values():
        assert client_for(user).get(url).status_code == 200


def test_members_of_a_partnership_elsewhere_are_refused(world, client_for):
    shire, made = world
    elsewhere = PartnershipFactory(name="Leicester", slug="leicester")
    stranger = member(elsewhere, *Role.values, username="stranger")
    for name in ("agreement:index", "agreement:detail"):
        args = [shire.slug] if name == "agreement:index" else [shire.slug, made.pk]
        assert client_for(stranger).get(reverse(name, args=args)).status_code == 403


def test_an_unknown_county_is_not_found(world, client_for, officer):
    assert client_for(officer).get(reverse("agreement:index", args=["nowhere"])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    shire, made = world
    response = client_for(None).get(reverse("agreement:index", args=[shire.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_home_page_links_members_to_their_countys_agreement(world, client_for, board_member):
    shire, made = world
    html = client_for(board_member).get(reverse("home")).content.decode()
    assert reverse("agreement:detail", args=[shire.slug, made.pk]) in html
