"""The permission matrix: every URL the project defines, as every kind of visitor.

How to declare your app's URLs
------------------------------
Every named URL pattern (Django's admin and static files aside) must be declared, or
`test_every_url_has_a_declared_expectation` fails listing it. The app owning a pattern is
the top-level package of the URL configuration that defines it (`performance.urls` ->
performance; `meetings.public_urls` -> meetings; the project's and django.contrib.auth's
-> core). Each app declares its URLs in `tests/<app>/access_matrix.py`, a module with

    ENTRIES: list[Access]

one `tests.e2e.matrix.Access` per URL name and HTTP method:

    from csp_portal.models import Role
    from tests.e2e.matrix import Access, for_roles, partnership_kwargs

    def bid(world):  # builds the URL's kwargs from the fixture world
        return {"partnership": world.partnership.slug, "pk": BidFactory(...).pk}

    ENTRIES = [
        Access("performance:dashboard"),  # GET; members 200, anonymous 302, outsider 403
        Access("performance:entry", roles=for_roles(Role.PERFORMANCE_OFFICER, Role.ADMIN)),
        Access("funding:bid", bid, roles=for_roles(Role.PARTNER, Role.ADMIN)),
        Access("funding:decide", bid, method="POST", data=lambda w: {"decision": "approve"},
               roles=for_roles(Role.ADMIN, status=302)),
        Access("public:pack", kwargs=..., anonymous=200, outsider=200),
    ]

Fields: `name` (the full URL name), `kwargs(world)` (default: just the partnership's slug),
`anonymous` (default 302: the sign-in page), `roles` (one status for all five roles, or a
mapping Role -> status; `for_roles(*allowed, status=200, refused=403)` builds one),
`staff` (a county-wide administrator: staff holding the admin role in every partnership;
default 200), `staff_only` (a staff superuser with no membership: staff is not a
partnership role; default 403), `outsider` (a member of another partnership holding every
role there; default 403), `method` (default GET), `data(world)` (the body of a POST) and
`note`. An anonymous 302 where staff are not redirected must lead to the sign-in page.
The world (`tests.e2e.matrix.World`) has `partnership` (Charnwood, the one the
URLs are built for), `other_partnership` (Melton), `users` (Role -> a member holding only
that role), `staff`, `staff_only`, `outsider` and `extra` (a dict a builder may cache objects in).

Each visitor's request runs in its own savepoint, rolled back afterwards, with kwargs
built afresh, so a POST that deletes or decides something does not change what the next
visitor sees. Declare every unsafe method (POST, PUT, DELETE) a view accepts: the CSRF
test posts to each without a token and expects 403. Every response, whatever its status,
must carry the security headers (CSP, X-Frame-Options, Referrer-Policy, nosniff).
A missing module means all that app's URLs are undeclared and the test fails.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from csp_portal.models import Role
from tests.e2e.matrix import (
    SAFE_METHODS,
    VISITORS,
    Access,
    Route,
    World,
    all_declarations,
    declarations,
    project_routes,
    skeleton,
)

ENTRIES = all_declarations()
UNSAFE_ENTRIES = [entry for entry in ENTRIES if entry.method.upper() not in SAFE_METHODS]


@pytest.fixture
def world(
    partnership, other_partnership, role_users, county_admin, staff_admin, outsider,
    county_analyst,
) -> World:  # fmt: skip
    return World(
        county_analyst=county_analyst,
        partnership=partnership,
        other_partnership=other_partnership,
        users=dict(role_users),
        staff=county_admin,
        staff_only=staff_admin,
        outsider=outsider,
    )


def test_every_url_has_a_declared_expectation():
    routes = project_routes()
    unnamed = sorted(route.route for route in routes if not route.name)
    apps = {route.app for route in routes} | {"core"}
    entries, missing_modules = declarations(apps)
    declared = {entry.name for entry in entries}
    undeclared: dict[str, list[Route]] = defaultdict(list)
    for route in routes:
        if route.name and route.name not in declared:
            undeclared[route.app].append(route)
    known = {route.name for route in routes}
    stale = sorted(name for name in declared if name not in known)

    problems = []
    if unnamed:
        problems.append(f"URL patterns with no name (name them): {unnamed}")
    for app, missing_routes in sorted(undeclared.items()):
        where = f"tests/{app}/access_matrix.py"
        hint = " (the module does not exist)" if app in missing_modules else ""
        names = ", ".join(sorted(f"{r.name} (/{r.route})" for r in missing_routes))
        problems.append(
            f"undeclared in {where}{hint}: {names}\n  a start to paste into ENTRIES:\n"
            + skeleton(sorted(missing_routes, key=lambda r: r.name))
        )
    if stale:
        problems.append(f"declared but not a URL of the project: {stale}")
    assert not problems, "\n".join(problems)


def test_the_walk_finds_the_core_urls():
    """The walk is real: it finds the core's URLs and leaves the admin out."""
    routes = {route.name: route for route in project_routes()}
    assert routes["partnership"].route == "p/<slug:partnership>/"
    assert routes["login"].app == "core"
    assert not any(name and name.startswith("admin:") for name in routes)


