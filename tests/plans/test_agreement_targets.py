"""The agreement's arithmetic: targets computed and rounded by the stated rule, and the
seed's own errors found (plans.agreement)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from csp_portal.financial_year import FinancialYear
from plans import agreement as arithmetic
from plans.agreement_demo import load_agreement
from plans.agreement_models import CountyIndicator, DistrictTarget

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "plans" / "agreement.json"


def target(measure: str, baseline: str, change: str, printed: str | None = None) -> DistrictTarget:
    return DistrictTarget(
        indicator=CountyIndicator(code="NI 20", name="Assault with injury"),
        financial_year=FinancialYear(2010),
        measure=measure,
        kind="reduction",
        baseline=Decimal(baseline),
        change_pct=Decimal(change),
        printed=Decimal(printed) if printed else None,
    )


@pytest.mark.parametrize(
    ("measure", "baseline", "change", "expected"),
    [
        ("count", "519", "-6", "488"),  # 487.86: the seed printed 587
        ("count", "275", "-6", "259"),  # 258.5: halves up
        ("count", "320", "-6", "301"),  # 300.8
        ("count", "1084", "7", "1160"),  # 1159.88: an increase
        ("rate", "5.4", "-6", "5.08"),  # 5.076
        ("rate", "7.16", "-6", "6.73"),  # 6.7304: the seed printed 6.74
        ("rate", "6.65", "-3", "6.45"),  # 6.4505
        ("percentage", "14", "-10", "12.6"),
    ],
)
def test_targets_are_computed_from_baseline_and_change_rounded_halves_up(
    measure, baseline, change, expected
):
    assert arithmetic.computed_target(target(measure, baseline, change)) == Decimal(expected)


def test_a_printed_target_that_is_the_exact_value_truncated_is_a_rounding_difference():
    found = arithmetic.target_discrepancy(target("count", "320", "-6", "300"))
    assert found.kind == "rounding"
    assert "prints 320 − 6 % = 300; it is 301 (300.8 exactly)" in found.text


def test_any_other_printed_target_is_an_error():
    found = arithmetic.target_discrepancy(target("count", "519", "-6", "587"))
    assert found.kind == "error"
    assert "519 − 6 % = 587; it is 488" in found.text


def test_a_printed_target_equal_to_the_computed_one_is_no_discrepancy():
    assert arithmetic.target_discrepancy(target("rate", "5.4", "-6", "5.08")) is None


@pytest.mark.django_db
def test_the_shipped_agreement_lists_every_error_of_seed_004():
    agreement = load_agreement(FIXTURE)
    errors = {
        (d.indicator.code, d.where, str(d.year))
        for d in arithmetic.discrepancies(agreement)
        if d.kind == "error"
    }
    assert errors == {
        ("NI 20", "Hinckley & Bosworth", "2010/11"),  # 519 − 6 % = 587, is 488
        ("NI 20", "N. W. Leicestershire", "2010/11"),  # 601 − 6 % = 568, is 565
        ("NI 20", "Charnwood", "2010/11"),  # 7.16 − 6 % = 6.74, is 6.73
        ("LI 11 (NI 40)", "County", "2010/11"),  # 1084 + 7 % = 1161, is 1160
    }
    rounding = [d for d in arithmetic.discrepancies(agreement) if d.kind == "rounding"]
    assert len(rounding) == 8  # the seed truncates counts: 300.8 printed 300, ...
    assert not [d for d in arithmetic.discrepancies(agreement) if d.kind == "sum"]


@pytest.mark.django_db
def test_districts_that_do_not_add_up_to_the_county_are_a_sum_discrepancy():
    agreement = load_agreement(FIXTURE)
    blaby = DistrictTarget.objects.get(
        indicator__code="NI 20", area__name="Blaby", financial_year=FinancialYear(2009),
        measure="count",
    )  # fmt: skip
    blaby.baseline = Decimal("321")
    blaby.save()
    sums = [d.text for d in arithmetic.discrepancies(agreement) if d.kind == "sum"]
    assert any("baselines add up to 3,428, the county's is 3,427" in text for text in sums)


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = load_agreement(FIXTURE)
    counts = (first.areas.count(), first.priorities.count(), first.indicators.count(),
              DistrictTarget.objects.count())  # fmt: skip
    second = load_agreement(FIXTURE)
    assert second.pk == first.pk
    assert counts == (7, 16, 4, DistrictTarget.objects.count())
