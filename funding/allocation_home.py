"""The home-page section of the county funding formula: one line per county the user runs it for."""

from __future__ import annotations

from django.urls import reverse

from csp_portal.access import county_ids_with_roles, member_partnerships
from csp_portal.extension_points import HomeEntry
from csp_portal.models import County
from csp_portal.roles import COUNTY_ADMINS
from funding import access


def home_allocations(user) -> list[HomeEntry]:
    """No query unless one of the user's partnerships belongs to a county, or the user
    holds a county role (a county administrator belongs to no partnership)."""
    county_ids = {p.county_id for p in member_partnerships(user) if p.county_id}
    county_ids |= county_ids_with_roles(user, COUNTY_ADMINS)
    if not county_ids:
        return []
    return [
        HomeEntry(
            title=f"{county}: share the pot among the partnerships",
            url=reverse("allocation:index", args=[county.slug]),
            detail="An even share, a share by population and a share by crime.",
        )
        for county in County.objects.filter(pk__in=county_ids)
        if access.can_run_allocation(user, county)
    ]
