"""The demo's agreement loads for county `leicestershire` with whichever of the force
area's partnerships exist, before and after the others are added."""

from __future__ import annotations

from pathlib import Path

import pytest

from csp_portal.models import County
from plans.agreement_demo import load_agreement
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "plans" / "agreement.json"


def test_it_creates_the_county_and_links_the_partnerships_that_exist(partnership):
    agreement = load_agreement(FIXTURE)
    assert agreement.county.slug == "leicestershire"
    linked = {a.name: a.partnership for a in agreement.areas.all()}
    assert linked["Charnwood"] == partnership
    assert linked["Melton"] is None
    partnership.refresh_from_db()
    assert partnership.county == agreement.county


def test_a_second_run_links_partnerships_added_since(partnership):
    load_agreement(FIXTURE)
    merged = PartnershipFactory(
        name="Blaby and Hinckley & Bosworth CSP", slug="blaby-hinckley-bosworth"
    )
    agreement = load_agreement(FIXTURE)
    linked = {a.name: a.partnership for a in agreement.areas.all()}
    assert linked["Blaby"] == merged and linked["Hinckley & Bosworth"] == merged
    assert County.objects.count() == 1


def test_an_existing_county_is_kept(partnership):
    existing = County.objects.create(slug="leicestershire", name="Leicestershire Strategy Board")
    partnership.county = existing
    partnership.save()
    agreement = load_agreement(FIXTURE)
    assert agreement.county == existing
    assert County.objects.get().name == "Leicestershire Strategy Board"
