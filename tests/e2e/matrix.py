"""The permission matrix's vocabulary: what each app declares in tests/<app>/access_matrix.py.

`tests/e2e/test_permission_matrix.py` explains the format; this module holds the types
(`Access`, `World`), the helpers that keep declarations short (`for_roles`,
`partnership_kwargs`) and the walk over the project's URL patterns.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from csp_portal.models import Partnership, Role

#: Who visits each URL, in the order results are reported.
#: "staff" is a county-wide administrator: a staff user holding the admin role in every
#: partnership (how the README sets one up). "staff_only" is a staff superuser with no
#: membership: staff is not a partnership role, so partnership pages refuse them (403).
#: "county_analyst" holds the county analyst role (csp_portal.models.CountyRole) on
#: Charnwood's county and no partnership role: unless an entry says otherwise it gets what
#: the outsider gets (it reads the dashboards and the county pages, nothing else).
VISITORS: tuple[str, ...] = (
    "anonymous",
    *Role.values,
    "staff",
    "staff_only",
    "outsider",
    "county_analyst",
)
#: URL-configuration packages whose patterns count as the shared core's.
CORE_PACKAGES = frozenset({"csp_portal", "django"})
#: Namespaces the matrix does not cover: Django's own admin has its own permissions.
SKIPPED_NAMESPACES = frozenset({"admin"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class World:
    """The records every declaration can use: Charnwood (the partnership under test) with
    one person in each role, Melton (another partnership), a county-wide administrator
    (`staff`), a staff superuser with no membership (`staff_only`) and an outsider.
    `extra` is free for a builder to cache objects it made."""

    partnership: Partnership
    other_partnership: Partnership
    users: dict[str, Any]
    staff: Any
    outsider: Any
    staff_only: Any = None
    county_analyst: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def visitor(self, name: str):
        """The user behind a visitor name (None for the anonymous visitor)."""
        if name == "anonymous":
            return None
        if name == "staff":
            return self.staff
        if name == "staff_only":
            return self.staff_only
        if name == "outsider":
            return self.outsider
        if name == "county_analyst":
            return self.county_analyst
        return self.users[name]


def no_kwargs(world: World) -> dict:
    return {}


def partnership_kwargs(world: World) -> dict:
    """Most app URLs need only the partnership's slug."""
    return {"partnership": world.partnership.slug}


def for_roles(*allowed: str, status: int = 200, refused: int = 403) -> dict[str, int]:
    """`status` for the roles named, `refused` for the others (the partnership admin
    holds every role, so name Role.ADMIN whenever the others are allowed)."""
    unknown = set(allowed) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return {role: status if role in allowed else refused for role in Role.values}


@dataclass(frozen=True)
class Access:
    """What each kind of visitor gets from one URL with one HTTP method.

    name: the URL's full name ("performance:dashboard"); kwargs(world): its arguments;
    anonymous / roles / staff / staff_only / outsider: the expected HTTP status (roles is
    one status for all five roles, or a mapping Role -> status, e.g. from `for_roles`;
    staff_only, a staff user with no membership, is refused like an outsider); method: GET,
    POST, ...; data(world): the body to send (forms); note: why, when it is surprising.
    """

    name: str
    kwargs: Callable[[World], dict] = partnership_kwargs
    anonymous: int = 302
    roles: int | Mapping[str, int] = 200
    staff: int = 200
    staff_only: int = 403
    outsider: int = 403
    county_analyst: int | None = None  # None: as the outsider
    method: str = "GET"
    data: Callable[[World], dict] | None = None
    note: str = ""

    def expected(self, visitor: str) -> int:
        if visitor == "county_analyst":
            return self.outsider if self.county_analyst is None else self.county_analyst
        if visitor in ("anonymous", "staff", "staff_only", "outsider"):
            return getattr(self, visitor)
        if isinstance(self.roles, int):
            return self.roles
        if visitor not in self.roles:
            raise ValueError(f"{self.name}: no expected status for role {visitor}")
        return self.roles[visitor]

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}"


@dataclass(frozen=True)
class Route:
    """A named URL pattern the project defines, and the app that owns it."""

    name: str | None
    route: str
    app: str


def _app_of(urlconf: Any, parent: str) -> str:
    """The app owning an included URL configuration: its top-level package."""
    if isinstance(urlconf, str):
        package = urlconf.split(".")[0]
    elif hasattr(urlconf, "__name__"):
        package = urlconf.__name__.split(".")[0]
    else:  # a list of patterns included inline belongs to whoever includes it
        return parent
    return "core" if package in CORE_PACKAGES else package


def walk(
    patterns=None, prefix: str = "", namespace: str = "", app: str = "core"
) -> Iterator[Route]:
    """Every URL pattern under the root configuration, admin excluded."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                inner.strip(":"),
                _app_of(entry.urlconf_name, app),
            )
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("static/") or route.startswith("^static/"):
                continue
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name=name, route=route, app=app)


def skeleton(routes: list[Route]) -> str:
    """Starting declarations for undeclared routes, to paste and then correct."""
    lines = []
    for route in routes:
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", route.route)
        extra = [name for name in arguments if name != "partnership"]
        if extra:
            lines.append(f'    Access("{route.name}", kwargs=...),  # needs {", ".join(extra)}')
        elif "partnership" in arguments:
            lines.append(f'    Access("{route.name}"),  # check: members 200, outsider 403')
        else:
            lines.append(f'    Access("{route.name}", no_kwargs),')
    return "\n".join(lines)


def declarations(apps: set[str]) -> tuple[list[Access], list[str]]:
    """Every entry declared by tests/<app>/access_matrix.py for `apps`, and the apps
    that have no such module."""
    entries: list[Access] = []
    missing: list[str] = []
    for app in sorted(apps):
        try:
            module = importlib.import_module(f"tests.{app}.access_matrix")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.access_matrix":
                raise  # the module exists but imports something missing
            missing.append(app)
            continue
        entries.extend(module.ENTRIES)
    return entries, missing


def project_routes() -> list[Route]:
    return list(walk())


def all_declarations() -> list[Access]:
    """Entries for every app that has URLs, plus the core (always declared)."""
    apps = {route.app for route in project_routes()} | {"core"}
    return declarations(apps)[0]
