"""The entry grid: one transaction, errors beside cells, nothing typed is lost,
beat-sum warnings, publishing and corrections with a reason in the history."""

import datetime as dt

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from performance import services
from performance.forms import cell_name
from performance.models import FigureCorrection, QuarterlyFigure

pytestmark = pytest.mark.django_db

URL = "/p/charnwood/performance/enter/2022/q2/"


def _all_totals(categories, count=5, **values):
    """Every category's partnership total (a quarter is published only when complete)."""
    return {f"{code.replace('-', '_')}_total": count for code in categories} | values


def _cells(categories, beats, **values):
    """values like ALL_total=10, ALL_62=4."""
    data = {}
    for key, value in values.items():
        code, where = key.rsplit("_", 1)
        code = code.replace("_", "-")
        beat_id = None if where == "total" else beats[where].pk
        data[cell_name(categories[code].pk, beat_id)] = value
    return data


def _opened(client, data, url=URL):
    """`data` as sent from the grid page opened now (with the page's version)."""
    return {**data, "version": client.get(url).context["version"]}


def test_grid_is_prefilled_with_stored_figures(client_for, officer, partnership, categories, beats):
    services.save_grid(
        partnership=partnership,
        quarter=Quarter.parse("2022/23", 2),
        cells={(categories["ROB"].pk, beats["62"].pk): 17},
    )
    page = client_for(officer).get(URL).content.decode()
    assert f'name="{cell_name(categories["ROB"].pk, beats["62"].pk)}"' in page
    assert 'value="17"' in page


def test_saving_the_grid_writes_every_cell(client_for, officer, partnership, categories, beats):
    data = _cells(categories, beats, ALL_total=100, ALL_61=40, ALL_62=60, ROB_total=3)
    response = client_for(officer).post(URL, data)
    assert response.status_code == 302
    stored = {
        (f.category.code, f.beat.code if f.beat else None): f.count
        for f in QuarterlyFigure.objects.filter(partnership=partnership)
    }
    assert stored == {("ALL", None): 100, ("ALL", "61"): 40, ("ALL", "62"): 60, ("ROB", None): 3}
    assert QuarterlyFigure.objects.get(category=categories["ROB"]).updated_by == officer


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter a whole number."),
        ("-3", "Enter 0 or more."),
        ("2.5", "Enter a whole number."),
    ],
)
def test_bad_cell_saves_nothing_and_keeps_what_was_typed(
    client_for, officer, partnership, categories, beats, typed, message
):
    data = _cells(categories, beats, ALL_total=100, ALL_61=40)
    bad = cell_name(categories["ROB"].pk, beats["62"].pk)
    data[bad] = typed
    response = client_for(officer).post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert QuarterlyFigure.objects.count() == 0
    assert message in page
    assert f'value="{typed}"' in page and 'value="100"' in page and 'value="40"' in page
    assert f'aria-describedby="id_{bad}-error"' in page
    assert "Nothing was saved" in page


def test_beats_that_do_not_add_up_give_a_warning_not_an_error(
    client_for, officer, partnership, categories, beats
):
    data = _cells(categories, beats, ALL_total=100, ALL_61=40, ALL_62=30, ALL_64=10, ALL_65=10)
    response = client_for(officer).post(URL, data, follow=True)
    assert QuarterlyFigure.objects.filter(category=categories["ALL"]).count() == 5
    assert "All Crime: the beats add up to 90 but the partnership total is 100." in (
        response.content.decode()
    )


def test_correcting_a_published_quarter_needs_a_reason(
    client_for, officer, partnership, categories, beats
):
    client = client_for(officer)
    client.post(
        URL, _opened(client, _cells(categories, beats, **_all_totals(categories, ROB_total=5)))
    )
    assert client.post(URL + "publish/").status_code == 302
    response = client.post(
        URL, _opened(client, _cells(categories, beats, **_all_totals(categories, ROB_total=6)))
    )
    assert response.status_code == 400
    assert "is published: say why" in response.content.decode()
    assert QuarterlyFigure.objects.get(category=categories["ROB"]).count == 5
    data = _opened(client, _cells(categories, beats, **_all_totals(categories, ROB_total=6)))
    data["reason"] = "Police re-classified one robbery as theft"
    assert client.post(URL, data).status_code == 302
    assert QuarterlyFigure.objects.get(category=categories["ROB"]).count == 6
    correction = FigureCorrection.objects.get()
    assert (correction.reason, correction.cells_changed, correction.made_by) == (
        "Police re-classified one robbery as theft",
        1,
        officer,
    )
    history = client.get(URL + "history/").content.decode()
    assert "Police re-classified one robbery as theft" in history
    assert "Changed" in history


def test_blanking_a_stored_cell_removes_it_with_history(partnership, categories, officer):
    quarter = Quarter.parse("2022/23", 2)
    key = (categories["ROB"].pk, None)
    services.save_grid(partnership=partnership, quarter=quarter, cells={key: 4}, user=officer)
    changes = services.save_grid(
        partnership=partnership, quarter=quarter, cells={key: None}, user=officer
    )
    assert list(changes.removed.values()) == [4]
    assert not QuarterlyFigure.objects.exists()
    assert QuarterlyFigure.history.filter(history_type="-").count() == 1


