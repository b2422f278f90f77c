"""The county tier's template and demo: the force area's partnerships, their local
authorities, populations and bodies (fixtures/county/, shipped with their sources).

`load_county` is the demo's core part: the county (the Strategy Board's county tier),
its board and people, the force area's other partnerships with their local
authorities, councils, Census 2021 populations, bodies and one demo officer each. The
performance part (categories, mapping, beats, LSOAs and the police.uk figures) is
performance.county_demo's.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from csp_portal.models import County, CountyBody, LocalAuthority, Organisation, Partnership, Profile
from csp_portal.services import (
    create_partnership,
    ensure_county,
    grant_county_role,
    grant_roles,
)

TEMPLATE_DIR = settings.BASE_DIR / "fixtures" / "county"
POPULATION_SOURCE = "Census 2021 (ONS, rounded to the nearest hundred), OGL v3.0"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def census_populations(directory: Path = TEMPLATE_DIR) -> dict[str, tuple[str, int]]:
    """Local authority name -> (ONS code, Census 2021 population)."""
    return {
        row["name"]: (row["local_authority_code"], int(row["population_2021"]))
        for row in read_rows(directory / "populations.csv")
    }


def template_bodies(directory: Path = TEMPLATE_DIR) -> list[dict[str, str]]:
    return read_rows(directory / "bodies.csv")


def _person(row: dict[str, str], password: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=row["username"])
    if created:
        user.first_name, user.last_name, user.email = (
            row["first_name"], row["last_name"], row["email"]
        )  # fmt: skip
        user.set_password(password)
        user.save()
        organisation, _ = Organisation.objects.get_or_create(name=row["organisation"])
        Profile.objects.update_or_create(
            user=user,
            defaults={"organisation": organisation, "job_title": row["job_title"],
                      "title": row["title"]},
        )  # fmt: skip
    return user


@transaction.atomic
def load_county(
    charnwood: Partnership, password: str, directory: Path = TEMPLATE_DIR
) -> tuple[County, list[tuple[str, str, str]]]:
    """The county tier of the demo; returns it and its logins (username, name, roles)."""
    spec = json.loads((directory / "county.json").read_text(encoding="utf-8"))
    county = ensure_county(
        slug=spec["slug"], name=spec["name"], force_name=spec["force_name"], update=True
    )
    census = census_populations(directory)
    partners = [
        Organisation.objects.get_or_create(name=n)[0] for n in spec["partner_organisations"]
    ]
    county_council = Organisation.objects.get_or_create(name=spec["county_council"])[0]
    for row in read_rows(directory / "partnerships.csv"):
        authorities = row["local_authorities"].split(";")
        if row["slug"] == charnwood.slug:  # Charnwood keeps everything it has
            if charnwood.county_id != county.pk:
                charnwood.county = county
                charnwood.save(update_fields=["county"])
            for name in authorities:
                LocalAuthority.objects.update_or_create(
                    ons_code=census[name][0],
                    defaults={"county": county, "name": name, "partnership": charnwood},
                )
            continue
        partnership = create_partnership(
            county=county,
            slug=row["slug"],
            name=row["name"],
            ons_code=row["ons_code"],
            local_authorities=[(name, census[name][0]) for name in authorities],
            councils=row["councils"].split(";"),
            population=sum(census[name][1] for name in authorities),
            population_source=POPULATION_SOURCE,
            bodies=template_bodies(directory),
        )
        for organisation in partners:
            organisation.partnerships.add(partnership)
        if all(census[name][0].startswith("E07") for name in authorities):
            county_council.partnerships.add(partnership)
    logins = []
    people = {}
    for row in read_rows(directory / "people.csv"):
        user = _person(row, password)
        people[user.username] = user
        for role in filter(None, row["county_roles"].split(";")):
            grant_county_role(user=user, county=county, role=role)
        if row["partnership"]:
            partnership = Partnership.objects.get(slug=row["partnership"])
            grant_roles(user=user, partnership=partnership, roles=row["roles"].split(";"))
            partnership.bodies.get(slug="board").members.add(user)
        roles = (row["county_roles"] or row["roles"]).replace(";", ", ")
        where = f" ({row['partnership']})" if row["partnership"] else " (Leicestershire)"
        logins.append((user.username, user.get_full_name(), roles + where))
    board_spec = spec["board"]
    User = get_user_model()
    board, _ = CountyBody.objects.update_or_create(
        county=county,
        slug=board_spec["slug"],
        defaults={
            "name": board_spec["name"],
            "default_venue": board_spec["default_venue"],
            "meeting_frequency": board_spec["meeting_frequency"],
            "chair": people.get(board_spec["chair"]),
        },
    )
    board.members.set(User.objects.filter(username__in=board_spec["members"]))
    return county, logins
