"""A figure resting on an incomplete quarter (a partnership total missing, or a month of a
police.uk import not in) says "incomplete" on every computed view, with no % change, no
significance and no RAG, and a sentence naming what is missing; such a quarter cannot
be published.

The first scenario is the issue's: Q3 2022/23 with its totals left empty but for one
stray Robbery figure read as All Crime 9,648 → 7,475, −22.5 %, Green.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import PartnershipPopulation
from performance import monthly_figures, services, ytd
from performance.completeness import completeness, months_of
from performance.models import (
    FamilyGroup,
    FamilyGroupMember,
    ImportedMonth,
    PeerFigure,
    Target,
    TargetKind,
)
from performance.selectors import performance_summary_html
from tests.performance.factories import enter_ytd, fill_totals

pytestmark = pytest.mark.django_db

Q3 = Quarter.parse("2022/23", 3)
Q2 = Quarter.parse("2022/23", 2)
MISSING_TOTALS = "Q3 2022/23: no partnership total for 11 categories"
MISSING_MONTH = "Q2 2022/23: September not imported"


def _behind(quarter: Quarter) -> list[Quarter]:
    return quarter.year_to_date + [q.same_quarter_last_year for q in quarter.year_to_date]


def _common(partnership, categories, beats, quarter: Quarter) -> None:
    """A target that the stored figures would meet, beats, populations and a family group."""
    Target.objects.create(
        partnership=partnership, category=categories["ALL"],
        financial_year=quarter.financial_year, kind=TargetKind.REDUCE_PCT, value=Decimal("3"),
    )  # fmt: skip
    for year in (2021, 2022):
        PartnershipPopulation.objects.create(
            partnership=partnership, financial_year=FinancialYear(year), population=183_000
        )
    for q in _behind(quarter):
        values = {
            (q.financial_year.start_year, q.number, categories["ALL"].pk, beat.pk): 400 + i
            for i, beat in enumerate(beats.values())
        }
        services.apply_figures(partnership=partnership, values=values)
    group = FamilyGroup.objects.create(partnership=partnership)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Charnwood", is_self=True)
    peer = FamilyGroupMember.objects.create(family_group=group, csp_name="Rugby")
    PeerFigure.objects.create(
        member=peer, financial_year=quarter.financial_year, quarter=quarter.number,
        category=categories["ALL"], count=2_900, population=110_000,
    )  # fmt: skip


def _missing_totals(partnership, categories, beats) -> Quarter:
    """The issue's Q3 2022/23: 9,648 last year; 7,475 in Q1 and Q2; Q3 left empty but for
    one stray Robbery total."""
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2021/22", 3), 9_648)
    enter_ytd(partnership, categories["ALL"], Q2, 7_475)
    fill_totals(partnership, _behind(Q2) + [Quarter.parse("2021/22", 3)], count=30)
    services.apply_figures(
        partnership=partnership, values={(2022, 3, categories["ROB"].pk, None): 12}
    )
    _common(partnership, categories, beats, Q3)
    return Q3


def _missing_month(partnership, categories, beats) -> Quarter:
    """Q2 2022/23 with every total in, but only July and August imported from police.uk."""
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2021/22", 2), 7_124)
    enter_ytd(partnership, categories["ALL"], Q2, 7_475)
    fill_totals(partnership, _behind(Q2), count=30)
    for month in months_of(Q2)[:2]:
        ImportedMonth.objects.create(partnership=partnership, month=month, rows=1_300)
    _common(partnership, categories, beats, Q2)
    return Q2


SCENARIOS = [(_missing_totals, MISSING_TOTALS), (_missing_month, MISSING_MONTH)]


@pytest.fixture(params=SCENARIOS, ids=["missing-total", "missing-month"])
def incomplete(request, partnership, categories, beats):
    build, sentence = request.param
    return build(partnership, categories, beats), sentence


def _url(page: str, quarter: Quarter, category=None) -> str:
    year, number = quarter.financial_year.start_year, quarter.number
    extra = f"&category={category.pk}" if category else ""
    return f"/p/charnwood/performance/{page}?year={year}&quarter={number}{extra}"


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_issue_quarter_is_incomplete_not_green(partnership, categories, beats):
    quarter = _missing_totals(partnership, categories, beats)
    table = ytd.ytd_table(partnership, quarter)
    row = next(r for r in table.rows if r.category.code == "ALL")
    assert (row.previous, row.current) == (9_648, 7_475)
    assert (row.complete, row.rag, row.change_pct, row.status_label) == (
        False,
        None,
        None,
        "incomplete",
    )
    assert row.change_display == "incomplete" and row.significance is None
    assert MISSING_TOTALS in table.notes
    robbery = next(r for r in table.rows if r.category.code == "ROB")
    assert robbery.complete  # its Q3 total is in: it is judged as usual


def test_ytd_page_and_csv_say_incomplete_without_a_rag(client_for, board_member, incomplete):
    quarter, sentence = incomplete
    url = _url("", quarter)
    html = client_for(board_member).get(url).content.decode()
    assert sentence in html
    all_crime = html[html.index(">All Crime") : html.index("</tr>", html.index(">All Crime"))]
    assert "rag-incomplete" in all_crime and "rag-green" not in all_crime
    assert "22.5%" not in all_crime and "4.9%" not in all_crime  # no % change shown
    rows = _csv(client_for(board_member).get(url + "&format=csv"))
    row = next(r for r in rows if r["category"] == "All Crime")
    assert (row["status"], row["change_pct"], row["significant"]) == ("incomplete", "", "no")


def test_performance_report_says_incomplete_and_names_what_is_missing(incomplete, partnership):
    quarter, sentence = incomplete
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "performance_report", "--partnership", partnership.slug,
        "--year", str(quarter.financial_year), "--quarter", str(quarter.number),
        "--format", "csv", stdout=out, stderr=err,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    row = next(r for r in rows if r["category"] == "All Crime")
    assert (row["status"], row["change_pct"]) == ("incomplete", "")
    assert sentence in err.getvalue()
    table = io.StringIO()
    call_command(
        "performance_report", "--partnership", partnership.slug,
        "--year", str(quarter.financial_year), "--quarter", str(quarter.number), stdout=table,
    )  # fmt: skip
    assert sentence in table.getvalue() and "Green" not in table.getvalue()


def test_trend_point_on_the_quarter_is_incomplete(client_for, board_member, categories, incomplete):
    quarter, _ = incomplete
    url = _url("trend/", quarter, categories["ALL"])
    page = client_for(board_member).get(url)
    point = page.context["points"][-1]
    assert point.quarter == quarter
    assert (point.complete, point.change_pct, point.significance) == (False, None, None)
    assert point.rolling_12_months is None
    assert any(str(quarter) in note for note in page.context["notes"])
    assert "incomplete" in page.content.decode()
    rows = _csv(client_for(board_member).get(url + "&format=csv"))
    assert (rows[-1]["status"], rows[-1]["change_pct"], rows[-1]["significant"]) == (
        "incomplete",
        "",
        "no",
    )


def test_beats_are_incomplete_and_give_no_increases(client_for, board_member, incomplete):
    quarter, sentence = incomplete
    url = _url("beats/", quarter)
    page = client_for(board_member).get(url)
    cells = {c.code: cells for c, cells, _unassigned in page.context["rows"]}["ALL"]
    assert cells and all(not c.complete and c.change_pct is None for c in cells)
    assert page.context["increases"] == []
    assert sentence in page.content.decode()
    rows = _csv(client_for(board_member).get(url + "&format=csv"))
    assert {r["status"] for r in rows if r["category"] == "All Crime"} == {"incomplete"}
    assert {r["change_pct"] for r in rows if r["category"] == "All Crime"} == {""}


def test_rates_say_incomplete(client_for, board_member, incomplete):
    quarter, sentence = incomplete
    url = _url("rates/", quarter)
    page = client_for(board_member).get(url)
    row = next(r for r in page.context["rows"] if r.category.code == "ALL")
    assert not row.complete
    assert sentence in page.content.decode()
    rows = _csv(client_for(board_member).get(url + "&format=csv"))
    assert next(r for r in rows if r["category"] == "All Crime")["status"] == "incomplete"


def test_family_group_quarter_is_incomplete(client_for, board_member, categories, incomplete):
    quarter, _ = incomplete
    url = _url("family/", quarter, categories["ALL"])
    page = client_for(board_member).get(url)
    history = page.context["history"]
    current = next(h for h in history if h.quarter == quarter)
    assert not current.complete and current.significance is None
    assert any(str(quarter) in note for note in page.context["notes"])
    rows = _csv(client_for(board_member).get(url + "&format=csv"))
    assert {r["status"] for r in rows if r["quarter"] == str(quarter)} == {"incomplete"}


def test_pack_summary_says_incomplete(partnership, incomplete):
    quarter, sentence = incomplete
    html = performance_summary_html(partnership, quarter)
    assert sentence in html
    all_crime = html[html.index(">All Crime") : html.index("</tr>", html.index(">All Crime"))]
    assert "<em>incomplete</em>" in all_crime and "Green" not in all_crime
    assert "●" not in all_crime  # no RAG marker


def test_publishing_a_quarter_without_totals_is_refused_naming_them(partnership, categories, beats):
    quarter = _missing_totals(partnership, categories, beats)
    with pytest.raises(ValidationError) as refused:
        services.publish_quarter(
            partnership=partnership, quarter=quarter, today=dt.date(2023, 2, 1)
        )
    message = refused.value.messages[0]
    assert message.startswith("Q3 2022/23 is incomplete: no partnership total for All Crime, ")
    for name in ("Violence with Injury", "Burglary – Business", "Anti-social Behaviour"):
        assert name in message
    assert "Robbery" not in message
    assert not partnership.published_quarters.exists()


def test_publishing_a_quarter_with_a_month_missing_is_refused(
    client_for, officer, partnership, categories, beats
):
    quarter = _missing_month(partnership, categories, beats)
    response = client_for(officer).post(
        "/p/charnwood/performance/enter/2022/q2/publish/", follow=True
    )
    assert "Q2 2022/23 is incomplete: September 2022 not imported." in response.content.decode()
    assert not partnership.published_quarters.exists()
    ImportedMonth.objects.create(partnership=partnership, month=dt.date(2022, 9, 1), rows=1_200)
    services.publish_quarter(partnership=partnership, quarter=quarter)
    assert partnership.published_quarters.count() == 1


def test_a_quarter_without_month_records_needs_only_its_totals(partnership, categories):
    fill_totals(partnership, [Q2])
    status = completeness(partnership, [Q2]).quarter(Q2)
    assert status.complete and status.missing_months == ()
    ImportedMonth.objects.create(partnership=partnership, month=dt.date(2022, 8, 1), rows=9)
    status = completeness(partnership, [Q2]).quarter(Q2)
    assert status.missing_months == (dt.date(2022, 7, 1), dt.date(2022, 9, 1))
    assert status.notes() == ["Q2 2022/23: July and September not imported"]


def test_a_category_not_active_in_the_quarter_is_not_required(partnership, categories):
    categories["SHOP"].active_to = dt.date(2022, 3, 31)
    categories["SHOP"].save()
    fill_totals(partnership, [Q2])
    services.apply_figures(
        partnership=partnership, values={(2022, 2, categories["SHOP"].pk, None): None}
    )
    assert completeness(partnership, [Q2]).quarter(Q2).complete


@pytest.mark.parametrize("page", ["", "trend/", "beats/", "family/", "rates/"])
def test_completeness_and_significance_cost_the_same_at_one_year_and_ten(
    client_for, officer, partnership, other_partnership, page
):
    """Month records for every month stored, one month missing and one total missing in
    each year: the pages still make as many queries at ten years as at one."""
    from performance.models import QuarterlyFigure
    from tests.factories import member
    from tests.performance.factories import make_beats, make_categories
    from tests.performance.test_dashboards import _fill, _queries

    for target, years in ((partnership, 1), (other_partnership, 10)):
        made = make_categories(target)
        _fill(target, made, make_beats(target), years)
        group = FamilyGroup.objects.create(partnership=target)
        FamilyGroupMember.objects.create(family_group=group, csp_name="Us", is_self=True)
        peer = FamilyGroupMember.objects.create(family_group=group, csp_name="Peer")
        for start in range(2023 - years, 2023):
            PartnershipPopulation.objects.create(
                partnership=target, financial_year=FinancialYear(start), population=180_000
            )
            for number in (1, 2, 3, 4):
                quarter = Quarter(FinancialYear(start), number)
                PeerFigure.objects.create(
                    member=peer, financial_year=quarter.financial_year, quarter=number,
                    category=made["ALL"], count=900, population=150_000,
                )  # fmt: skip
                for month in months_of(quarter)[: 2 if number == 3 else 3]:
                    ImportedMonth.objects.create(partnership=target, month=month, rows=1)
            QuarterlyFigure.objects.filter(
                partnership=target, financial_year=start, quarter=1, beat__isnull=True,
                category=made["ROB"],
            ).delete()  # fmt: skip
    large_officer = member(other_partnership, "performance_officer", username="largeofficer")
    url = "/p/{}/performance/" + page + "?year=2022&quarter=2"
    one_year = _queries(client_for(officer), url.format(partnership.slug))
    ten_years = _queries(client_for(large_officer), url.format(other_partnership.slug))
    assert one_year == ten_years
    assert ten_years <= 20


def test_recording_a_month_again_replaces_its_record(partnership, categories, officer):
    fill_totals(partnership, [Q2])
    monthly_figures.record_imported_months(
        partnership=partnership, months={dt.date(2022, 7, 1): 1_300, dt.date(2022, 8, 1): 1_250}
    )
    assert completeness(partnership, [Q2]).quarter(Q2).notes() == [MISSING_MONTH]
    monthly_figures.record_imported_months(
        partnership=partnership,
        months={dt.date(2022, 8, 1): 1_251, dt.date(2022, 9, 1): 1_190},
        user=officer,
    )
    assert completeness(partnership, [Q2]).quarter(Q2).complete
    august = ImportedMonth.objects.get(month=dt.date(2022, 8, 1))
    assert (august.rows, august.imported_by) == (1_251, officer)
    assert ImportedMonth.objects.count() == 3
    with pytest.raises(ValidationError):
        monthly_figures.record_imported_months(
            partnership=partnership, months={dt.date(2022, 9, 2): 1}
        )