def test_a_grid_save_is_one_transaction(partnership, categories, beats, officer):
    """A failure part-way leaves nothing written (the check runs inside the transaction)."""
    quarter = Quarter.parse("2022/23", 2)
    services.save_grid(
        partnership=partnership,
        quarter=quarter,
        cells={(c.pk, None): 9 for c in categories.values()},
    )
    services.publish_quarter(partnership=partnership, quarter=quarter)
    with pytest.raises(services.ReasonRequired):
        services.apply_figures(
            partnership=partnership,
            values={
                (2021, 4, categories["ALL"].pk, None): 10,  # not published: would be fine
                (2022, 2, categories["ALL"].pk, None): 11,  # published: needs a reason
            },
        )
    assert not QuarterlyFigure.objects.filter(financial_year=FinancialYear(2021)).exists()


def test_the_quarter_in_the_url_must_exist(client_for, officer, partnership):
    assert client_for(officer).get("/p/charnwood/performance/enter/2022/q5/").status_code == 404


def test_grid_shows_only_beats_and_categories_active_in_the_quarter(
    client_for, officer, partnership, categories, beats
):
    import datetime as dt

    beats["61"].active_to = dt.date(2022, 3, 31)
    beats["61"].save()
    categories["BUR-BUS"].active_from = dt.date(2023, 4, 1)
    categories["BUR-BUS"].save()
    page = client_for(officer).get(URL).content.decode()
    assert "Beat 62" in page and "Beat 61" not in page
    assert "Burglary – Residential" in page and "Burglary – Business" not in page


def test_grid_and_history_pages_make_few_queries(
    client_for, officer, partnership, categories, beats, django_assert_max_num_queries
):
    quarter = Quarter.parse("2022/23", 2)
    cells = {
        (c.pk, b.pk if b else None): 1 for c in categories.values() for b in [*beats.values(), None]
    }
    services.save_grid(partnership=partnership, quarter=quarter, cells=cells, user=officer)
    services.save_grid(
        partnership=partnership, quarter=quarter, cells=dict.fromkeys(cells, 2), user=officer
    )
    client = client_for(officer)
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(URL + "history/").status_code == 200
    data = _opened(client, {cell_name(c, b): 3 for c, b in cells})
    with django_assert_max_num_queries(25):
        assert client.post(URL, data).status_code == 302


def test_home_page_asks_officers_to_publish_the_latest_quarter(
    client_for, officer, board_member, partnership, categories
):
    latest = Quarter.latest_complete()
    wanted = f"Enter and publish the {latest} figures"
    assert wanted in client_for(officer).get("/").content.decode()
    assert wanted not in client_for(board_member).get("/").content.decode()
    services.save_grid(
        partnership=partnership,
        quarter=latest,
        cells={(category.pk, None): 9 for category in categories.values()},
    )
    services.publish_quarter(partnership=partnership, quarter=latest)
    assert wanted not in client_for(officer).get("/").content.decode()


def test_enter_starts_at_the_quarter_after_the_latest_entered(
    client_for, officer, partnership, categories
):
    client = client_for(officer)
    ended = Quarter.latest_complete()
    # Nothing entered yet: the last quarter that has ended.
    assert client.get("/p/charnwood/performance/enter/")["Location"] == (
        f"/p/charnwood/performance/enter/{ended.financial_year.start_year}/q{ended.number}/"
    )
    services.save_grid(
        partnership=partnership,
        quarter=Quarter.parse("2022/23", 1),
        cells={(categories["ALL"].pk, None): 1650},
    )
    assert client.get("/p/charnwood/performance/enter/")["Location"] == URL
    # Once the last ended quarter is in, there is no next one to fill: stay on it.
    services.save_grid(
        partnership=partnership, quarter=ended, cells={(categories["ALL"].pk, None): 1700}
    )
    assert client.get("/p/charnwood/performance/enter/")["Location"] == (
        f"/p/charnwood/performance/enter/{ended.financial_year.start_year}/q{ended.number}/"
    )
    # A chosen quarter wins.
    assert client.get("/p/charnwood/performance/enter/?year=2019&quarter=3")["Location"] == (
        "/p/charnwood/performance/enter/2019/q3/"
    )


def test_a_quarter_is_published_only_once_it_has_ended_and_has_figures(
    partnership, categories, officer
):
    from django.core.exceptions import ValidationError

    q3 = Quarter.parse("2022/23", 3)  # 1 October to 31 December 2022
    services.save_grid(
        partnership=partnership,
        quarter=q3,
        cells={(category.pk, None): 7 for category in categories.values()},
        user=officer,
    )
    with pytest.raises(ValidationError, match="runs to 31 December 2022"):
        services.publish_quarter(partnership=partnership, quarter=q3, today=q3.end)
    published = services.publish_quarter(
        partnership=partnership, quarter=q3, today=q3.end + dt.timedelta(days=1)
    )
    assert (published.financial_year, published.quarter) == (FinancialYear(2022), 3)
    with pytest.raises(ValidationError, match="Q4 2022/23 has no figures yet"):
        services.publish_quarter(
            partnership=partnership, quarter=q3.next, today=dt.date(2024, 1, 1)
        )


def test_publishing_an_empty_quarter_is_refused_with_a_message(
    client_for, officer, partnership, categories
):
    response = client_for(officer).post(
        f"/p/{partnership.slug}/performance/enter/2022/q2/publish/", follow=True
    )
    assert "Q2 2022/23 has no figures yet" in response.content.decode()
    assert not partnership.published_quarters.exists()
