"""One status for a quarter: the home page (every member), the officer's task and the
dashboard all show what performance.completeness.quarter_status() says: incomplete
(naming what is missing), provisional, or published."""

import pytest

from csp_portal.financial_year import Quarter
from performance import services
from performance.completeness import QuarterState
from performance.selectors import quarter_status
from tests.performance.factories import fill_totals

pytestmark = pytest.mark.django_db


def _pages(client_for, officer, board_member, quarter) -> dict[str, str]:
    year, number = quarter.financial_year.start_year, quarter.number
    return {
        "board home": client_for(board_member).get("/").content.decode(),
        "officer home": client_for(officer).get("/").content.decode(),
        "dashboard": client_for(board_member)
        .get(f"/p/charnwood/performance/?year={year}&quarter={number}")
        .content.decode(),
    }


def test_home_dashboard_and_task_show_one_status(
    client_for, officer, board_member, partnership, categories
):
    latest = Quarter.latest_complete()
    services.save_grid(
        partnership=partnership, quarter=latest, cells={(categories["ALL"].pk, None): 900}
    )
    status = quarter_status(partnership, latest)
    assert status.state == QuarterState.INCOMPLETE
    assert status.sentence == f"{latest} is incomplete: no partnership total for 11 categories."
    pages = _pages(client_for, officer, board_member, latest)
    for name, html in pages.items():
        assert status.sentence in html, name
    assert f"Enter and publish the {latest} figures" in pages["officer home"]
    assert f"{latest} figures: incomplete" in pages["board home"]

    fill_totals(partnership, [latest])
    status = quarter_status(partnership, latest)
    assert status.sentence == f"{latest}: provisional, complete but not yet published."
    for name, html in _pages(client_for, officer, board_member, latest).items():
        assert status.sentence in html, name

    services.publish_quarter(partnership=partnership, quarter=latest)
    status = quarter_status(partnership, latest)
    assert status.state == QuarterState.PUBLISHED
    pages = _pages(client_for, officer, board_member, latest)
    for name, html in pages.items():
        assert f"{latest}: published figures." in html, name
    assert f"Enter and publish the {latest} figures" not in pages["officer home"]


def test_a_quarter_not_yet_ended_is_in_progress(partnership, categories):
    current = Quarter.latest_complete().next
    fill_totals(partnership, [current])
    assert quarter_status(partnership, current).state == QuarterState.IN_PROGRESS


def test_a_published_quarter_that_loses_a_total_is_incomplete_again(partnership, categories):
    quarter = Quarter.parse("2022/23", 2)
    fill_totals(partnership, [quarter])
    services.publish_quarter(partnership=partnership, quarter=quarter)
    services.apply_figures(
        partnership=partnership,
        values={(2022, 2, categories["ROB"].pk, None): None},
        reason="Robbery figure withdrawn by the police",
    )
    status = quarter_status(partnership, quarter)
    assert status.state == QuarterState.INCOMPLETE
    assert status.sentence == (
        "Q2 2022/23 is published but incomplete: no partnership total for Robbery."
    )
