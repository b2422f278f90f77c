"""Two officers saving the same entry grid at once, each from the page they opened: on
PostgreSQL, in two connections, one save wins and the other is refused as stale; the
loser's figures are not written over the winner's."""

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from performance import services, versions
from performance.models import QuarterlyFigure
from tests.concurrency import race as _race
from tests.conftest import postgres_only
from tests.factories import member

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

Q2 = Quarter.parse("2022/23", 2)


def test_two_saves_of_one_opened_grid_at_once_one_wins_one_is_refused(
    partnership, categories, beats, officer
):
    other = member(partnership, "performance_officer", username="officer2")
    cells = [(categories["ALL"].pk, None), (categories["ALL"].pk, beats["62"].pk)]
    services.save_grid(partnership=partnership, quarter=Q2, cells=dict.fromkeys(cells, 10))
    opened = versions.read(versions.sign(services.grid_snapshot(partnership, Q2, cells)))
    results = _race(
        [
            lambda: services.save_grid(
                partnership=partnership, quarter=Q2, cells=dict.fromkeys(cells, 11),
                user=officer, opened=opened,
            ),
            lambda: services.save_grid(
                partnership=partnership, quarter=Q2, cells=dict.fromkeys(cells, 22),
                user=other, opened=opened,
            ),
        ]
    )  # fmt: skip
    refused = [r for r in results if isinstance(r, versions.StaleVersion)]
    saved = [r for r in results if isinstance(r, services.FigureChanges)]
    assert len(refused) == 1 and len(saved) == 1, results
    winner = 11 if isinstance(results[0], services.FigureChanges) else 22
    stored = QuarterlyFigure.objects.filter(financial_year=FinancialYear(2022), quarter=2)
    assert sorted(f.count for f in stored) == [winner, winner]
    assert {d.now for d in refused[0].differences} == {winner}
