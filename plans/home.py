"""The home-page section for priority leads: the quarterly update that is due."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from csp_portal.extension_points import HomeEntry
from plans.lead_reports import reports_due


def due_updates(user) -> list[HomeEntry]:
    entries = []
    for due in reports_due(user):
        priority = due.priority
        url = reverse(
            "plans:priority_update",
            kwargs={"partnership": priority.plan.partnership.slug, "priority": priority.pk},
        )
        url += f"?quarter={due.quarter.financial_year.start_year}-{due.quarter.number}"
        missing = []
        if due.report_missing:
            missing.append("the lead's report")
        if due.actions_without_progress:
            count = due.actions_without_progress
            missing.append(f"progress on {count} action{'s' if count != 1 else ''}")
        entries.append(
            HomeEntry(
                title=f"{due.quarter} update on Priority {priority.number}: {priority.title}",
                url=url,
                partnership=priority.plan.partnership.name,
                detail="Still to do: " + " and ".join(missing) + ".",
                due=due.due,
                overdue=due.due < dt.date.today(),
            )
        )
    return entries


def county_agreements(user) -> list[HomeEntry]:
    """The Safer Communities Agreements of the counties the user's partnerships are in."""
    from csp_portal.access import county_ids_with_roles, member_partnerships
    from plans.access import can_read_agreement
    from plans.agreement_models import Agreement

    # A county role (the Strategy Board, the analyst) reads it without any partnership.
    county_ids = {p.county_id for p in member_partnerships(user) if p.county_id}
    county_ids |= county_ids_with_roles(user)
    if not county_ids:
        return []
    agreements = Agreement.objects.filter(county_id__in=county_ids).select_related("county")
    return [
        HomeEntry(
            title=agreement.title,
            url=reverse("agreement:detail", args=[agreement.county.slug, agreement.pk]),
            detail=f"{agreement.county}: county priorities, district targets and progress",
        )
        for agreement in agreements
        if can_read_agreement(user, agreement.county)
    ]
