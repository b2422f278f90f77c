"""`performance_report --format csv` is a contract other tools read: exactly
category,previous_ytd,current_ytd,difference,change_pct,target,status,significant;
status Green, Amber, Red, Grey or incomplete; change_pct empty when incomplete;
significant yes or no. The dashboard's CSV download is the same table."""

import csv
import io

import pytest
from django.core.management import call_command

from csp_portal.financial_year import FinancialYear, Quarter
from performance import services
from performance.models import Target, TargetKind
from tests.performance.factories import enter_ytd
from tests.performance.test_seed_tables import SEED_003

pytestmark = pytest.mark.django_db

HEADER = "category,previous_ytd,current_ytd,difference,change_pct,target,status,significant"
Q2 = Quarter.parse("2022/23", 2)


@pytest.fixture
def seed_003(partnership, categories):
    """Seed 003's table; Burglary, Vehicle Crime and ASB were not in it: no totals."""
    for code, previous, current, _ in SEED_003:
        enter_ytd(partnership, categories[code], Quarter.parse("2021/22", 2), previous)
        enter_ytd(partnership, categories[code], Q2, current)
    for code, kind, value in (
        ("ALL", TargetKind.REDUCE_PCT, 3),  # +4.9 % against −3 %: Red
        ("ROB", TargetKind.SIGNIFICANT_REDUCTION, None),  # 45 → 40 is chance: Amber
        ("VWI", TargetKind.SIGNIFICANT_REDUCTION, None),  # 912 → 815 is significant: Green
    ):
        Target.objects.create(
            partnership=partnership, category=categories[code],
            financial_year=FinancialYear(2022), kind=kind, value=value,
        )  # fmt: skip
    # One quarter of Shoplifting left empty this year: incomplete.
    services.apply_figures(
        partnership=partnership, values={(2022, 2, categories["SHOP"].pk, None): None}
    )


def _report(partnership) -> str:
    out = io.StringIO()
    call_command(
        "performance_report", "--partnership", partnership.slug, "--year", "2022/23",
        "--quarter", "2", "--format", "csv", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


def test_report_csv_keeps_its_contract(partnership, seed_003):
    text = _report(partnership)
    assert text.splitlines()[0] == HEADER
    rows = {r["category"]: r for r in csv.DictReader(io.StringIO(text))}
    assert len(rows) == 12
    for row in rows.values():
        assert row["status"] in {"Green", "Amber", "Red", "Grey", "incomplete"}
        assert row["significant"] in {"yes", "no"}
        if row["status"] == "incomplete":
            assert row["change_pct"] == "" and row["significant"] == "no"
    picked = {name: (rows[name]["status"], rows[name]["change_pct"], rows[name]["significant"])
              for name in ("All Crime", "Robbery", "Violence with Injury", "Shoplifting",
                           "Burglary", "Cycle Theft")}  # fmt: skip
    assert picked == {
        "All Crime": ("Red", "4.9", "yes"),
        "Robbery": ("Amber", "-11.1", "no"),
        "Violence with Injury": ("Green", "-10.6", "yes"),
        "Shoplifting": ("incomplete", "", "no"),
        "Burglary": ("incomplete", "", "no"),
        "Cycle Theft": ("Grey", "-20.0", "yes"),
    }
    assert rows["Robbery"]["target"] == "Significant reduction"


def test_dashboard_csv_is_the_same_table(client_for, board_member, partnership, seed_003):
    response = client_for(board_member).get(
        "/p/charnwood/performance/?year=2022&quarter=2&format=csv"
    )
    downloaded = response.content.decode().replace("\r\n", "\n")
    assert downloaded == _report(partnership)