def client_as(user, **options) -> Client:
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, entry: Access, world: World):
    url = reverse(entry.name, kwargs=entry.kwargs(world))
    data = entry.data(world) if entry.data else {}
    return getattr(client, entry.method.lower())(url, data), url


HEADERS = {
    "Content-Security-Policy": lambda value: "script-src 'self'" in value,
    "X-Frame-Options": lambda value: value == "DENY",
    "Referrer-Policy": lambda value: value == "same-origin",
    "X-Content-Type-Options": lambda value: value == "nosniff",
    "Permissions-Policy": lambda value: "camera=()" in value and "geolocation=()" in value,
}


def header_problems(response) -> list[str]:
    return [
        f"{header}={response.headers.get(header)!r}"
        for header, acceptable in HEADERS.items()
        if not acceptable(response.headers.get(header, ""))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.label)
def test_access_and_security_headers(entry: Access, world: World):
    wrong = []
    for visitor in VISITORS:
        with transaction.atomic():
            try:
                response, url = send(client_as(world.visitor(visitor)), entry, world)
            except NoReverseMatch as error:
                pytest.fail(f"{entry.label}: kwargs do not fit the URL: {error}")
            transaction.set_rollback(True)
        expected = entry.expected(visitor)
        if response.status_code != expected:
            wrong.append(f"{visitor:<20} expected {expected}, got {response.status_code}")
        elif visitor == "anonymous" and expected == 302 and entry.staff != 302:
            # Signed-in visitors are served, so this redirect must be to the sign-in page.
            target = response.headers["Location"]
            if not target.startswith(reverse(settings.LOGIN_URL)):
                wrong.append(f"{visitor:<20} redirected to {target}, not to sign in")
        missing = header_problems(response)
        if missing:
            wrong.append(f"{visitor:<20} security headers wrong: {', '.join(missing)}")
    assert not wrong, f"{entry.label} ({url}):\n" + "\n".join(wrong)


def allowed_visitor(entry: Access) -> str:
    """A visitor the view would serve, so the CSRF check is what refuses the request."""
    for visitor in (*Role.values, "staff", "anonymous"):
        if entry.expected(visitor) not in (403, 404, 405):
            return visitor
    return "anonymous"


@pytest.mark.django_db
@pytest.mark.parametrize("entry", UNSAFE_ENTRIES, ids=lambda entry: entry.label)
def test_csrf_is_enforced(entry: Access, world: World):
    visitor = allowed_visitor(entry)
    client = client_as(world.visitor(visitor), enforce_csrf_checks=True)
    with transaction.atomic():
        response, url = send(client, entry, world)
        transaction.set_rollback(True)
    assert response.status_code == 403, f"{entry.label} as {visitor}: {response.status_code}"
    assert b"CSRF verification failed" in response.content
    assert not header_problems(response), header_problems(response)


def test_every_unsafe_route_is_csrf_checked():
    """The CSRF test has something to check: the sign-in and sign-out forms at least."""
    labels = {entry.label for entry in UNSAFE_ENTRIES}
    assert {"POST login", "POST logout", "POST password_change"} <= labels


@pytest.mark.django_db
def test_error_pages_carry_the_security_headers(world: World):
    """Pages no declaration covers: an unknown address, an unknown partnership."""
    unknown = client_as(None).get("/no-such-page/")
    assert unknown.status_code == 404 and not header_problems(unknown), header_problems(unknown)
    signed_in = client_as(world.users[Role.BOARD_MEMBER])
    missing = signed_in.get(reverse("partnership", kwargs={"partnership": "no-such-csp"}))
    assert missing.status_code == 404 and not header_problems(missing), header_problems(missing)
