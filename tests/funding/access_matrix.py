"""Who gets what from the funding app's URLs. Read by tests/e2e/test_permission_matrix.py.

The rules (docs/funding.md, "Who sees what"): every member reaches the funding index;
board members, clerks, performance officers and admins read every bid, the budget
tables and the reports; a partner reads their own organisation's bids (and those sent
to a group or panel they decide for) and acts as the applicant on them; only admins
manage funds, budget lines and spend; only the applicant's organisation edits, submits,
adds papers to and reports on its bid, and only deciders decide.

The world's partner works for the applicant organisation of the bids built here (the
usual case); the entries noted "stranger" give the partner another organisation, to pin
that a bid and its papers are served only to their organisation and to readers. The
world's admin and the staff administrator have no organisation, so they may read bids
but not apply or act as the applicant.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from csp_portal.models import Organisation, Profile, Role
from funding import workflow
from funding.models import Bid, BidAttachment, BidState, Fund
from funding.monitoring import schedule_for
from tests.e2e.matrix import Access, World, for_roles
from tests.factories import BodyFactory, OrganisationFactory, member
from tests.funding.factories import BidFactory, BudgetLineFactory, FundFactory

READERS_OF_ALL = (Role.BOARD_MEMBER, Role.CLERK, Role.PERFORMANCE_OFFICER, Role.ADMIN)
READ_ALL = for_roles(*READERS_OF_ALL)
MANAGERS = for_roles(Role.ADMIN)
MANAGERS_POST = {"roles": for_roles(Role.ADMIN, status=302), "staff": 302}
# The applicant's side: the world's partner, of the applicant organisation. The admin
# holds the partner role too but has no organisation, so is refused like the staff.
APPLICANT = {"roles": for_roles(Role.PARTNER), "staff": 403}
APPLICANT_POST = {"roles": for_roles(Role.PARTNER, status=302), "staff": 403}
#: A bid of another partnership asked for through Charnwood's URLs.
ELSEWHERE = {"roles": 404, "staff": 404}
#: A draft: its organisation's alone (the world's partner); everyone else is told it
#: does not exist, readers and the staff administrator included.
DRAFT_ONLY = {"roles": for_roles(Role.PARTNER, refused=404), "staff": 404}
DRAFT_ONLY_POST = {"roles": for_roles(Role.PARTNER, status=302, refused=404), "staff": 404}

#: One stored paper shared by every request (each request's records are rolled back,
#: files are not): the matrix adds a single small file to MEDIA_ROOT, not one per visit.
PAPER = "funding/bids/access-matrix/business-case.pdf"


def pdf_bytes() -> bytes:
    """A real one-page PDF, as the upload check demands."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def works_for(user, organisation: Organisation | None) -> None:
    Profile.objects.update_or_create(user=user, defaults={"organisation": organisation})


def applicant_organisation(world: World) -> Organisation:
    """The applicant organisation, with the world's partner working for it."""
    organisation = OrganisationFactory(name="Leicestershire Fire and Rescue Service")
    organisation.partnerships.add(world.partnership)
    works_for(world.users[Role.PARTNER], organisation)
    return organisation


def fund_of(world: World, partnership=None) -> Fund:
    fund = FundFactory(partnership=partnership or world.partnership, total=Decimal("20000.00"))
    world.extra["fund"] = fund
    world.extra["line"] = BudgetLineFactory(fund=fund, description="Youth ASB Projects")
    world.extra["group"] = BodyFactory(
        partnership=fund.partnership, name="Loughborough Central Delivery Group"
    )
    return fund


def make_bid(
    world: World, state: str = BidState.SUBMITTED, *, stranger: bool = False, elsewhere=False
) -> Bid:
    """A £750 bid by a colleague of the world's partner, taken to `state`.

    stranger: the world's partner works for another organisation. elsewhere: the bid is
    in another partnership (Melton)."""
    organisation = applicant_organisation(world)
    if stranger:
        works_for(world.users[Role.PARTNER], OrganisationFactory(name="Probation Service"))
    applicant = member(world.partnership, Role.PARTNER, username="applicant")
    works_for(applicant, organisation)
    fund_of(world, world.other_partnership if elsewhere else None)
    bid = BidFactory(
        budget_line=world.extra["line"],
        applicant=applicant,
        applicant_organisation=organisation,
        delivery_group=world.extra["group"],
        amount_requested=Decimal("750.00"),
    )
    if state != BidState.DRAFT:
        workflow.submit(bid=bid, by=applicant)
    if state == BidState.APPROVED:
        # Straight to approved (the workflow's own tests cover the road there), with
        # the monitoring returns and evaluation approval schedules.
        Bid.objects.filter(pk=bid.pk).update(
            state=state, amount_awarded=bid.amount_requested, decided_at=timezone.now()
        )
        bid.refresh_from_db()
        schedule_for(bid)
    world.extra["bid"] = bid
    return bid


