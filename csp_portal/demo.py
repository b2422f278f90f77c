"""Loads the demo partnership's shared core from fixtures/demo/core/.

Idempotent: every record is found by its natural key and updated, so running it twice
changes nothing. The apps' own demo data is loaded afterwards by settings.DEMO_LOADERS.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string

from csp_portal.financial_year import FinancialYear
from csp_portal.models import (
    Body,
    OfficeHolder,
    Organisation,
    Partnership,
    PartnershipPopulation,
    Profile,
)
from csp_portal.services import grant_roles

DEMO_DIR = settings.BASE_DIR / "fixtures" / "demo"
DEMO_PASSWORD = "csp-demo-2026"


COUNTY_DIR = settings.BASE_DIR / "fixtures" / "county"


@dataclass(frozen=True)
class DemoLogin:
    """A demo person to sign in as: who they are, in words, and what to try first."""

    username: str
    name: str
    role: str
    try_first: str

    @property
    def line(self) -> str:
        """board — board member (Helen Ward): read the year-to-date dashboard …"""
        return f"{self.username} — {self.role} ({self.name}): {self.try_first}"


#: The county tier's people (fixtures/county/people.csv names only their role codes).
COUNTY_GUIDE = {
    "county_analyst": (
        "county analyst, Police and Crime Commissioner's office",
        "compare the force area's partnerships on the county view",
    ),
    "county_board_member": (
        "chair of the Leicestershire Safer Communities Strategy Board and county administrator",
        "read the county view and the Safer Communities Agreement's district targets",
    ),
}


def months_ahead(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def end_of_month(day: dt.date) -> dt.date:
    return months_ahead(day, 1) - dt.timedelta(days=1)


def weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    """The first `weekday` (Monday 0 … Sunday 6) on or after `day`."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1", "y"}


@transaction.atomic
def load_core(directory: Path = DEMO_DIR) -> tuple[Partnership, list[DemoLogin]]:
    core = directory / "core"
    spec = json.loads((core / "partnership.json").read_text(encoding="utf-8"))
    partnership, _ = Partnership.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "ons_code": spec["ons_code"],
            "local_authority": spec["local_authority"],
            "local_authority_code": spec.get("local_authority_code", ""),
            "bid_approval_threshold": Decimal(spec["bid_approval_threshold"]),
        },
    )
    for row in spec.get("populations", []):
        PartnershipPopulation.objects.update_or_create(
            partnership=partnership,
            financial_year=FinancialYear.parse(row["financial_year"]),
            defaults={"population": row["population"], "source": row.get("source", "")},
        )

    organisations = {}
    for row in read_csv(core / "organisations.csv"):
        org, _ = Organisation.objects.update_or_create(
            name=row["name"],
            defaults={
                "short_name": row["short_name"],
                "is_responsible_authority": _yes(row["is_responsible_authority"]),
                "identifier": row["identifier"],
            },
        )
        org.partnerships.add(partnership)
        organisations[org.name] = org

    User = get_user_model()
    people = {}
    logins = []
    for row in read_csv(core / "people.csv"):
        user, created = User.objects.get_or_create(username=row["username"])
        user.first_name, user.last_name, user.email = (
            row["first_name"],
            row["last_name"],
            row["email"],
        )
        user.is_staff = user.is_superuser = _yes(row["staff"])
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": organisations.get(row["organisation"]),
                "job_title": row["job_title"],
                "title": row["title"],
            },
        )
        roles = [r for r in row["roles"].split(";") if r]
        grant_roles(user=user, partnership=partnership, roles=roles)
        if row["office"]:
            OfficeHolder.objects.get_or_create(
                partnership=partnership,
                office=row["office"],
                user=user,
                defaults={"start_date": dt.date(2016, 5, 1)},
            )
        people[user.username] = user
        logins.append(
            DemoLogin(user.username, user.get_full_name(), row["role_in_words"], row["try_first"])
        )

    for row in read_csv(core / "bodies.csv"):
        body, _ = Body.objects.update_or_create(
            partnership=partnership,
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "body_type": row["body_type"],
                "chair": people.get(row["chair"]),
                "default_venue": row["default_venue"],
                "default_start_time": dt.time.fromisoformat(row["default_start_time"])
                if row["default_start_time"]
                else None,
                "meeting_frequency": row["meeting_frequency"],
            },
        )
        body.members.set([people[name] for name in row["members"].split(";") if name])

    panel_slug = spec.get("approval_panel")
    if panel_slug:
        partnership.approval_panel = Body.objects.get(partnership=partnership, slug=panel_slug)
        partnership.save(update_fields=["approval_panel"])
    return partnership, logins


def county_logins(directory: Path = COUNTY_DIR) -> list[DemoLogin]:
    """The county tier's demo people (loaded by csp_portal.county), described in words."""
    partnerships = dict(Partnership.objects.values_list("slug", "name"))
    logins = []
    for row in read_csv(directory / "people.csv"):
        name = f"{row['first_name']} {row['last_name']}"
        codes = [code for code in row["county_roles"].split(";") if code]
        guide = next((COUNTY_GUIDE[code] for code in codes if code in COUNTY_GUIDE), None)
        if guide is not None:
            logins.append(DemoLogin(row["username"], name, *guide))
        elif row["partnership"]:
            where = partnerships.get(row["partnership"], row["partnership"])
            logins.append(
                DemoLogin(
                    row["username"],
                    name,
                    f"performance officer, {where}",
                    "enter this quarter's figures",
                )
            )
    return logins


def load_all(directory: Path = DEMO_DIR, progress=None) -> tuple[Partnership, list[DemoLogin]]:
    """The core, then each app's loader in dependency order, in one transaction."""
    with transaction.atomic():
        partnership, logins = load_core(directory)
        if (directory.parent / "county").is_dir():
            from csp_portal.county import load_county

            load_county(partnership, DEMO_PASSWORD, directory.parent / "county")
            logins += county_logins(directory.parent / "county")
        for dotted in settings.DEMO_LOADERS:
            if progress:
                progress(dotted)
            import_string(dotted)(partnership, directory)
    return partnership, logins
