"""Family group: dated membership, rank (1 = lowest rate), rate, average and distance;
the upload `financial_year,quarter,csp,category,count,population`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import PartnershipPopulation
from performance.family import family_group_for
from performance.family_table import family_group
from performance.models import FamilyGroupMember, PeerFigure
from tests.performance.factories import enter_ytd

pytestmark = pytest.mark.django_db

URL = "/p/charnwood/performance/family/figures/"


@pytest.fixture
def group(partnership):
    group = family_group_for(partnership)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Charnwood", is_self=True)
    FamilyGroupMember.objects.create(
        family_group=group, csp_name="Rugby", joined=dt.date(2016, 4, 1)
    )
    FamilyGroupMember.objects.create(
        family_group=group, csp_name="Poole", left=dt.date(2016, 3, 31)
    )
    FamilyGroupMember.objects.create(family_group=group, csp_name="Dacorum")
    return group


def _upload(client, text):
    return client.post(URL, {"file": SimpleUploadedFile("peers.csv", text.encode())})


def test_upload_previews_then_imports(client_for, officer, partnership, categories, group):
    client = client_for(officer)
    text = (
        "financial_year,quarter,csp,category,count,population\n"
        "2016/17,3,Rugby,Robbery,30,100000\n"
        "2016/17,3,dacorum,ROB,60,150000\n"
    )
    preview = _upload(client, text)
    assert preview.status_code == 200 and "2 new" in preview.content.decode()
    assert not PeerFigure.objects.exists()
    response = client.post(URL, {"confirm": "1", "token": preview.context["token"]})
    assert response.status_code == 302
    assert PeerFigure.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("financial_year,quarter,csp,count\n2016/17,3,Rugby,1\n",
         "lacks the column(s) category, population"),
        ("financial_year,quarter,csp,category,count,population\n2016/17,3,Nowhere,ROB,1,100\n",
         "Row 2, column “csp”: “Nowhere” is not in the family group"),
        ("financial_year,quarter,csp,category,count,population\n2016/17,3,Rugby,ROB,1,0\n",
         "Row 2, column “population”: the population must be more than 0."),
        ("financial_year,quarter,csp,category,count,population\n2016/17,3,Rugby,ROB,x,10\n",
         "Row 2, column “count”: “x” is not a whole number."),
    ],
)  # fmt: skip
def test_bad_family_uploads_change_nothing(client_for, officer, categories, group, text, message):
    response = _upload(client_for(officer), text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PeerFigure.objects.exists()


def test_rank_rate_average_and_distance_with_dated_membership(partnership, categories, group):
    robbery = categories["ROB"]
    members = {m.csp_name: m for m in group.members.all()}
    for name, year, count, population in [
        ("Rugby", 2016, 30, 100_000),  # 0.30
        ("Dacorum", 2016, 60, 150_000),  # 0.40
        ("Poole", 2016, 1, 100_000),  # left in March 2016: not ranked in 2016/17
        ("Poole", 2015, 1, 100_000),  # 0.01 in 2015/16
        ("Dacorum", 2015, 20, 100_000),  # 0.20
    ]:
        PeerFigure.objects.create(
            member=members[name], financial_year=FinancialYear(year), quarter=3,
            category=robbery, count=count, population=population,
        )  # fmt: skip
    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2016), population=166_100
    )
    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2015), population=166_100
    )
    enter_ytd(partnership, robbery, Quarter.parse("2016/17", 3), 47)  # Q1 17, Q2 15, Q3 15
    enter_ytd(partnership, robbery, Quarter.parse("2015/16", 3), 77)
    history = {str(h.quarter): h for h in family_group(partnership, robbery)}
    now = history["Q3 2016/17"]
    assert [r.csp_name for r in now.rows] == ["Charnwood", "Rugby", "Dacorum"]
    assert now.own.rate == Decimal("0.09") and now.own.rank == 1
    assert now.average == Decimal("0.26")  # (0.09 + 0.30 + 0.40) / 3
    assert now.distance == Decimal("-0.17")
    before = history["Q3 2015/16"]
    assert {r.csp_name for r in before.rows} == {"Charnwood", "Poole", "Dacorum"}
    assert before.own.rank == 2


def test_family_page_shows_rank_and_position_over_time(
    client_for, board_member, partnership, categories, group
):
    robbery = categories["ROB"]
    rugby = group.members.get(csp_name="Rugby")
    PeerFigure.objects.create(
        member=rugby, financial_year=FinancialYear(2016), quarter=3, category=robbery,
        count=1, population=100_000,
    )  # fmt: skip
    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2016), population=166_100
    )
    enter_ytd(partnership, robbery, Quarter.parse("2016/17", 3), 47)
    page = client_for(board_member).get(
        f"/p/charnwood/performance/family/?category={robbery.pk}&year=2016&quarter=3"
    )
    html = page.content.decode()
    assert "<strong>2 of 2</strong>" in html
    assert "Position over time" in html and 'id="family-chart-data"' in html
