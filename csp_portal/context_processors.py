"""Template context every page needs: the navigation for the current partnership."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from csp_portal.access import has_role, member_partnerships
from csp_portal.extension_points import registry


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    partnership = getattr(request, "partnership", None)
    links = []
    if partnership is not None:
        for entry in registry.nav:
            if not has_role(user, partnership, entry.roles):
                continue
            try:
                url = reverse(entry.url_name, kwargs={"partnership": partnership.slug})
            except NoReverseMatch:
                continue
            links.append({"label": entry.label, "url": url, "active": request.path.startswith(url)})
    return {
        "current_partnership": partnership,
        "nav_links": links,
        # A list from the access check's own query, not a queryset of its own.
        "my_partnerships": member_partnerships(user),
    }
