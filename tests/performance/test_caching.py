"""The YTD dashboard is served from the cache, and every write to what it shows makes
the cached copy stale at once: a saved, removed or corrected figure, a publication, a
target, a renamed category, a population. The services are the one refresh point.

The test settings cache nothing (csp_portal/settings_test.py); these tests use a real
cache, a fresh local-memory one per test.
"""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from csp_portal.financial_year import FinancialYear, Quarter
from performance import caching, services
from performance.models import QuarterlyFigure, TargetKind
from tests.factories import member
from tests.performance.factories import enter_ytd, fill_totals

pytestmark = pytest.mark.django_db

Q2 = Quarter.parse("2022/23", 2)
URL = "/p/{}/performance/?year=2022&quarter=2"


@pytest.fixture(autouse=True)
def real_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-caching-{uuid.uuid4()}",
        }
    }
    yield cache
    cache.clear()


@pytest.fixture
def board(client_for, board_member):
    return client_for(board_member)


def _page(client, slug="charnwood") -> str:
    response = client.get(URL.format(slug))
    assert response.status_code == 200
    return response.content.decode()


def _all_crime_row(html: str) -> str:
    """The table row of All Crime (the chart's JSON also holds the figures)."""
    start = html.index('<th scope="row" class="depth-0">All Crime')
    return html[start : html.index("</tr>", start)]


def test_a_second_view_reads_no_performance_table(board, partnership, categories):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    _page(board)
    with CaptureQueriesContext(connection) as second:
        html = _page(board)
    assert "1,234" in _all_crime_row(html)
    tables = " ".join(q["sql"] for q in second.captured_queries)
    assert "performance_" not in tables and "partnershippopulation" not in tables
    assert len(second) == 2  # the signed-in user, and their memberships and roles


def test_a_saved_figure_shows_at_once(board, officer, partnership, categories):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    assert "1,234" in _all_crime_row(_page(board))
    services.save_grid(
        partnership=partnership,
        quarter=Q2,
        cells={(categories["ALL"].pk, None): 3000},  # Q2 was 617 of the 1,234
        user=officer,
    )
    row = _all_crime_row(_page(board))
    assert "3,617" in row and "1,234" not in row


def test_a_removed_figure_disappears_at_once(board, partnership, categories):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    assert "1,234" in _all_crime_row(_page(board))
    services.save_grid(
        partnership=partnership, quarter=Q2, cells={(categories["ALL"].pk, None): None}
    )
    row = _all_crime_row(_page(board))
    assert "617" in row and "1,234" not in row


def test_a_correction_to_a_published_quarter_shows_at_once(board, officer, partnership, categories):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    fill_totals(partnership, Q2.year_to_date)  # publishing needs every category's total
    assert "Q2 2022/23: provisional, complete but not yet published." in _page(board)
    services.publish_quarter(partnership=partnership, quarter=Q2, user=officer)
    assert "published figures" in _page(board)
    services.save_grid(
        partnership=partnership,
        quarter=Q2,
        cells={(categories["ALL"].pk, None): 700},
        user=officer,
        reason="Late crimes recorded",
    )
    assert "1,317" in _all_crime_row(_page(board))


def test_figures_publications_and_targets_are_read_only_in_the_admin(
    client_for, staff_admin, partnership, categories
):
    """They change through the portal's pages and services, which keep the reasons for
    corrections and refresh the dashboards; the admin only shows them."""
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    figure = QuarterlyFigure.objects.filter(category=categories["ALL"]).first()
    admin = client_for(staff_admin)
    url = f"/admin/performance/quarterlyfigure/{figure.pk}/change/"
    assert admin.get(url).status_code == 200  # shown
    admin.post(url, {"count": 1})
    figure.refresh_from_db()
    assert figure.count != 1
    for model in ("quarterlyfigure", "publishedquarter", "target"):
        assert admin.get(f"/admin/performance/{model}/add/").status_code == 403


