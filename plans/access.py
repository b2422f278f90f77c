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
from csp_portal.access import has_role, is_member
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
