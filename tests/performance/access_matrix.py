"""Who gets what from the performance app's URLs. Read by tests/e2e/test_permission_matrix.py.

The rule (docs/performance.md, "Who does what"): every member reads the dashboards and
their CSV; only performance officers and partnership administrators reach the entry
grid, publishing, the history, the uploads, the police.uk and Home Office imports, the LSOA lookup,
targets and the family-group figures. A member of another partnership gets 403.

Builders give Charnwood categories, beats and a year of figures before each request
(inside the visitor's savepoint), so the pages are drawn with real tables and the POSTs
have something to act on. Valid POSTs expect the page's success status: 302 where the
view saves and redirects, 200 where it shows a preview and writes nothing yet.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from csp_portal.financial_year import Quarter
from csp_portal.models import Role
from performance.family import family_group_for
from performance.models import FamilyGroupMember, PoliceUkCrimeType
from tests.e2e.matrix import Access, World, for_roles, partnership_kwargs
from tests.performance.factories import enter_ytd, make_beats, make_categories

EDITORS = for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN)
#: A view that accepts only POST answers a GET with 405 once the visitor is signed in.
POST_ONLY = {"roles": 405, "staff": 405, "staff_only": 405, "outsider": 405}
YEAR, QUARTER = 2022, 2
QUARTER_OF_FIGURES = Quarter.parse("2022/23", 2)


def with_figures(world: World) -> dict:
    """Categories, beats and last year's and this year's figures to Q2 2022/23."""
    categories = make_categories(world.partnership)
    beats = make_beats(world.partnership)
    for quarter, ytd in ((Quarter.parse("2021/22", 2), 3400), (QUARTER_OF_FIGURES, 3500)):
        enter_ytd(world.partnership, categories["ALL"], quarter, ytd)
        enter_ytd(world.partnership, categories["BUR"], quarter, ytd // 20)
        enter_ytd(world.partnership, categories["BUR"], quarter, ytd // 100, beat=beats["62"])
    group = family_group_for(world.partnership)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Charnwood", is_self=True)
    FamilyGroupMember.objects.create(family_group=group, csp_name="Rugby")
    world.extra.update(categories=categories, beats=beats)
    return partnership_kwargs(world)


def county_kwargs(world: World) -> dict:
    """The county view of Charnwood's county, with Charnwood's figures in it."""
    with_figures(world)
    return {"county": world.partnership.county.slug}


def quarter_kwargs(world: World) -> dict:
    return {**with_figures(world), "year": YEAR, "quarter": QUARTER}


def grid(world: World, all_crime: str) -> dict:
    """Two cells typed into the grid as opened now (with the page's version)."""
    from performance import services, versions

    categories = world.extra["categories"]
    beats = world.extra["beats"]
    quarter = QUARTER_OF_FIGURES
    cells = [
        (c.pk, b) for c in categories.values() for b in [*(b.pk for b in beats.values()), None]
    ]
    version = versions.sign(services.grid_snapshot(world.partnership, quarter, cells))
    return {
        f"c{categories['ALL'].pk}_total": all_crime,
        f"c{categories['ROB'].pk}_total": "12",
        "version": version,
    }


def csv_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def figures_sheet(world: World) -> dict:
    return {
        "file": csv_file(
            "figures.csv",
            "financial_year,quarter,beat,category,count\n"
            "2022/23,3,,All Crime,1800\n"
            "2022/23,3,62,Burglary,9\n",
        )
    }


STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n"
)


def street_files(world: World) -> dict:
    text = STREET_HEADER + (
        "abc123,2022-10,Leicestershire Police,Leicestershire Police,-1.2,52.77,"
        "On or near High Street,E01025692,Charnwood 001B,Burglary,Under investigation,\n"
        ",2022-10,Leicestershire Police,Leicestershire Police,-1.2,52.77,"
        "On or near High Street,E01025692,Charnwood 001B,Anti-social behaviour,,\n"
    )
    return {"files": [csv_file("2022-10-leicestershire-street.csv", text)]}


def crime_type_mapping(world: World) -> dict:
    burglary = PoliceUkCrimeType.values.index("Burglary")
    return {"mapping": "1", f"type_{burglary}": ["ALL", "BUR"]}


def lsoa_sheet(world: World) -> dict:
    return {
        "upload": "1",
        "file": csv_file("lsoa.csv", "lsoa_code,lsoa_name,beat\nE01025692,Charnwood 001B,62\n"),
    }


def lsoa_rows(world: World) -> dict:
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-lsoa_code": "E01025693",
        "form-0-lsoa_name": "Charnwood 001C",
        "form-0-beat": world.extra["beats"]["65"].pk,
    }


def target_rows(world: World) -> dict:
    from performance.dashboards import categories_in_order

    ordered = categories_in_order(world.partnership)
    count = len(ordered)
    data = {"year": str(YEAR), "form-TOTAL_FORMS": count, "form-INITIAL_FORMS": count}
    for index, category in enumerate(ordered):
        data[f"form-{index}-category"] = str(category.pk)
        data[f"form-{index}-kind"] = ""
        data[f"form-{index}-tolerance"] = "5"
    data["form-0-kind"] = "reduce_pct"
    data["form-0-value"] = "3"
    return data


HOME_OFFICE_HEADER = (
    "Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences\n"
)


def home_office_table(world: World) -> dict:
    text = HOME_OFFICE_HEADER + (
        "2022/23,3,Leicestershire,Charnwood,Robbery of personal property,Robbery,"
        "Robbery of personal property,34B,21\n"
    )
    return {"file": csv_file("recorded-crime-by-csp.csv", text)}


