"""Targets and their RAG rating, including the qualitative "significant reduction"."""

from decimal import Decimal

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.rag import Rag
from performance.models import Target, TargetKind
from performance.selectors import change_pct
from performance.significance import significance
from performance.targets import assess_target
from performance.ytd import ytd_table
from tests.performance.factories import enter_ytd

pytestmark = pytest.mark.django_db

Q2 = Quarter.parse("2022/23", 2)


def _target(kind, value=None, tolerance="5"):
    return Target(kind=kind, value=None if value is None else Decimal(value),
                  tolerance=Decimal(tolerance))  # fmt: skip


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [(7475, 7124, Rag.GREEN),  # a significant fall (p = 0.004)
     (45, 40, Rag.AMBER),  # −11 %, but chance: no significant change
     (25, 16, Rag.AMBER),  # −36 %, still chance (exact test p = 0.21)
     (7124, 7475, Rag.RED)],  # a significant rise
)  # fmt: skip
def test_significant_reduction_means_a_significant_fall(previous, current, expected):
    target = _target(TargetKind.SIGNIFICANT_REDUCTION)
    rag = assess_target(
        target,
        quarter=Q2,
        current=current,
        change=change_pct(previous, current),
        population=None,
        significance=significance(previous, current),
    )
    assert rag == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [("-3.0", Rag.GREEN), ("-1.0", Rag.AMBER), ("2.0", Rag.AMBER), ("2.1", Rag.RED)],
)
def test_reduce_by_percent_with_tolerance_in_points(change, expected):
    target = _target(TargetKind.REDUCE_PCT, "3")
    assert assess_target(
        target, quarter=Q2, current=1, change=Decimal(change), population=None
    ) == (expected)


def test_count_target_is_pro_rated_by_quarters_elapsed():
    target = _target(TargetKind.COUNT, "400")  # 200 by the end of Q2
    rate = lambda n: assess_target(target, quarter=Q2, current=n, change=None, population=None)  # noqa: E731
    assert (rate(200), rate(210), rate(211)) == (Rag.GREEN, Rag.AMBER, Rag.RED)


def test_rate_target_uses_population():
    target = _target(TargetKind.RATE, "1.00")  # 0.50 per 1,000 by the end of Q2
    assert (
        assess_target(target, quarter=Q2, current=50, change=None, population=100_000) == Rag.GREEN
    )
    assert assess_target(target, quarter=Q2, current=60, change=None, population=100_000) == Rag.RED


def test_no_target_is_grey():
    assert (
        assess_target(None, quarter=Q2, current=5, change=Decimal(1), population=None) == Rag.GREY
    )


def test_higher_is_better_mirrors_the_rule():
    target = _target(TargetKind.SIGNIFICANT_REDUCTION)
    rate = lambda previous, current: assess_target(  # noqa: E731
        target,
        quarter=Q2,
        current=current,
        change=change_pct(previous, current),
        population=None,
        lower_is_better=False,
        significance=significance(previous, current),
    )
    assert (rate(7124, 7475), rate(45, 40), rate(7475, 7124)) == (Rag.GREEN, Rag.AMBER, Rag.RED)


def test_ytd_table_shows_target_and_status(client_for, board_member, partnership, categories):
    Target.objects.create(
        partnership=partnership, category=categories["ALL"], financial_year=FinancialYear(2016),
        kind=TargetKind.SIGNIFICANT_REDUCTION,
    )  # fmt: skip
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2015/16", 3), 7341)
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2016/17", 3), 7812)
    row = ytd_table(partnership, Quarter.parse("2016/17", 3)).rows[0]
    assert (row.target_display, row.rag) == ("Significant reduction", Rag.RED)
    html = client_for(board_member).get("/p/charnwood/performance/?year=2016&quarter=3")
    assert '<span class="rag rag-red">Red</span>' in html.content.decode()


def test_officer_sets_targets_in_the_form(client_for, officer, partnership, categories):
    count = len(categories)
    data = {"year": "2022", "form-TOTAL_FORMS": count, "form-INITIAL_FORMS": count}
    ordered = list(categories.values())  # the page's order: ALL first, then VWI
    for i, category in enumerate(ordered):
        data[f"form-{i}-category"] = category.pk
        data[f"form-{i}-kind"] = ""
        data[f"form-{i}-tolerance"] = "5"
    data["form-0-kind"] = "reduce_pct"
    data["form-0-value"] = "3"
    data["form-1-kind"] = "count"  # no value: an error, and nothing saved
    response = client_for(officer).post("/p/charnwood/performance/targets/", data)
    assert response.status_code == 400
    assert "Give the number for this kind of target." in response.content.decode()
    assert not Target.objects.exists()
    data["form-1-value"] = "800"
    assert client_for(officer).post("/p/charnwood/performance/targets/", data).status_code == 302
    saved = {t.category.code: t.describe() for t in Target.objects.all()}
    assert saved == {"ALL": "Reduce by 3%", "VWI": "800 in the year"}
