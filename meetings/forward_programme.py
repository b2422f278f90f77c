"""The Forward Programme as a generated paper for the pack (registered as a PackBlock)."""

from __future__ import annotations

from django.template.loader import render_to_string

from csp_portal.extension_points import BlockParam, PackBlock


def body_choices(partnership) -> list[tuple[str, str]]:
    """The partnership's bodies: the Forward Programme paper's list."""
    return [(b.slug, b.name) for b in partnership.bodies.filter(is_active=True)]


def render(partnership, params: dict) -> str:
    body = partnership.bodies.filter(slug=params.get("body", "")).first()
    if body is None:
        return "<p>No body was chosen for this Forward Programme.</p>"
    entries = (
        body.forward_programme.filter(is_complete=False)
        .select_related("target_meeting")
        .prefetch_related("events")
    )
    return render_to_string(
        "meetings/pdf/forward_programme.html", {"body": body, "entries": entries}
    )


BLOCK = PackBlock(
    key="forward_programme",
    label="Forward Programme",
    render=render,
    describe_params='{"body": "board"}: the slug of the body whose programme to print',
    params_declared=(BlockParam("body", "Body", body_choices),),
)