def bid_kwargs(world: World, **options) -> dict:
    return {"partnership": world.partnership.slug, "pk": make_bid(world, **options).pk}


def draft_kwargs(world: World) -> dict:
    return bid_kwargs(world, state=BidState.DRAFT)


def stranger_bid_kwargs(world: World) -> dict:
    return bid_kwargs(world, stranger=True)


def elsewhere_bid_kwargs(world: World) -> dict:
    return bid_kwargs(world, elsewhere=True)


def decided_by_board_member(world: World) -> dict:
    """A submitted bid whose Delivery Group the world's board member chairs."""
    kwargs = bid_kwargs(world)
    group = world.extra["group"]
    group.chair = world.users[Role.BOARD_MEMBER]
    group.save()
    return kwargs


def declared_by_board_member(world: World) -> dict:
    """As decided_by_board_member, the board member having declared no interest."""
    kwargs = decided_by_board_member(world)
    workflow.declare(bid=world.extra["bid"], by=world.users[Role.BOARD_MEMBER], interest=False)
    return kwargs


def stranger_decided_kwargs(world: World) -> dict:
    """A submitted bid of another organisation than the partner's, chaired as above."""
    kwargs = bid_kwargs(world, stranger=True)
    group = world.extra["group"]
    group.chair = world.users[Role.BOARD_MEMBER]
    group.save()
    return kwargs


def paper_kwargs(world: World, **options) -> dict:
    kwargs = bid_kwargs(world, **options)
    if not default_storage.exists(PAPER):
        default_storage.save(PAPER, ContentFile(pdf_bytes()))
    paper = BidAttachment.objects.create(
        bid=world.extra["bid"],
        file=PAPER,
        original_name="business-case.pdf",
        size=default_storage.size(PAPER),
        uploaded_by=world.extra["bid"].applicant,
    )
    return {**kwargs, "attachment_pk": paper.pk}


def stranger_paper_kwargs(world: World) -> dict:
    return paper_kwargs(world, stranger=True)


def return_kwargs(world: World) -> dict:
    kwargs = bid_kwargs(world, state=BidState.APPROVED)
    first = world.extra["bid"].returns.order_by("due_date").first()
    return {**kwargs, "return_pk": first.pk}


def approved_kwargs(world: World) -> dict:
    return bid_kwargs(world, state=BidState.APPROVED)


def fund_kwargs(world: World) -> dict:
    return {"partnership": world.partnership.slug, "pk": fund_of(world).pk}


def elsewhere_fund_kwargs(world: World) -> dict:
    return {"partnership": world.partnership.slug, "pk": fund_of(world, world.other_partnership).pk}


def line_new_kwargs(world: World) -> dict:
    return {"partnership": world.partnership.slug, "fund_pk": fund_of(world).pk}


def line_kwargs(world: World) -> dict:
    kwargs = line_new_kwargs(world)
    return {**kwargs, "pk": world.extra["line"].pk}


def bid_new_kwargs(world: World) -> dict:
    applicant_organisation(world)
    fund_of(world)
    return {"partnership": world.partnership.slug}


def grants_kwargs(world: World) -> dict:
    return {"partnership": world.partnership.slug, "fmt": "csv"}


# --- what is posted ---------------------------------------------------------------------


def fund_data(world: World) -> dict:
    return {
        "name": "Youth Prevention and Diversion",
        "financial_year": "2016/17",
        "funder": "Police and Crime Commissioner",
        "criteria": "",
        "total": "15956.00",
        "grant_identifier_prefix": "",
    }


def fund_edit_data(world: World) -> dict:
    fund = world.extra["fund"]
    return {
        "name": fund.name,
        "financial_year": str(fund.year),
        "funder": fund.funder,
        "criteria": "Projects against anti-social behaviour.",
        "total": "21000.00",
        "grant_identifier_prefix": "",
    }


def line_data(world: World) -> dict:
    return {"description": "Mediation", "allocated": "5000.00", "order": 1}


def line_edit_data(world: World) -> dict:
    return {"description": "Youth ASB Projects", "allocated": "16000.00", "order": 0}


def spend_data(world: World) -> dict:
    return {
        "budget_line": world.extra["line"].pk,
        "bid": "",
        "date": "2022-09-30",
        "amount": "2000.00",
        "reference": "INV-0042",
        "note": "",
    }


