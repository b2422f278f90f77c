"""Who may see what in the meetings app: the one place its rules are decided.

Views, services, selectors, the public site, the iCalendar feed, the PDF builders and
the links other apps show (a plan priority's page) all ask these predicates; nothing is
left to a template to hide.

Two rules carry the weight:
- **Exempt status is inherited.** An item is exempt when it, or any item above it, is
  marked exempt (Schedule 12A, Local Government Act 1972). Its papers, its minute,
  resolutions, declarations, actions and amendments are exempt with it; a paper can
  also be exempt on its own.
- **Public means published.** A meeting reaches the public, and members who read only
  what is published, when the clerk has published its agenda (`published_at` is set by
  `publishing.publish_agenda`), and stays there unless it is cancelled. Writing a minute or
  marking a meeting held never publishes it.
"""

from __future__ import annotations

from django.db.models import Q

from csp_portal import roles
from csp_portal.access import has_role, is_member
from csp_portal.models import Partnership
from meetings.models import (
    Action,
    AgendaItem,
    Meeting,
    MeetingStatus,
    MinutesAmendment,
    Paper,
)

#: Who reads exempt items and unpublished agendas (the "members' pack").
FULL_READERS = roles.READERS_OF_EXEMPT
#: Who changes agendas, minutes and the Forward Programme (the core's clerks).
EDITORS = roles.EDITORS_OF_MEETINGS


# --- roles ---------------------------------------------------------------------------


def can_edit(user, partnership: Partnership) -> bool:
    return has_role(user, partnership, EDITORS)


def reads_everything(user, partnership: Partnership) -> bool:
    """Clerks, board members and admins read drafts and exempt items; others published."""
    return has_role(user, partnership, FULL_READERS)


# --- meetings --------------------------------------------------------------------------


def is_public(meeting: Meeting) -> bool:
    """Published by the clerk's explicit step, and not cancelled since."""
    return meeting.published_at is not None and meeting.status != MeetingStatus.CANCELLED


#: `is_public` as a filter on Meeting querysets.
PUBLIC_MEETINGS = Q(published_at__isnull=False) & ~Q(status=MeetingStatus.CANCELLED)
#: What the public iCalendar feed lists: published meetings, cancelled later or not.
IN_CALENDAR = Q(published_at__isnull=False)


def public_meeting_q(prefix: str = "") -> Q:
    """`is_public` for a queryset reaching the meeting through `prefix` ("meeting__")."""
    return Q(**{f"{prefix}published_at__isnull": False}) & ~Q(
        **{f"{prefix}status": MeetingStatus.CANCELLED}
    )


def can_view_meeting(user, meeting: Meeting) -> bool:
    partnership = meeting.body.partnership
    if not is_member(user, partnership):
        return False
    return is_public(meeting) or reads_everything(user, partnership)


def visible_meetings_q(user, partnership: Partnership) -> Q:
    """The meetings of `partnership` the user may open, as a filter."""
    if reads_everything(user, partnership):
        return Q()
    return PUBLIC_MEETINGS


# --- items, papers and what hangs from them -------------------------------------------


def is_exempt(item: AgendaItem) -> bool:
    """The item, or any item above it, is marked exempt."""
    seen: set[int] = set()
    current: AgendaItem | None = item
    while current is not None and current.pk not in seen:
        if current.is_exempt:
            return True
        seen.add(current.pk)
        current = current.parent if current.parent_id else None
    return False


def exempt_paragraph(item: AgendaItem) -> int | None:
    """The paragraph of Schedule 12A an exempt item is withheld under: its own, or that of
    the item above it it inherits its exemption from; None when it is not exempt."""
    seen: set[int] = set()
    current: AgendaItem | None = item
    while current is not None and current.pk not in seen:
        if current.is_exempt:
            return current.exempt_paragraph
        seen.add(current.pk)
        current = current.parent if current.parent_id else None
    return None


def withheld_notice(item: AgendaItem) -> str:
    """What a public version prints in place of an exempt item's content."""
    from meetings import schedule12a

    return schedule12a.notice(exempt_paragraph(item))


def is_paper_exempt(paper: Paper) -> bool:
    return paper.is_exempt or is_exempt(paper.item)


def non_exempt_items_q(prefix: str = "") -> Q:
    """`not is_exempt(item)` as a filter, for a queryset reaching the item through `prefix`
    ("item__", or "" on AgendaItem itself). Sub-items go one level deep (the services
    refuse deeper nesting), so the parent is the only ancestor to look at."""
    return Q(**{f"{prefix}is_exempt": False}) & (
        Q(**{f"{prefix}parent__isnull": True}) | Q(**{f"{prefix}parent__is_exempt": False})
    )


def _attached_to_public_item_q() -> Q:
    # An action or amendment with no item belongs to the meeting as a whole.
    return Q(item__isnull=True) | non_exempt_items_q("item__")


def can_view_exempt(user, partnership: Partnership) -> bool:
    return reads_everything(user, partnership)


def can_view_item(user, item: AgendaItem) -> bool:
    meeting = item.meeting
    if not can_view_meeting(user, meeting):
        return False
    return not is_exempt(item) or can_view_exempt(user, meeting.body.partnership)


def can_view_paper(user, paper: Paper) -> bool:
    if not can_view_item(user, paper.item):
        return False
    return not paper.is_exempt or can_view_exempt(user, paper.item.meeting.body.partnership)


def is_action_exempt(action: Action) -> bool:
    return action.item is not None and is_exempt(action.item)


def is_amendment_exempt(amendment: MinutesAmendment) -> bool:
    return amendment.item is not None and is_exempt(amendment.item)


def actions_for(queryset, *, public: bool):
    """Actions as a public reader may see them (those of exempt items left out)."""
    return queryset.filter(_attached_to_public_item_q()) if public else queryset


def amendments_for(queryset, *, public: bool):
    """Amendments to minutes as a public reader may see them."""
    return queryset.filter(_attached_to_public_item_q()) if public else queryset


def items_for(queryset, *, public: bool):
    """Agenda items as a public reader may see them: exempt ones (and their sub-items)
    left out."""
    return queryset.filter(non_exempt_items_q()) if public else queryset
