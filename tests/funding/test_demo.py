"""The demo loader: seed figures, every stage, and idempotent."""

from pathlib import Path

import pytest
from django.conf import settings

from csp_portal.demo import load_core
from funding import budget, demo
from funding.models import Bid, BidState, Fund
from funding.money import money

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


def test_demo_loads_seed_figures_and_bids_at_every_stage_twice_without_change():
    partnership, _ = load_core(DEMO)
    demo.load(partnership, DEMO)
    counts = (Fund.objects.count(), Bid.objects.count())
    demo.load(partnership, DEMO)
    assert (Fund.objects.count(), Bid.objects.count()) == counts

    plf_2016 = Fund.objects.get(name="Partnership Locality Fund", financial_year=2016)
    total = budget.budget_table(plf_2016).total
    assert (money(total.allocated), money(total.spent), money(total.remaining)) == (
        "£67,950.00",
        "£52,757.58",
        "£15,192.42",
    )
    plf_2022 = Fund.objects.get(name="Partnership Locality Fund", financial_year=2022)
    total = budget.budget_table(plf_2022).total
    assert (money(total.allocated), money(total.spent)) == ("£75,500.00", "£27,647.00")
    states = set(Bid.objects.values_list("state", flat=True))
    assert states == set(BidState.values)
