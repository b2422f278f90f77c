"""Who gets what from the shared core's URLs: home, the partnership page, the health
check and the sign-in pages. Read by tests/e2e/test_permission_matrix.py."""

from __future__ import annotations

from tests.e2e.matrix import Access, World, no_kwargs
from tests.factories import PASSWORD


def everyone(status: int) -> dict:
    """The same status for every visitor, signed in or not."""
    return {
        "anonymous": status,
        "roles": status,
        "staff": status,
        "staff_only": status,
        "outsider": status,
    }


EVERYONE = everyone(200)
SIGNED_IN = {**EVERYONE, "anonymous": 302}


def reset_link(world: World) -> dict:
    # A link with a bad token: the page explains that the link is invalid (200).
    return {"uidb64": "MQ", "token": "bad-token"}


def wrong_password(world: World) -> dict:
    return {"username": "nobody-at-all", "password": "wrong"}


def password_change(world: World) -> dict:
    # The old password is wrong, so nobody's password changes: the form comes back.
    return {"old_password": "wrong", "new_password1": PASSWORD, "new_password2": PASSWORD}


ENTRIES = [
    Access("home", no_kwargs, **SIGNED_IN, note="everyone signed in has a home page"),
    Access(
        "partnership",
        note="members of the partnership only: staff with no membership are refused",
    ),
    Access("healthz", no_kwargs, **EVERYONE),
    Access("login", no_kwargs, **EVERYONE),
    Access("login", no_kwargs, **EVERYONE, method="POST", data=wrong_password),
    Access(
        "logout",
        no_kwargs,
        **{**everyone(405), "anonymous": 302},
        note="signing out needs a POST; nobody to sign out is sent to sign in",
    ),
    Access("logout", no_kwargs, **everyone(302), method="POST"),
    Access("password_change", no_kwargs, **SIGNED_IN),
    Access("password_change", no_kwargs, **SIGNED_IN, method="POST", data=password_change),
    Access("password_change_done", no_kwargs, **SIGNED_IN),
    Access("password_reset", no_kwargs, **EVERYONE),
    Access(
        "password_reset",
        no_kwargs,
        method="POST",
        data=lambda world: {"email": "nobody@example.org"},
        **everyone(302),
    ),
    Access("password_reset_done", no_kwargs, **EVERYONE),
    Access("password_reset_confirm", reset_link, **EVERYONE),
    Access("password_reset_complete", no_kwargs, **EVERYONE),
    Access("two_factor", no_kwargs, **SIGNED_IN, note="anyone signed in sets up a second factor"),
    Access(
        "two_factor",
        no_kwargs,
        **SIGNED_IN,
        method="POST",
        data=lambda world: {"code": "not-a-code"},
        note="a wrong code: the form comes back with the error",
    ),
    Access("keep_alive", no_kwargs, **SIGNED_IN, method="POST", note="the idle warning's button"),
    Access("keep_alive", no_kwargs, **{**everyone(405), "anonymous": 302}),
]
