"""The meetings app's part of the daily clean-up (csp_portal.cleanup): files under the
packs' and minutes' folders that no row points at, and old cached pack builds.

A published pack's PDFs (`PackVersion.members_pdf`, `public_pdf`) and a meeting's printed
minutes (`Meeting.public_minutes_pdf`) are kept for ever. A file in those folders that no
row names is left over (a publication rolled back after its files were written, minutes
printed again under a new name): it is removed once it is older than a day, so a
publication still in progress is never touched. Cached builds (meetings/pack_cache.py,
keyed by the pack's contents) are rebuilt when needed: those not written for
KEEP_CACHE_DAYS are superseded drafts and are removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage

from meetings.models import Meeting, PackVersion

#: Files younger than this are never removed (a publication may still be committing).
GRACE = dt.timedelta(days=1)
KEEP_CACHE_DAYS = 30
FOLDERS = ("meetings/packs", "meetings/minutes")


def _files(storage: Storage, folder: str) -> Iterator[str]:
    if not storage.exists(folder):
        return
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _files(storage, f"{folder}/{directory}")


def referenced_files() -> set[str]:
    """Every stored name a pack version or a meeting's printed minutes points at."""
    names = set()
    for members, public in PackVersion.objects.values_list("members_pdf", "public_pdf"):
        names.update([members, public])
    names.update(
        Meeting.objects.exclude(public_minutes_pdf="").values_list("public_minutes_pdf", flat=True)
    )
    return {name for name in names if name}


def prune_unreferenced_files(now: dt.datetime) -> int:
    storage = default_storage
    referenced = referenced_files()
    removed = 0
    for folder in FOLDERS:
        for name in list(_files(storage, folder)):
            if name in referenced or storage.get_modified_time(name) > now - GRACE:
                continue
            storage.delete(name)
            removed += 1
    return removed


def prune_pack_cache(now: dt.datetime) -> int:
    """Remove cached builds (a .pdf and its .json page map) not written for
    KEEP_CACHE_DAYS, through the storage API like the cache itself."""
    from meetings.pack_cache import CACHE_FOLDER

    storage = default_storage
    cutoff = now - dt.timedelta(days=KEEP_CACHE_DAYS)
    removed = 0
    for name in list(_files(storage, CACHE_FOLDER)):
        if name.endswith((".pdf", ".json")) and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            removed += name.endswith(".pdf")
    return removed
