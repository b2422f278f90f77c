"""Writes to the shared core: giving people roles and offices."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from csp_portal.models import Membership, Partnership, Role


def role_group(role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=Role(role).value)
    return group


@transaction.atomic
def grant_roles(*, user, partnership: Partnership, roles: list[str]) -> Membership:
    """Make `user` a member of `partnership` holding (at least) `roles`.

    The user also joins the matching Django groups so that model permissions given to
    a group (for the admin) follow the role.
    """
    membership, _ = Membership.objects.get_or_create(user=user, partnership=partnership)
    groups = [role_group(role) for role in roles]
    membership.roles.add(*groups)
    user.groups.add(*groups)
    if hasattr(user, "_csp_memberships"):
        del user._csp_memberships
    return membership
