"""The sets of roles the apps check, declared once.

A role is held per partnership (a Membership's Django groups, csp_portal.models.Role).
Every app asks csp_portal.access.has_role(user, partnership, <one of these sets>), so
"who reads exempt papers" or "who decides bids" is written here and nowhere else. The
partnership administrator holds every role, so each set names Role.ADMIN as well, which
keeps the sets honest when read on their own.
"""

from __future__ import annotations

from csp_portal.models import CountyRole, Role

#: Every role; any member with one of them reads what the partnership shows its members.
ALL_ROLES: frozenset[str] = frozenset(Role.values)
READERS: frozenset[str] = ALL_ROLES

#: Partnership administrators: manage funds and bids, edit the plan, run reviews.
ADMINS: frozenset[str] = frozenset({Role.ADMIN})

#: Performance officers: enter and import figures, targets and family groups.
EDITORS_OF_FIGURES: frozenset[str] = frozenset({Role.PERFORMANCE_OFFICER, Role.ADMIN})

#: Clerks (committee services): agendas, minutes, papers, the Forward Programme.
CLERKS: frozenset[str] = frozenset({Role.CLERK, Role.ADMIN})
EDITORS_OF_MEETINGS: frozenset[str] = CLERKS

#: Board members: whose home page lists the Board's coming meetings.
BOARD_MEMBERS: frozenset[str] = frozenset({Role.BOARD_MEMBER, Role.ADMIN})
#: Who writes a partner organisation's quarterly report to the Board (a partner for
#: their own organisation; the clerk on any partner's behalf).
WRITERS_OF_PARTNER_REPORTS: frozenset[str] = frozenset({Role.PARTNER, Role.CLERK, Role.ADMIN})

#: Who reads exempt items, their papers and unpublished agendas (the "members' pack").
READERS_OF_EXEMPT: frozenset[str] = frozenset({Role.CLERK, Role.BOARD_MEMBER, Role.ADMIN})

#: Who reads every bid and funding report of the partnership (partners read their own).
READERS_OF_ALL_BIDS: frozenset[str] = frozenset(
    {Role.BOARD_MEMBER, Role.CLERK, Role.PERFORMANCE_OFFICER, Role.ADMIN}
)
#: Who manages funds, budget lines and bids on the partnership's behalf.
MANAGERS_OF_FUNDING: frozenset[str] = ADMINS
#: Who submits, resubmits and withdraws bids (for their own organisation).
APPLICANTS: frozenset[str] = frozenset({Role.PARTNER, Role.ADMIN})

#: Who records quarterly progress on any priority of the plan (leads record their own).
RECORDERS_OF_PROGRESS: frozenset[str] = EDITORS_OF_FIGURES
#: Who edits the plan's content and runs its annual review.
EDITORS_OF_PLANS: frozenset[str] = ADMINS

#: County pages (the partnerships of a csp_portal.County). Who reads the county's Safer
#: Communities Agreement: any member of a partnership in the county.
READERS_OF_COUNTY_AGREEMENT: frozenset[str] = READERS
#: Who runs and reads the county's funding formula: administrators of a partnership in
#: the county; creating the funds it allocates needs this role in every receiving one.
RUNNERS_OF_ALLOCATION: frozenset[str] = ADMINS

# The county tier (csp_portal.models.CountyRole): roles held on a county, not on a
# partnership. They never make anyone a partnership member, so every partnership page
# that checks the sets above refuses a county-only person as it refuses an outsider.

#: Who reads every partnership's performance figures and dashboards in the county, and
#: the county pages (the Police and Crime Commissioner's analyst, the Strategy Board):
#: never a meeting's exempt business, a bid, or any draft (those pages admit members only).
COUNTY_READERS_OF_FIGURES: frozenset[str] = frozenset(
    {CountyRole.ANALYST, CountyRole.BOARD_MEMBER, CountyRole.ADMIN}
)
#: Who reads the county pages (the county view of all partnerships' figures).
COUNTY_READERS: frozenset[str] = COUNTY_READERS_OF_FIGURES
#: Who manages the county tier's records (its template, its agreement, its fund).
COUNTY_ADMINS: frozenset[str] = frozenset({CountyRole.ADMIN})
