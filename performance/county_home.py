"""The home-page section of the county view: one line per county whose figures the user
reads through a county role (the Police and Crime Commissioner's analyst, a Strategy
Board member, a county administrator), who belongs to no partnership that would lead
there."""

from __future__ import annotations

from django.urls import reverse

from csp_portal.access import county_ids_with_roles
from csp_portal.extension_points import HomeEntry
from csp_portal.models import County
from csp_portal.roles import COUNTY_READERS_OF_FIGURES


def county_figures(user) -> list[HomeEntry]:
    """No query beyond the user's county roles unless they hold one."""
    county_ids = county_ids_with_roles(user, COUNTY_READERS_OF_FIGURES)
    if not county_ids:
        return []
    return [
        HomeEntry(
            title=f"{county}: every partnership's figures side by side",
            url=reverse("county_performance:index", args=[county.slug]),
            detail="Year to date, rates per 1,000 people, change and rank in the force area.",
        )
        for county in County.objects.filter(pk__in=county_ids).order_by("name")
    ]
