"""Where the apps plug into shared pages without the core importing them.

The core owns the home page, the navigation, the agenda pack's list of generated
papers and a priority's list of linked records; each app registers what it adds to
those in its AppConfig.ready(). This keeps dependencies pointing one way: funding and
meetings know about plans, plans does not need to know about them.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str  # reversed with the partnership's slug
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class HomeEntry:
    """One line on a person's home page: something that needs them, or is coming up."""

    title: str
    url: str
    partnership: str = ""
    detail: str = ""
    due: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class HomeSection:
    key: str
    heading: str
    provider: Callable[[Any], Iterable[HomeEntry]]  # called with the user
    order: int = 50
    empty_text: str = "Nothing at the moment."
    #: Leave the section off a home page where it has nothing (e.g. county pages for
    #: someone whose partnerships have no county), rather than saying so.
    hide_when_empty: bool = False
    #: Shown only to people holding one of these roles in a partnership (an administrator
    #: holds them all): a partner's home does not say "No papers are missing for the
    #: meetings you clerk". Empty: shown to everyone (the provider decides what is theirs).
    for_roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BlockParam:
    """One parameter a generated paper takes, declared so the clerk picks it from a list.

    `choices(partnership)` returns (value, label) pairs: the values the block accepts for
    that partnership (a fund of another partnership is simply not among them). `kind` is
    "choice" (with `choices`) or "date" (an ISO date typed in a date field)."""

    name: str
    label: str
    choices: Callable[[Any], Iterable[tuple[Any, str]]] | None = None
    kind: str = "choice"
    required: bool = True
    help_text: str = ""


@dataclass(frozen=True)
class PackBlock:
    """A paper generated from live data that a meeting can carry in its pack.

    `render(partnership, params)` returns self-contained HTML (tables, inline SVG);
    `params` is a small JSON-able dict chosen by the clerk (e.g. {"quarter": "Q2 2022/23"}).
    `params_declared`: the parameters, typed (the clerk's form is built from them); a
    block registered without them is still accepted and takes typed JSON as before.
    `validate(partnership, params)`: the block's own check when it is attached, raising
    ValueError with a message for the clerk (e.g. "Q3 2016/17 has no figures").
    """

    key: str
    label: str
    render: Callable[[Any, dict], str]
    describe_params: str = ""
    params_declared: tuple[BlockParam, ...] = ()
    validate: Callable[[Any, dict], None] | None = None


@dataclass(frozen=True)
class PriorityLink:
    """A record in another app that serves or discusses a plan priority."""

    kind: str  # e.g. "Funded bid", "Agenda item", "Partner report"
    title: str
    url: str
    date: dt.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class ReminderKind:
    """One kind of reminder e-mail, with the text sent when the partnership has not
    written its own (csp_portal.models.ReminderText). Placeholders: see
    csp_portal.reminders.PLACEHOLDERS."""

    key: str  # e.g. "funding.bid_waiting"
    label: str  # what the admin's list of kinds shows
    subject: str
    body: str


@dataclass(frozen=True)
class ReminderSource:
    """What an app reminds people of: `collect(context)` returns the csp_portal.reminders
    .Reminder items due on `context.today` in `context.partnerships`; `kinds` declares the
    e-mails it may send."""

    key: str
    collect: Callable[[Any], Iterable[Any]]
    kinds: tuple[ReminderKind, ...] = ()


@dataclass(frozen=True)
class Cleanup:
    """A daily prune: `prune(now)` removes what is no longer needed and returns how many
    things it removed (see csp_portal.cleanup)."""

    key: str
    label: str
    prune: Callable[[dt.datetime], int]


@dataclass
class _Registry:
    nav: list[NavEntry] = field(default_factory=list)
    home_sections: dict[str, HomeSection] = field(default_factory=dict)
    pack_blocks: dict[str, PackBlock] = field(default_factory=dict)
    priority_links: list[Callable[[Any], Iterable[PriorityLink]]] = field(default_factory=list)
    reminder_sources: dict[str, ReminderSource] = field(default_factory=dict)
    cleanups: dict[str, Cleanup] = field(default_factory=dict)


registry = _Registry()


def register_nav(entry: NavEntry) -> None:
    if entry not in registry.nav:
        registry.nav.append(entry)
        registry.nav.sort(key=lambda e: e.order)


def register_home_section(section: HomeSection) -> None:
    registry.home_sections[section.key] = section


def register_pack_block(block: PackBlock) -> None:
    registry.pack_blocks[block.key] = block


def register_priority_links(provider: Callable[..., Iterable[PriorityLink]]) -> None:
    """`provider(priority)`, or `provider(priority, viewer=...)` to list only what the person
    looking at the priority's page may open (the viewer is None outside a request)."""
    if provider not in registry.priority_links:
        registry.priority_links.append(provider)


def register_reminder_source(source: ReminderSource) -> None:
    """Add an app's reminders to the daily e-mails and the home page's "Due soon and
    overdue" (both fed by `source.collect`, so they never disagree)."""
    registry.reminder_sources[source.key] = source


def reminder_sources() -> list[ReminderSource]:
    return list(registry.reminder_sources.values())


def register_cleanup(cleanup: Cleanup) -> None:
    """Add a prune to the daily clean-up (csp_portal.cleanup)."""
    registry.cleanups[cleanup.key] = cleanup


def cleanups() -> list[Cleanup]:
    return list(registry.cleanups.values())


def _takes_viewer(provider: Callable) -> bool:
    try:
        parameters = inspect.signature(provider).parameters
    except (TypeError, ValueError):
        return False
    return "viewer" in parameters


def home_sections() -> list[HomeSection]:
    return sorted(registry.home_sections.values(), key=lambda s: s.order)


def pack_block(key: str) -> PackBlock:
    try:
        return registry.pack_blocks[key]
    except KeyError:
        raise LookupError(f"No generated paper called '{key}' is registered.") from None


def pack_blocks() -> list[PackBlock]:
    return list(registry.pack_blocks.values())


def links_for_priority(priority, viewer=None) -> list[PriorityLink]:
    links: list[PriorityLink] = []
    for provider in registry.priority_links:
        call: Callable[..., Iterable[PriorityLink]] = provider
        links.extend(call(priority, viewer=viewer) if _takes_viewer(provider) else call(priority))
    return sorted(links, key=lambda link: (link.date is None, link.date or dt.date.min))
