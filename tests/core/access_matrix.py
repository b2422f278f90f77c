"""Who gets what from the shared core's URLs: home, the partnership page, the health
check and the sign-in pages. Read by tests/e2e/test_permission_matrix.py."""

from __future__ import annotations

from csp_portal.models import BackgroundJob, Role
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


def officers_job(world: World) -> dict:
    """A job the performance officer started: only they may follow it."""
    job = BackgroundJob.objects.create(
        started_by=world.users[Role.PERFORMANCE_OFFICER], kind="test", label="Officer's import"
    )
    return {"pk": job.pk}


#: Only the job's starter sees it; everyone else, staff included, gets a 404.
STARTER_ONLY = {
    "anonymous": 302,
    "roles": {role: 200 if role == Role.PERFORMANCE_OFFICER else 404 for role in Role.values},
    "staff": 404,
    "staff_only": 404,
    "outsider": 404,
}

ENTRIES = [
    Access("job", officers_job, **STARTER_ONLY, note="a background job: its starter only"),
    Access("job_status", officers_job, **STARTER_ONLY, note="the job page's JSON"),
    Access("home", no_kwargs, **SIGNED_IN, note="everyone signed in has a home page"),
    Access(
        "partnership",
        note="members of the partnership only: staff with no membership are refused",
    ),
    Access("healthz", no_kwargs, **EVERYONE),
    Access("favicon", no_kwargs, **everyone(301), note="a redirect to the static icon"),
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
