"""Dashboard tables computed once and reused until the figures behind them change.

Every cached value's key holds the partnership's *figures version*: a random token kept
in the cache. Any write to what the dashboards read (figures, publication, targets,
categories, beats, populations) replaces the token, so the next request computes afresh
and the old entries are never read again (they expire on their own).

One refresh point: `figures_changed()`, called by the services that write what the
dashboards read (performance.services: figures, publication, targets, beats,
categories). Every writer goes through them: the entry grid, the imports, the admin
(figures, publications and targets are read-only there; beats and categories are saved
through the services) and the demo loader. No signal and no flag on an instance decide
it. The one model the dashboards read that the core owns, its population by year, is
written by the core, which cannot call this app: a post_save/post_delete receiver on it
(connected in PerformanceConfig.ready()) calls `figures_changed()`. A write that
bypasses all of this (SQL typed into psql) shows up when the entries expire, after
TABLE_SECONDS at most.

Keys also hold a digest of the code (code_stamp()), so a release never reads what the
previous one cached.

The cache must be one that every server process shares (settings.CACHES: files under
CACHE_DIR); a per-process cache would let one worker serve a table another worker's
write has made stale.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

#: How long a computed table is kept: a safety net, not the means of invalidation.
TABLE_SECONDS = 600

T = TypeVar("T")


def _version_key(partnership_id: int) -> str:
    return f"performance:figures-version:{partnership_id}"


@functools.cache
def code_stamp() -> str:
    """A digest of the code and templates that shape what is cached.

    The cache outlives a release (it is files on disk): a table pickled by the old code,
    or HTML rendered from the old template, must not be read by the new one.
    """
    root = Path(settings.BASE_DIR)
    sources = [
        *(root / "performance").glob("*.py"),
        *(root / "templates" / "performance").glob("*.html"),
        root / "csp_portal" / "financial_year.py",
        root / "csp_portal" / "rag.py",
    ]
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    for path in sorted(sources):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def figures_version(partnership_id: int) -> str:
    """The partnership's current figures version, with the code stamp: part of every key.

    A lost token is replaced by a new random one, never by a counter restarting from
    zero, so entries made under an older token can never be mistaken for current. The
    token itself is shared by every release, so a write by a server process still
    running the old code invalidates what the new code cached.
    """
    key = _version_key(partnership_id)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=None):  # another request got there first
            token = cache.get(key) or token
    return f"{code_stamp()}.{token}"


def _new_version(partnership_id: int) -> None:
    cache.set(_version_key(partnership_id), uuid.uuid4().hex, timeout=None)


def figures_changed(partnership_id: int) -> None:
    """Make every cached table of the partnership stale. Call it after any write to
    what the dashboards read that sends no post_save/post_delete signal.

    The version changes now, so the writing request (and a test, which never commits)
    reads its own change; and again once the transaction commits, because a request
    running meanwhile may have computed a table from the not yet committed data and
    stored it under the version of the first change.
    """
    _new_version(partnership_id)
    transaction.on_commit(lambda: _new_version(partnership_id), robust=True)


def cached_table(
    partnership_id: int, name: str, compute: Callable[[], T], *parts, version: str = ""
) -> T:
    """compute() for this partnership's current figures, from the cache when it can be.

    `parts` are whatever else the result depends on (the quarter shown, the category):
    their str() goes into the key. `version`: figures_version() when the caller has
    read it already.
    """
    key = ":".join(
        ["performance", name, str(partnership_id), version or figures_version(partnership_id)]
        + [str(part).replace(" ", "_") for part in parts]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TABLE_SECONDS)
    return value


def on_population_saved_or_deleted(sender, instance, **kwargs) -> None:
    """post_save/post_delete receiver for the core's PartnershipPopulation."""
    figures_changed(instance.partnership_id)
