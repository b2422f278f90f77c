"""Who reads the performance figures: decided here, for the dashboards and the county view.

A partnership's members (any role) read its dashboards; so does a holder of a county role
that reads figures (csp_portal.roles.COUNTY_READERS_OF_FIGURES: the Police and Crime
Commissioner's analyst, the Strategy Board) on the partnership's county. Nothing else of
the partnership admits the county roles: entering figures needs a partnership role, and
meetings, bids and plans check partnership roles only, so a county analyst is refused
there as any outsider is.
"""

from __future__ import annotations

from collections.abc import Callable

from csp_portal.access import has_role, partnership_view, reads_as_county
from csp_portal.models import Partnership
from csp_portal.roles import COUNTY_READERS_OF_FIGURES, READERS

#: The decorator of every dashboard view (read-only pages and their CSVs).
figures_view: Callable = partnership_view(roles=READERS, county_roles=COUNTY_READERS_OF_FIGURES)


def reads_figures(user, partnership: Partnership) -> bool:
    """May `user` read `partnership`'s dashboards? (The county view's drill-down links.)"""
    return has_role(user, partnership, READERS) or reads_as_county(
        user, partnership, COUNTY_READERS_OF_FIGURES
    )
