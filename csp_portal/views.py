"""The shared pages: a person's home page and a partnership's front page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from csp_portal.access import (
    county_ids_with_roles,
    member_partnerships,
    partnership_view,
    roles_in,
)
from csp_portal.extension_points import home_sections
from csp_portal.models import Office, OfficeHolder, Role


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What needs this person, across every partnership they belong to."""
    held: set[str] = set()
    for partnership in member_partnerships(request.user):
        held |= roles_in(request.user, partnership)
    sections = []
    for section in home_sections():
        if section.for_roles and Role.ADMIN not in held and not held & section.for_roles:
            continue
        try:
            entries = list(section.provider(request.user))
        except Exception:  # one app's failure must not take the home page down
            import logging

            logging.getLogger(__name__).exception("home section %s failed", section.key)
            messages.warning(request, f"“{section.heading}” could not be shown just now.")
            entries = []
        if entries or not section.hide_when_empty:
            sections.append({"section": section, "entries": entries})
    partnerships = [
        {"partnership": p, "roles": sorted(Role(r).label for r in roles_in(request.user, p))}
        for p in member_partnerships(request.user)
    ]
    # Someone holding only a county role belongs to no partnership, and is not waiting to
    # be added to one: their home says where their pages are instead.
    county_only = not partnerships and bool(county_ids_with_roles(request.user))
    return render(
        request,
        "csp_portal/home.html",
        {"sections": sections, "partnerships": partnerships, "county_only": county_only},
    )


@require_GET
@partnership_view()
def partnership_detail(request: HttpRequest, partnership) -> HttpResponse:
    offices = (
        OfficeHolder.objects.current()
        .filter(partnership=partnership)
        .select_related("user", "user__profile__organisation")
    )
    bodies = partnership.bodies.filter(is_active=True).select_related("chair")
    return render(
        request,
        "csp_portal/partnership_detail.html",
        {
            "partnership": partnership,
            "offices": sorted(offices, key=lambda o: list(Office.values).index(o.office)),
            "bodies": bodies,
            "organisations": partnership.organisations.all(),
            "my_roles": sorted(Role(r).label for r in roles_in(request.user, partnership)),
        },
    )


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bookmark tools ask for whatever the page's
    <link rel=icon> says: the portal's icon, a static file."""
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.svg"))