def peer_sheet(world: World) -> dict:
    return {
        "file": csv_file(
            "peers.csv",
            "financial_year,quarter,csp,category,count,population\n"
            "2022/23,2,Rugby,All Crime,2100,110000\n",
        )
    }


def members(world: World) -> dict:
    group = family_group_for(world.partnership)
    existing = list(group.members.order_by("pk"))
    data = {"members-TOTAL_FORMS": len(existing) + 1, "members-INITIAL_FORMS": len(existing)}
    for index, member in enumerate(existing):
        data.update(
            {
                f"members-{index}-id": member.pk,
                f"members-{index}-csp_name": member.csp_name,
                f"members-{index}-is_self": "on" if member.is_self else "",
            }
        )
    new = len(existing)
    data.update(
        {f"members-{new}-csp_name": "Dacorum", f"members-{new}-joined": str(dt.date(2016, 4, 1))}
    )
    return data


ENTRIES = [
    # The board's dashboards: every member of the partnership reads them.
    Access(
        "performance:index",
        with_figures,
        note="year to date: every member reads it",
        county_analyst=200,
    ),
    Access("performance:trend", with_figures, county_analyst=200),
    Access("performance:beats", with_figures, county_analyst=200),
    Access("performance:family", with_figures, county_analyst=200),
    Access("performance:rates", with_figures, county_analyst=200),
    # Getting figures in: performance officers and partnership administrators only.
    Access(
        "performance:enter",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        note="sends an editor on to the latest quarter's grid",
    ),
    Access(
        "county_performance:index",
        county_kwargs,
        county_analyst=200,
        note="the county view: the county roles and members of the county's partnerships",
    ),
    Access("performance:enter_quarter", quarter_kwargs, roles=EDITORS),
    Access(
        "performance:enter_quarter",
        quarter_kwargs,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lambda world: grid(world, "1760"),
        note="valid figures: saved, back to the grid",
    ),
    Access(
        "performance:enter_quarter",
        quarter_kwargs,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=400),
        staff=400,
        method="POST",
        data=lambda world: grid(world, "-4"),
        note="invalid: a negative count; the grid comes back (400) with the message",
    ),
    Access("performance:publish", quarter_kwargs, **POST_ONLY),
    Access(
        "performance:publish",
        quarter_kwargs,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        note="publishes the quarter, back to the grid",
    ),
    Access("performance:history", quarter_kwargs, roles=EDITORS),
    Access("performance:upload", with_figures, roles=EDITORS),
    Access(
        "performance:upload",
        with_figures,
        roles=EDITORS,
        method="POST",
        data=figures_sheet,
        note="a valid sheet: the preview (200), nothing written until confirmed",
    ),
    Access("performance:upload_confirm", with_figures, **POST_ONLY),
    Access(
        "performance:upload_confirm",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lambda world: {"token": "not-this-sessions-upload"},
        note="no upload waits in this session: back to the upload page with a message",
    ),
    Access("performance:policeuk", with_figures, roles=EDITORS),
    Access(
        "performance:policeuk",
        with_figures,
        roles=EDITORS,
        method="POST",
        data=street_files,
        note="street-level files: the preview of the counts (200), nothing written yet",
    ),
    Access(
        "performance:policeuk",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=crime_type_mapping,
        note="the crime type mapping form: saved, back to the page",
    ),
    Access("performance:policeuk_confirm", with_figures, **POST_ONLY),
    Access(
        "performance:policeuk_confirm",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lambda world: {"token": "not-this-sessions-files"},
        note="no files wait in this session: back to the police.uk page with a message",
    ),
    Access("performance:homeoffice", with_figures, roles=EDITORS),
    Access(
        "performance:homeoffice",
        with_figures,
        roles=EDITORS,
        method="POST",
        data=home_office_table,
        note="a Home Office table: the preview (200), nothing written yet",
    ),
    Access(
        "performance:homeoffice",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lambda world: {"standard": "1"},
        note="adds the standard offence mapping, back to the page",
    ),
    Access("performance:homeoffice_confirm", with_figures, **POST_ONLY),
    Access(
        "performance:homeoffice_confirm",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lambda world: {"token": "not-this-sessions-upload"},
        note="no table waits in this session: back to the Home Office page with a message",
    ),
    Access("performance:lsoa", with_figures, roles=EDITORS),
    Access(
        "performance:lsoa",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lsoa_sheet,
        note="a valid lookup file: applied, back to the page",
    ),
    Access(
        "performance:lsoa",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lsoa_rows,
        note="the row-by-row form with a valid new row: saved, back to the page",
    ),
    Access("performance:targets", with_figures, roles=EDITORS),
    Access(
        "performance:targets",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=target_rows,
        note="a valid target for All Crime: saved, back to the year's targets",
    ),
    Access("performance:family_upload", with_figures, roles=EDITORS),
    Access(
        "performance:family_upload",
        with_figures,
        roles=EDITORS,
        method="POST",
        data=peer_sheet,
        note="a valid sheet of peer figures: the preview (200), nothing written yet",
    ),
    Access(
        "performance:family_upload",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=members,
        note="the membership form with a valid new member: saved, back to the page",
    ),
    Access(
        "performance:family_upload",
        with_figures,
        roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN, status=302),
        staff=302,
        method="POST",
        data=lambda world: {"confirm": "1", "token": "not-this-sessions-upload"},
        note="confirming with no upload waiting: back to the page with a message",
    ),
]
