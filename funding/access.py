"""Who may see and do what in the funding app: every rule in one place.

Views, services, selectors and the CSV and JSON exports ask these predicates; nothing
is decided by a template or by a missing link. Who may take which step of the bid
process, now, is `funding.lifecycle.allowed_steps` (checked again under the row lock by
each step); the rules on conflicts of interest are `funding.interests`. `can_decide` and
`can_declare` put both behind one name for the pages.

- A bid that was never submitted (a draft, or a draft withdrawn) is visible only to the
  applicant and the people of the applicant's organisation.
- Once submitted, readers of the partnership (board members, clerks, performance
  officers, admins) see it, as do the Delivery Group it went to, the approval panel once
  it reaches them, and the office-holders once the group has supported it.
- Only the applicant's organisation edits, submits, withdraws, adds papers and reports.
- Only readers see budgets, the decisions report, the monitoring list and the exports;
  only admins manage funds, budget lines and spend.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from csp_portal import roles
from csp_portal.access import has_role
from csp_portal.models import Partnership
from funding.deciders import approval_panel, offices_held
from funding.models import Bid, BidAttachment, BidState, Stage

#: Roles that read every submitted bid and every report of their partnership.
READ_ALL = roles.READERS_OF_ALL_BIDS
#: Roles that manage funds, budget lines and spend.
MANAGERS = roles.MANAGERS_OF_FUNDING
#: Roles that may start a bid (with an organisation on their profile).
APPLICANTS = roles.APPLICANTS


def organisation_id(user) -> int | None:
    """The organisation on the person's profile (None: no profile, or none set)."""
    return getattr(getattr(user, "profile", None), "organisation_id", None)


# --- the partnership's pages -----------------------------------------------------------


def reads_everything(user, partnership: Partnership) -> bool:
    """Board members, clerks, performance officers and admins: every submitted bid."""
    return has_role(user, partnership, READ_ALL)


def can_read_reports(user, partnership: Partnership) -> bool:
    """Budget tables (and their CSV), the decisions report, monitoring, 360Giving."""
    return has_role(user, partnership, READ_ALL)


def can_manage_funds(user, partnership: Partnership) -> bool:
    return has_role(user, partnership, MANAGERS)


def can_start_bid(user, partnership: Partnership) -> bool:
    return has_role(user, partnership, APPLICANTS) and organisation_id(user) is not None


# --- bids ---------------------------------------------------------------------------------


def is_applicant_side(user, bid: Bid) -> bool:
    """The applicant, or someone of the applicant's organisation."""
    if not user.is_authenticated:
        return False
    org = organisation_id(user)
    return user.pk == bid.applicant_id or (org is not None and org == bid.applicant_organisation_id)


def visible_bids(user, partnership: Partnership) -> QuerySet[Bid]:
    """The partnership's bids `user` may see (the same rule as `can_view_bid`)."""
    bids = Bid.objects.filter(fund__partnership=partnership)
    if not user.is_authenticated:
        return bids.none()
    org = organisation_id(user)
    own = Q(applicant=user)
    if org:
        own |= Q(applicant_organisation_id=org)
    submitted = Q(round__gt=0)  # a bid never submitted is its organisation's alone
    if reads_everything(user, partnership):
        return bids.filter(own | submitted)
    deciding = Q(delivery_group__chair=user) | Q(delivery_group__members=user)
    panel = approval_panel(partnership)
    if panel is not None and (panel.chair_id == user.pk or panel.members.filter(pk=user.pk)):
        deciding |= Q(
            state__in=[BidState.WITH_PANEL, BidState.REJECTION_REFERRED, BidState.APPROVED]
        ) | Q(state=BidState.REJECTED, decisions__stage__in=[Stage.PANEL, Stage.PANEL_REVIEW])
    if offices_held(user, partnership):
        deciding |= Q(decisions__stage=Stage.DELIVERY_GROUP, decisions__outcome="support")
    return bids.filter(pk__in=bids.filter(own | (submitted & deciding)).values("pk"))


def can_view_bid(user, bid: Bid) -> bool:
    return visible_bids(user, bid.fund.partnership).filter(pk=bid.pk).exists()


def can_edit_bid(user, bid: Bid) -> bool:
    """Change the bid's contents: the applicant's side, while a draft or under revision."""
    from funding.services import EDITABLE_STATES

    return is_applicant_side(user, bid) and bid.state in EDITABLE_STATES


def can_add_papers(user, bid: Bid) -> bool:
    from funding.services import PAPER_STATES

    return is_applicant_side(user, bid) and bid.state in PAPER_STATES


def can_view_attachment(user, attachment: BidAttachment) -> bool:
    return can_view_bid(user, attachment.bid)


def can_report_on(user, bid: Bid) -> bool:
    """Monitoring returns and the annual evaluation: the funded organisation."""
    return is_applicant_side(user, bid)


def can_decide(user, bid: Bid) -> bool:
    """May `user` record a decision on `bid` now (declared, with no conflict)?"""
    from funding import lifecycle

    return bool(lifecycle.decision_steps(bid, user))


def can_declare(user, bid: Bid) -> bool:
    """Is `user` a decider of the bid's current stage who has yet to declare?"""
    from funding import interests

    return interests.needs_declaration(bid, user)


# --- the county's funding formula (funding.allocation) ------------------------------------
#
# Administrators of a partnership in the county run the formula and read its result (the
# shares are the county's published decision, seed 004 Appendix 3). Creating the funds it
# allocates writes into every receiving partnership, so it needs the admin role in each
# of them (a county-wide administrator, as the README sets one up). Everyone else: 403.
# (County-body members and a county analyst role, when the core has them, join here.)

ALLOCATION_RUNNERS = roles.RUNNERS_OF_ALLOCATION


def can_run_allocation(user, county) -> bool:
    """The county's administrators, and administrators of a partnership in it (creating
    the funds also needs the admin role in every receiving partnership)."""
    from csp_portal.access import has_county_role, member_partnerships
    from csp_portal.roles import COUNTY_ADMINS

    if has_county_role(user, county.pk, COUNTY_ADMINS):
        return True
    return any(
        p.county_id == county.pk and has_role(user, p, ALLOCATION_RUNNERS)
        for p in member_partnerships(user)
    )


def can_create_allocated_funds(user, partnerships: list[Partnership]) -> bool:
    return bool(partnerships) and all(has_role(user, p, ALLOCATION_RUNNERS) for p in partnerships)