def bid_data(world: World) -> dict:
    return {
        "fund": world.extra["fund"].pk,
        "budget_line": world.extra["line"].pk,
        "title": "Street-based youth work",
        "description": "Detached youth workers in Loughborough town centre.",
        "amount_requested": "750.00",
        "deliverables": "24 sessions.",
        "timescale": "October to March",
        "delivery_group": world.extra["group"].pk,
    }


def bid_edit_data(world: World) -> dict:
    return {**bid_data(world), "version": world.extra["bid"].version}


def upload_data(world: World) -> dict:
    return {"file": SimpleUploadedFile("business-case.pdf", pdf_bytes(), "application/pdf")}


def return_data(world: World) -> dict:
    return {"progress": "Twelve sessions held.", "spend_to_date": "250.00", "outcomes": "40 met."}


def evaluation_data(world: World) -> dict:
    return {
        "summary": "The sessions ran as planned.",
        "outcomes": "Fewer ASB reports near the venue.",
        "mainstreaming": "The youth service could fund it from next year.",
    }


ENTRIES = [
    Access("funding:index", note="every member; what each sees differs (tests/funding)"),
    # --- funds, lines, spend: admins manage, readers read ------------------------------
    Access("funding:fund", fund_kwargs, roles=READ_ALL, note="partners do not read budgets"),
    Access(
        "funding:fund",
        elsewhere_fund_kwargs,
        roles=for_roles(*READERS_OF_ALL, status=404),
        staff=404,
        note="another partnership's fund through Charnwood's URL (partners may not ask)",
    ),
    Access("funding:fund_new", roles=MANAGERS),
    Access("funding:fund_new", **MANAGERS_POST, method="POST", data=fund_data, note="valid"),
    Access("funding:fund_edit", fund_kwargs, roles=MANAGERS),
    Access(
        "funding:fund_edit",
        fund_kwargs,
        **MANAGERS_POST,
        method="POST",
        data=fund_edit_data,
        note="valid",
    ),
    Access("funding:line_new", line_new_kwargs, roles=MANAGERS),
    Access(
        "funding:line_new",
        line_new_kwargs,
        **MANAGERS_POST,
        method="POST",
        data=line_data,
        note="valid",
    ),
    Access("funding:line_edit", line_kwargs, roles=MANAGERS),
    Access(
        "funding:line_edit",
        line_kwargs,
        **MANAGERS_POST,
        method="POST",
        data=line_edit_data,
        note="valid",
    ),
    Access("funding:spend_new", line_new_kwargs, roles=MANAGERS),
    Access(
        "funding:spend_new",
        line_new_kwargs,
        **MANAGERS_POST,
        method="POST",
        data=spend_data,
        note="valid",
    ),
    # --- bids ----------------------------------------------------------------------------
    Access("funding:bid", bid_kwargs, note="own organisation's partner and every reader"),
    Access(
        "funding:bid",
        draft_kwargs,
        **DRAFT_ONLY,
        note="a draft: only the applicant's organisation, until it is submitted",
    ),
    Access(
        "funding:bid",
        stranger_bid_kwargs,
        roles={**READ_ALL, Role.PARTNER: 404},
        note="stranger: another organisation's bid is a 404 to a partner",
    ),
    Access(
        "funding:bid",
        elsewhere_bid_kwargs,
        **ELSEWHERE,
        note="another partnership's bid through Charnwood's URL",
    ),
    Access("funding:bid_new", bid_new_kwargs, **APPLICANT, note="a partner with an organisation"),
    Access(
        "funding:bid_new",
        bid_new_kwargs,
        **APPLICANT_POST,
        method="POST",
        data=bid_data,
        note="valid",
    ),
    Access(
        "funding:bid_edit",
        draft_kwargs,
        roles={**for_roles(Role.PARTNER), Role.ADMIN: 404},
        staff=404,
        note="only the applicant's side; roles that never apply are refused (403), and "
        "the admin (who may apply, but not for this organisation) is told the draft "
        "does not exist",
    ),
    Access(
        "funding:bid_edit",
        draft_kwargs,
        roles={**for_roles(Role.PARTNER, status=302), Role.ADMIN: 404},
        staff=404,
        method="POST",
        data=bid_edit_data,
        note="valid changes to a draft, against the version opened",
    ),
    Access(
        "funding:bid_step",
        draft_kwargs,
        **DRAFT_ONLY_POST,
        method="POST",
        data=lambda world: {"step": "submit"},
        note="submitting a draft: the applicant's organisation only; others do not see it",
    ),
    Access(
        "funding:bid_step",
        declared_by_board_member,
        roles=for_roles(Role.BOARD_MEMBER, status=302),
        staff=403,
        method="POST",
        data=lambda world: {"step": "group_support", "reasons": ""},
        note="supporting a submitted bid: only its Delivery Group (chaired by the board "
        "member here, who has declared no interest); the partner is on the applicant's "
        "side, the admin decides nothing",
    ),
    Access(
        "funding:bid_step",
        decided_by_board_member,
        roles={**for_roles(), Role.BOARD_MEMBER: 409},
        staff=403,
        method="POST",
        data=lambda world: {"step": "group_support", "reasons": ""},
        note="the board member chairs the group but has not declared: refused (409, the "
        "page asks for the declaration); nobody else decides for the group",
    ),
    Access(
        "funding:bid_declare",
        decided_by_board_member,
        roles=for_roles(Role.BOARD_MEMBER, status=302),
        staff=403,
        method="POST",
        data=lambda world: {"interest": "no"},
        note="declaring: only the deciders of the bid's stage (the board member chairs the "
        "group); the applicant's side and other readers are refused",
    ),
    Access(
        "funding:bid_declare",
        stranger_decided_kwargs,
        roles={**for_roles(Role.BOARD_MEMBER, status=302), Role.PARTNER: 404},
        staff=403,
        method="POST",
        data=lambda world: {"interest": "yes", "details": "A trustee of the charity."},
        note="stranger: a partner of another organisation does not see the bid (404)",
    ),
    Access(
        "funding:bid_attach",
        bid_kwargs,
        **APPLICANT_POST,
        method="POST",
        data=upload_data,
        note="a valid PDF on a submitted bid",
    ),
    Access("funding:attachment", paper_kwargs, note="whoever may read the bid"),
    Access(
        "funding:attachment",
        stranger_paper_kwargs,
        roles={**READ_ALL, Role.PARTNER: 404},
        note="stranger: another organisation's papers are a 404 to a partner",
    ),
    # --- after approval ------------------------------------------------------------------
    Access("funding:return_submit", return_kwargs, **APPLICANT),
    Access(
        "funding:return_submit",
        return_kwargs,
        **APPLICANT_POST,
        method="POST",
        data=return_data,
        note="valid",
    ),
    Access("funding:evaluation_submit", approved_kwargs, **APPLICANT),
    Access(
        "funding:evaluation_submit",
        approved_kwargs,
        **APPLICANT_POST,
        method="POST",
        data=evaluation_data,
        note="valid",
    ),
    # --- reports -------------------------------------------------------------------------
    Access("funding:monitoring", roles=READ_ALL),
    Access("funding:decisions_report", roles=READ_ALL),
    Access("funding:grants_export", grants_kwargs, roles=READ_ALL),
]


