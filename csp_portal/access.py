"""Who may see and do what: roles held per partnership, checked on the server.

A user sees only the partnerships they are a member of, and does there only what their
roles allow. Being staff or a superuser is not a partnership role: those flags open the
Django admin (reference data, by explicit permission), never a partnership's content. A
county-wide administrator is a member with the admin role in each partnership. Roles are
Django groups attached to a Membership, so the same person can be a partner in one
partnership and a board member in another; the sets of roles the apps check are declared
once in csp_portal.roles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from csp_portal.models import County, CountyMembership, Membership, Partnership, Role
from csp_portal.roles import ALL_ROLES, CLERKS, COUNTY_READERS, EDITORS_OF_FIGURES, READERS

__all__ = [
    "ALL_ROLES",
    "CLERKS",
    "COUNTY_READERS",
    "EDITORS_OF_FIGURES",
    "READERS",
    "county_ids_with_roles",
    "county_roles_in",
    "county_view",
    "has_county_role",
    "has_role",
    "is_member",
    "member_partnerships",
    "partnership_view",
    "partnerships_for",
    "require_role",
    "roles_in",
]


class CheckedRequest(HttpRequest):
    """The request a view decorated by partnership_view or county_view receives: what
    the check found, kept for the templates (type only: the decorators set these)."""

    partnership: Partnership
    roles: frozenset[str]
    county: County


@dataclass(frozen=True)
class _Memberships:
    roles: dict[int, frozenset[str]]  # partnership pk -> roles held there
    partnerships: list[Partnership]  # ordered by name


def _memberships(user) -> _Memberships:
    """The user's partnerships and roles: one query, then kept on the user object.

    The user object lives for one request, so a role granted or withdrawn counts from
    the next request (grant_roles also drops it at once).
    """
    cached = getattr(user, "_csp_memberships", None)
    if cached is None:
        collected: dict[int, set[str]] = defaultdict(set)
        partnerships: dict[int, Partnership] = {}
        rows = (
            Membership.objects.filter(user=user)
            .select_related("partnership")
            .annotate(role_name=F("roles__name"))  # one row per role held (or one, NULL)
            .order_by("partnership__name")
        )
        for membership in rows:
            partnerships.setdefault(membership.partnership_id, membership.partnership)
            collected[membership.partnership_id]  # a membership with no role still makes a member
            if membership.role_name:
                collected[membership.partnership_id].add(membership.role_name)
        cached = _Memberships(
            {pid: frozenset(roles) for pid, roles in collected.items()},
            list(partnerships.values()),
        )
        user._csp_memberships = cached
    return cached


def _roles_by_partnership(user) -> dict[int, frozenset[str]]:
    return _memberships(user).roles


def _signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def roles_in(user, partnership: Partnership) -> frozenset[str]:
    """The roles `user` holds in `partnership` through a membership (staff: none)."""
    if not _signed_in(user):
        return frozenset()
    return _roles_by_partnership(user).get(partnership.pk, frozenset())


def is_member(user, partnership: Partnership) -> bool:
    return _signed_in(user) and partnership.pk in _roles_by_partnership(user)


def has_role(user, partnership: Partnership, roles: Iterable[str]) -> bool:
    """True when the user holds any of `roles` there; the partnership admin holds all."""
    held = roles_in(user, partnership)
    return Role.ADMIN in held or bool(held & set(roles))


def partnerships_for(user) -> QuerySet[Partnership]:
    """The partnerships the user sees, as a queryset (for filters and subqueries)."""
    if not _signed_in(user):
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=list(_roles_by_partnership(user)))


def member_partnerships(user) -> list[Partnership]:
    """The partnerships the user sees, ordered by name: for pages that list them.

    Unlike partnerships_for(), no query of its own for a member: the rows come with the
    roles that every page's access check reads anyway.
    """
    if not _signed_in(user):
        return []
    return _memberships(user).partnerships


def _partnership_by_slug(user, slug: str) -> Partnership:
    # A member's own partnerships are loaded already; anyone else (an outsider, staff
    # with no membership, a mistyped address) costs the query that tells 404 from 403.
    if user.is_authenticated:
        for found in _memberships(user).partnerships:
            if found.slug == slug:
                return found
    return get_object_or_404(Partnership, slug=slug)


def require_role(user, partnership: Partnership, roles: Iterable[str]) -> None:
    if not has_role(user, partnership, roles):
        names = ", ".join(sorted(Role(r).label.lower() for r in roles))
        raise PermissionDenied(f"This needs one of these roles in {partnership}: {names}.")


def _county_roles(user) -> dict[int, frozenset[str]]:
    """County pk -> the county roles the user holds there: one query, kept on the user."""
    cached = getattr(user, "_csp_county_roles", None)
    if cached is None:
        collected: dict[int, set[str]] = defaultdict(set)
        if _signed_in(user):
            for county_id, role in CountyMembership.objects.filter(user=user).values_list(
                "county_id", "role"
            ):
                collected[county_id].add(role)
        cached = {pk: frozenset(roles) for pk, roles in collected.items()}
        user._csp_county_roles = cached
    return cached


def county_ids_with_roles(user, roles: Iterable[str] = COUNTY_READERS) -> set[int]:
    """The counties (pks) on which `user` holds one of the county `roles` (the home page's
    county sections: a county-only person belongs to no partnership to find them by)."""
    if not _signed_in(user):
        return set()
    wanted = set(roles)
    return {pk for pk, held in _county_roles(user).items() if held & wanted}


def county_roles_in(user, county_id: int | None) -> frozenset[str]:
    """The county roles `user` holds on the county `county_id` (none when it is None)."""
    if county_id is None or not _signed_in(user):
        return frozenset()
    return _county_roles(user).get(county_id, frozenset())


def has_county_role(user, county_id: int | None, roles: Iterable[str]) -> bool:
    return bool(county_roles_in(user, county_id) & set(roles))


def reads_as_county(user, partnership: Partnership, county_roles: Iterable[str]) -> bool:
    """True when a county role on the partnership's county admits `user` (see
    csp_portal.roles.COUNTY_READERS_OF_FIGURES: performance figures only)."""
    return has_county_role(user, partnership.county_id, county_roles)


def county_view(roles: Iterable[str] = COUNTY_READERS) -> Callable:
    """Decorate a view taking `county` (a slug) from the URL.

    It runs for a holder of one of the county `roles`, and for a member (any role) of
    one of the county's partnerships; anyone else gets 403. The view receives the County.
    """
    wanted = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, county: str, *args, **kwargs):
            found = get_object_or_404(County, slug=county)
            user = request.user
            # Both read always (one query each, then kept on the user), so that the page's
            # per-row checks cost nothing however many partnerships the county has.
            county_reader = has_county_role(user, found.pk, wanted)
            member = any(p.county_id == found.pk for p in member_partnerships(user))
            if not member and not county_reader:
                raise PermissionDenied(f"You hold no role in {found} or its partnerships.")
            cast(CheckedRequest, request).county = found
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorate


def partnership_view(roles: Iterable[str] = READERS, county_roles: Iterable[str] = ()) -> Callable:
    """Decorate a view taking `partnership` (a slug) from the URL.

    The view receives the Partnership object instead of the slug, and runs only for a
    member holding one of `roles`; anyone else gets 403. The roles held are put on
    `request.roles` so templates can show or hide actions (the server still checks).
    `county_roles` (the performance dashboards only) also admits a holder of one of
    those roles on the partnership's county, with no partnership role
    (`request.roles` empty).
    """
    wanted = frozenset(roles)
    wanted_county = frozenset(county_roles)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, partnership: str, *args, **kwargs):
            found = _partnership_by_slug(request.user, partnership)
            checked = cast(CheckedRequest, request)
            if (
                wanted_county
                and not has_role(request.user, found, wanted)
                and reads_as_county(request.user, found, wanted_county)
            ):
                checked.partnership = found
                checked.roles = frozenset()
                return view(request, found, *args, **kwargs)
            if not is_member(request.user, found):
                raise PermissionDenied(f"You are not a member of {found}.")
            require_role(request.user, found, wanted)
            checked.partnership = found
            checked.roles = roles_in(request.user, found)
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorate
