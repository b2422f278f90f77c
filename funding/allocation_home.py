"""The home-page section of the county funding formula: one line per county the user runs it for."""

from __future__ import annotations

from django.urls import reverse

from csp_portal.access import member_partnerships
from csp_portal.extension_points import HomeEntry
from csp_portal.models import County
from funding import access


def home_allocations(user) -> list[HomeEntry]:
    """No query unless one of the user's partnerships belongs to a county."""
    county_ids = {p.county_id for p in member_partnerships(user) if p.county_id}
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