# --- the county's funding formula (/county/<county>/funding/) ----------------------------
# Testshire holds Charnwood only. Administrators of a partnership in the county run the
# formula; creating the funds needs the admin role in every receiving partnership (here
# Charnwood's admin and the county-wide staff administrator). The outsider's partnership
# (Melton) is outside the county: refused, as is the staff with no membership.

ALLOCATORS = for_roles(Role.ADMIN)


def allocation_kwargs(world: World) -> dict:
    from tests.plans.agreement_world import county, population
    from tests.plans.factories import CategoryFactory, figure

    county("testshire", world.partnership)
    population(world.partnership, 2022, 166_100)
    category = CategoryFactory(partnership=world.partnership, name="All Crime", code="ALL")
    for number in (1, 2, 3, 4):
        figure(world.partnership, category, 2022, number, 1900 + number)
    return {"county": "testshire"}


def allocation_data(world: World) -> dict:
    return {"even": "175000", "population": "94125", "crime": "156875", "source": "figures",
            "partnerships": [world.partnership.pk], "year": "2022/23", "quarter": "4",
            "category": "ALL"}  # fmt: skip


def carried_data(world: World) -> dict:
    inputs = f"partnership,population,crime\n{world.partnership.name},166100,7610\n"
    return {"even": "175000", "population": "94125", "crime": "156875", "inputs_csv": inputs}


def create_funds_data(world: World) -> dict:
    return {**carried_data(world), "fund_name": "Community Safety Fund", "fund_year": "2023/24",
            "funder": "Testshire", "confirm": "on"}  # fmt: skip


ENTRIES += [
    Access("allocation:index", allocation_kwargs, roles=ALLOCATORS),
    Access(
        "allocation:index",
        allocation_kwargs,
        method="POST",
        data=allocation_data,
        roles=ALLOCATORS,
        note="computes and shows the allocation (200)",
    ),
    Access("allocation:csv", allocation_kwargs, method="POST", data=carried_data, roles=ALLOCATORS),
    Access(
        "allocation:create_funds",
        allocation_kwargs,
        method="POST",
        data=create_funds_data,
        roles=for_roles(Role.ADMIN, status=302),
        staff=302,
        note="creates Charnwood's fund, then back to the page",
    ),
]