def test_a_category_renamed_in_the_admin_shows_at_once(
    board, client_for, staff_admin, partnership, categories
):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    assert "All Crime" in _all_crime_row(_page(board))
    category = categories["ALL"]
    response = client_for(staff_admin).post(
        f"/admin/performance/crimecategory/{category.pk}/change/",
        {
            "partnership": partnership.pk,
            "code": category.code,
            "name": "Total Recorded Crime",
            "display_order": category.display_order,
            "lower_is_better": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = _page(board)
    assert "Total Recorded Crime" in html and ">All Crime" not in html


def test_a_population_changed_by_the_core_shows_at_once(board, partnership, categories):
    from csp_portal.models import PartnershipPopulation

    services.save_targets(
        partnership=partnership,
        year=FinancialYear(2022),
        rows={categories["ALL"].pk: {"kind": TargetKind.RATE, "value": 20}},
    )
    enter_ytd(partnership, categories["ALL"], Q2, 1000)  # half the year's 20 per 1,000
    # A complete year to date, and the year before, so that the row is rated at all.
    fill_totals(
        partnership, [*Q2.year_to_date, *Quarter(Q2.financial_year.previous, 2).year_to_date]
    )
    population = PartnershipPopulation.objects.create(
        partnership=partnership, financial_year=FinancialYear(2022), population=100_000
    )
    assert "Green" in _all_crime_row(_page(board))  # 10.00 against 10
    population.population = 50_000  # 20.00 per 1,000 against 10: Red
    population.save()
    assert "Red" in _all_crime_row(_page(board))


def test_a_new_target_and_a_renamed_category_show_at_once(board, partnership, categories):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    assert "No target" in _all_crime_row(_page(board))
    services.save_targets(
        partnership=partnership,
        year=FinancialYear(2022),
        rows={categories["ALL"].pk: {"kind": TargetKind.REDUCE_PCT, "value": 7}},
    )
    assert "Reduce by 7%" in _all_crime_row(_page(board))
    categories["ALL"].name = "Total Recorded Crime"
    services.save_reference(record=categories["ALL"])
    html = _page(board)
    assert "Total Recorded Crime" in html and ">All Crime" not in html


def test_a_new_quarter_becomes_the_default_at_once(board, partnership, categories):
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    assert (
        "<h1>Year to date: Q2 2022/23</h1>"
        in board.get("/p/charnwood/performance/").content.decode()
    )
    enter_ytd(partnership, categories["ALL"], Quarter.parse("2022/23", 3), 2000)
    page = board.get("/p/charnwood/performance/").content.decode()
    assert "<h1>Year to date: Q3 2022/23</h1>" in page


def test_each_partnership_has_its_own_cached_tables(
    board, client_for, partnership, other_partnership, categories
):
    from tests.performance.factories import make_categories

    theirs = make_categories(other_partnership)
    enter_ytd(partnership, categories["ALL"], Q2, 1234)
    enter_ytd(other_partnership, theirs["ALL"], Q2, 4321)
    melton = client_for(member(other_partnership, "board_member", username="meltonboard"))
    assert "1,234" in _all_crime_row(_page(board))
    assert "4,321" in _all_crime_row(_page(melton, "melton"))
    assert "1,234" in _all_crime_row(_page(board))


def test_the_version_changes_again_when_the_write_commits(
    partnership, django_capture_on_commit_callbacks
):
    """A request running during the write may cache a table of the old figures under
    the first new version; the second change, after commit, leaves it unread."""
    before = caching.figures_version(partnership.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        caching.figures_changed(partnership.pk)
        during = caching.figures_version(partnership.pk)
    after = caching.figures_version(partnership.pk)
    assert len({before, during, after}) == 3


def test_a_lost_version_never_brings_old_tables_back(partnership):
    first = caching.figures_version(partnership.pk)
    cache.delete(caching._version_key(partnership.pk))  # e.g. culled from a full cache
    assert caching.figures_version(partnership.pk) != first


def test_keys_carry_a_digest_of_the_code_and_templates(partnership):
    stamp = caching.code_stamp()
    assert len(stamp) == 16 and caching.figures_version(partnership.pk).startswith(stamp + ".")
