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

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from csp_portal.models import Membership, Partnership, Role
from csp_portal.roles import ALL_ROLES, CLERKS, EDITORS_OF_FIGURES, READERS

__all__ = [
    "ALL_ROLES",
    "CLERKS",
    "EDITORS_OF_FIGURES",
    "READERS",
    "has_role",
    "is_member",
    "member_partnerships",
    "partnership_view",
    "partnerships_for",
    "require_role",
    "roles_in",
]


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


def partnership_view(roles: Iterable[str] = READERS) -> Callable:
    """Decorate a view taking `partnership` (a slug) from the URL.

    The view receives the Partnership object instead of the slug, and runs only for a
    member holding one of `roles`; anyone else gets 403. The roles held are put on
    `request.roles` so templates can show or hide actions (the server still checks).
    """
    wanted = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, partnership: str, *args, **kwargs):
            found = _partnership_by_slug(request.user, partnership)
            if not is_member(request.user, found):
                raise PermissionDenied(f"You are not a member of {found}.")
            require_role(request.user, found, wanted)
            request.partnership = found  # type: ignore[attr-defined]
            request.roles = roles_in(request.user, found)  # type: ignore[attr-defined]
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorate
