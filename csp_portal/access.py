"""Who may see and do what: roles held per partnership, checked on the server.

A user sees only the partnerships they are a member of; a staff administrator sees them
all. Roles are Django groups attached to a Membership, so the same person can be a
partner in one partnership and a board member in another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from csp_portal.models import Membership, Partnership, Role

ALL_ROLES = frozenset(Role.values)
#: Roles that may read everything a partnership publishes to its members.
READERS = frozenset(Role.values)
EDITORS_OF_FIGURES = frozenset({Role.PERFORMANCE_OFFICER, Role.ADMIN})
CLERKS = frozenset({Role.CLERK, Role.ADMIN})


def _roles_by_partnership(user) -> dict[int, frozenset[str]]:
    cached = getattr(user, "_csp_roles", None)
    if cached is None:
        collected: dict[int, set[str]] = defaultdict(set)
        rows = Membership.objects.filter(user=user).values_list("partnership_id", "roles__name")
        for partnership_id, role in rows:
            collected[partnership_id]  # a membership with no role still makes a member
            if role:
                collected[partnership_id].add(role)
        cached = {pid: frozenset(roles) for pid, roles in collected.items()}
        user._csp_roles = cached
    return cached


def is_portal_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def roles_in(user, partnership: Partnership) -> frozenset[str]:
    """The roles `user` holds in `partnership` (every role for a staff administrator)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if is_portal_admin(user):
        return ALL_ROLES
    return _roles_by_partnership(user).get(partnership.pk, frozenset())


def is_member(user, partnership: Partnership) -> bool:
    if is_portal_admin(user):
        return True
    return user.is_authenticated and partnership.pk in _roles_by_partnership(user)


def has_role(user, partnership: Partnership, roles: Iterable[str]) -> bool:
    """True when the user holds any of `roles` there; the partnership admin holds all."""
    held = roles_in(user, partnership)
    return Role.ADMIN in held or bool(held & set(roles))


def partnerships_for(user) -> QuerySet[Partnership]:
    if is_portal_admin(user):
        return Partnership.objects.all()
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(memberships__user=user).distinct()


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
            found = get_object_or_404(Partnership, slug=partnership)
            if not is_member(request.user, found):
                raise PermissionDenied(f"You are not a member of {found}.")
            require_role(request.user, found, wanted)
            request.partnership = found
            request.roles = roles_in(request.user, found)
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorate
