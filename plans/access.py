"""Who may change what in a plan, on top of the partnership roles of csp_portal.access.

Partnership administrators edit plan content and run the annual review. Quarterly
progress, indicator values and the lead's report may be recorded by performance
officers and administrators for any priority, and by a priority's lead (its lead person
or the chair of its lead body) for their own priorities, whatever other role they hold.
Everyone else who is a member reads.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from csp_portal import roles
from csp_portal.access import has_role, is_member, member_partnerships
from csp_portal.models import Partnership

PROGRESS_ROLES = roles.RECORDERS_OF_PROGRESS
PLAN_EDITORS = roles.EDITORS_OF_PLANS


def can_edit_plans(user, partnership: Partnership) -> bool:
    return has_role(user, partnership, PLAN_EDITORS)


def is_lead_of(user, priority) -> bool:
    if not user.is_authenticated:
        return False
    if priority.lead_person_id == user.pk:
        return True
    return priority.lead_body_id is not None and priority.lead_body.chair_id == user.pk


def can_report_on(user, priority) -> bool:
    partnership = priority.plan.partnership
    if not is_member(user, partnership):
        return False
    return has_role(user, partnership, PROGRESS_ROLES) or is_lead_of(user, priority)


def require_report_rights(user, priority) -> None:
    if not can_report_on(user, priority):
        raise PermissionDenied(
            f"Only the lead of priority {priority.number}, performance officers and "
            "partnership administrators can record its progress."
        )


def require_plan_editor(user, partnership: Partnership) -> None:
    if not can_edit_plans(user, partnership):
        raise PermissionDenied("Only partnership administrators can change the plan.")


# --- the county's Safer Communities Agreement ---------------------------------------------
#
# The agreement is the county's and is published (seed 004 is a public paper), so every
# member of a partnership in the county reads it: the partnerships are held to it. A
# member of a partnership elsewhere, or of none, is refused. (County-body members and a
# county analyst role, when the core has them, are added here and nowhere else.)

AGREEMENT_READERS = roles.READERS_OF_COUNTY_AGREEMENT


def county_partnerships_of(user, county) -> list[Partnership]:
    """The user's partnerships that belong to `county` (no query beyond the memberships)."""
    return [p for p in member_partnerships(user) if p.county_id == county.pk]


def can_read_agreement(user, county) -> bool:
    """Members of the county's partnerships, and the county's own roles (the Strategy
    Board, the Police and Crime Commissioner's analyst): the agreement is published."""
    from csp_portal.access import has_county_role
    from csp_portal.roles import COUNTY_READERS

    return has_county_role(user, county.pk, COUNTY_READERS) or any(
        has_role(user, p, AGREEMENT_READERS) for p in county_partnerships_of(user, county)
    )


def require_agreement_reader(user, county) -> None:
    if not can_read_agreement(user, county):
        raise PermissionDenied(
            f"The {county} Safer Communities Agreement is read by members of its partnerships."
        )
