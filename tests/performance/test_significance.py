"""Significance of a change: the exact conditional test for Poisson counts (two-sided,
95 %), on the seed 003 table, in words on the dashboard, the trend, the family group and
the pack summary."""

import math
from decimal import Decimal

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import PartnershipPopulation
from performance import services
from performance.family_table import family_group
from performance.models import FamilyGroup, FamilyGroupMember, PeerFigure
from performance.selectors import performance_summary_html
from performance.significance import Significance, p_value, significance, wheeler_z
from performance.trend import trend
from performance.ytd import ytd_table
from tests.performance.factories import enter_ytd, fill_totals
from tests.performance.test_seed_tables import SEED_003

pytestmark = pytest.mark.django_db

Q2 = Quarter.parse("2022/23", 2)


def _exact_by_comb(previous: int, current: int) -> float:
    """The same test by whole-number arithmetic, as a check on the log-space sums."""
    n = previous + current
    k = max(previous, current)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k, n + 1)) / 2**n)


@pytest.mark.parametrize(
    ("previous", "current", "expected_p", "verdict"),
    [
        (7124, 7475, 0.00377, Significance.RISE),  # All Crime: not noise
        (45, 40, 0.665, Significance.NONE),  # Robbery: noise
        (912, 815, 0.0209, Significance.FALL),  # Violence with Injury
        (71, 149, 1.565e-7, Significance.RISE),  # Burglary – Business
        (413, 383, 0.304, Significance.NONE),  # Shoplifting
        (16, 25, 0.211, Significance.NONE),  # +56 %, but chance (see below)
    ],
)
def test_seed_003_changes_by_the_exact_test(previous, current, expected_p, verdict):
    assert p_value(previous, current) == pytest.approx(expected_p, rel=0.01)
    assert p_value(previous, current) == pytest.approx(_exact_by_comb(previous, current))
    assert significance(previous, current) is verdict


def test_wheeler_z_overstates_what_the_exact_test_finds():
    """DOMAIN's quick check: 16 → 25 robberies has z = 2.0, "barely significant"; the exact
    two-sample test, which treats last year's count as uncertain too, finds p = 0.21."""
    assert wheeler_z(16, 25) == pytest.approx(2.0)
    assert wheeler_z(45, 40) == pytest.approx(-0.77, abs=0.01)
    assert wheeler_z(7124, 7475) == pytest.approx(4.11, abs=0.01)
    assert significance(16, 25) is Significance.NONE
    assert significance(12, 30) is Significance.RISE  # p = 0.008


def test_nothing_before_and_no_counts():
    assert significance(None, 5) is None and significance(5, None) is None
    assert significance(0, 0) is Significance.NONE
    assert significance(0, 6) is Significance.RISE  # p = 2 × 0.5⁶ = 0.031
    assert significance(0, 5) is Significance.NONE  # p = 0.0625


def test_unequal_exposures_move_the_expected_share():
    # 100 crimes among 100,000 against 100 among 300,000 people: a higher rate.
    assert significance(100, 100, share=0.25) is Significance.RISE
    assert significance(100, 34, share=0.25) is Significance.NONE


def _seed_003(partnership, categories):
    for code, previous, current, _ in SEED_003:
        enter_ytd(partnership, categories[code], Quarter.parse("2021/22", 2), previous)
        enter_ytd(partnership, categories[code], Q2, current)
    fill_totals(partnership, Q2.year_to_date + [q.same_quarter_last_year for q in Q2.year_to_date])


def test_ytd_rows_and_page_say_it_in_words(client_for, board_member, partnership, categories):
    _seed_003(partnership, categories)
    rows = {r.category.code: r for r in ytd_table(partnership, Q2).rows}
    assert rows["ALL"].significance_display == "significant rise"
    assert rows["VWI"].significance_display == "significant fall"
    assert rows["ROB"].significance_display == "no significant change"
    html = client_for(board_member).get("/p/charnwood/performance/?year=2022&quarter=2")
    html = html.content.decode()
    robbery = html[html.index(">Robbery") : html.index("</tr>", html.index(">Robbery"))]
    assert "no significant change" in robbery
    assert 'id="significance-explained"' in html and "45 → 40 robberies" in html


def test_pack_summary_says_it_in_words(partnership, categories):
    _seed_003(partnership, categories)
    html = performance_summary_html(partnership, Q2)
    all_crime = html[html.index(">All Crime") : html.index("</tr>", html.index(">All Crime"))]
    assert "significant rise" in all_crime
    robbery = html[html.index(">Robbery") : html.index("</tr>", html.index(">Robbery"))]
    assert "no significant change" in robbery
    assert "too large to be chance at the 95% level" in html


def test_trend_point_against_the_same_quarter_last_year(partnership, categories):
    robbery = categories["ROB"]
    quarters = [Quarter.parse("2021/22", 2), Q2]
    for quarter, count in zip(quarters, (10, 31), strict=True):
        services.apply_figures(
            partnership=partnership,
            values={(quarter.financial_year.start_year, quarter.number, robbery.pk, None): count},
        )
    point = trend(partnership, robbery, Q2, years=1)[-1]
    assert (point.quarter, point.complete) == (Q2, True)
    assert point.significance is Significance.RISE  # 10 → 31: p = 0.001
    assert point.significance_display == "significant rise"


def test_family_group_comparison_against_the_other_members(partnership, categories):
    robbery = categories["ROB"]
    group = FamilyGroup.objects.create(partnership=partnership)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Charnwood", is_self=True)
    for name, count in (("Rugby", 30), ("Dacorum", 34)):
        member = FamilyGroupMember.objects.create(family_group=group, csp_name=name)
        PeerFigure.objects.create(
            member=member, financial_year=FinancialYear(2022), quarter=2, category=robbery,
            count=count, population=100_000,
        )  # fmt: skip
    PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2022), population=100_000
    )
    enter_ytd(partnership, robbery, Q2, 90)  # Q1 45, Q2 45
    (quarter,) = [h for h in family_group(partnership, robbery) if h.quarter == Q2]
    assert (quarter.own.count, quarter.own.rate) == (45, Decimal("0.45"))
    # 45 of 109 crimes where a third (36.3) are expected: p = 0.10, chance.
    assert quarter.significance is Significance.NONE
    assert quarter.significance_display == "not significantly different from the group's rate"
    enter_ytd(partnership, robbery, Q2, 120)  # Q2 60 of 124, 41.3 expected: p < 0.001
    (quarter,) = [h for h in family_group(partnership, robbery) if h.quarter == Q2]
    assert quarter.significance is Significance.RISE
    assert quarter.significance_display == "significantly above the group's rate"
