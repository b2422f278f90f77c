"""The demo partnership has real-looking performance data that matches the seeds."""

import pytest
from django.core.management import call_command

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.dashboards import beats_table, family_group, ytd_table
from performance.models import (
    Beat,
    CrimeCategory,
    FamilyGroupMember,
    LsoaBeat,
    PeerFigure,
    QuarterlyFigure,
    Target,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def charnwood(settings):
    settings.DEBUG = True
    call_command("load_demo")
    return Partnership.objects.get(slug="charnwood")


def test_demo_reproduces_seed_003(charnwood):
    rows = {r.category.name: r for r in ytd_table(charnwood, Quarter.parse("2022/23", 2)).rows}
    assert (rows["All Crime"].previous, rows["All Crime"].current) == (7124, 7475)
    assert rows["All Crime"].change_display == "+4.9%"
    assert rows["Burglary – Business"].change_display == "+109.9%"
    assert rows["Cycle Theft"].change_display == "−20.0%"
    beats, cells, _ = beats_table(charnwood, Quarter.parse("2022/23", 2))
    all_crime = dict(zip([b.code for b in beats], cells[0][1], strict=True))
    assert (all_crime["62"].current, all_crime["62"].difference) == (1508, 62)
    assert (all_crime["61"].current, all_crime["61"].difference) == (1203, 76)


def test_demo_reproduces_seed_001_table_1(charnwood):
    rows = {r.category.name: r for r in ytd_table(charnwood, Quarter.parse("2016/17", 3)).rows}
    assert (rows["Robbery"].previous, rows["Robbery"].current) == (77, 47)
    assert rows["Robbery"].change_display == "−39.0%"
    assert rows["All Crime"].target_display == "Significant reduction"


def test_demo_has_everything_the_dashboards_need(charnwood):
    assert Beat.objects.filter(partnership=charnwood).count() >= 6
    assert CrimeCategory.objects.filter(partnership=charnwood, parent__isnull=False).exists()
    assert LsoaBeat.objects.filter(partnership=charnwood).count() > 90
    assert Target.objects.filter(partnership=charnwood).exists()
    assert PeerFigure.objects.exists()
    assert FamilyGroupMember.objects.filter(family_group__partnership=charnwood).count() == 19
    all_crime = CrimeCategory.objects.get(partnership=charnwood, code="ALL")
    latest = family_group(charnwood, all_crime)[-1]
    assert len(latest.rows) == 15 and latest.own is not None


def test_demo_loads_twice_without_change(charnwood, settings):
    figures = QuarterlyFigure.objects.count()
    history = QuarterlyFigure.history.count()
    call_command("load_demo")
    assert QuarterlyFigure.objects.count() == figures
    assert QuarterlyFigure.history.count() == history
