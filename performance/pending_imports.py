"""Uploaded files waiting for the officer to confirm the preview.

The files are kept through Django's storage API (`default_storage`: MEDIA_ROOT on disk by
default, an S3-compatible bucket when STORAGE_BACKEND=s3, so the worker of another
machine reads what this one kept), under performance-imports/<token>/, never served; the
session names them. Confirming reads them again with the same code that built the
preview, so what is written is what was shown, and nothing is written before the officer
says so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

SESSION_KEY = "performance_pending_imports"
FOLDER = "performance-imports"


def _key(token: str, name: str) -> str:
    return f"{FOLDER}/{token}/{name}"


def keep(
    request: HttpRequest, *, partnership, kind: str, files: list[UploadedFile], **extra
) -> str:
    token = uuid.uuid4().hex
    names = []
    for index, upload in enumerate(files):
        name = f"{index:03d}-{PurePosixPath(upload.name or 'upload').name}"
        upload.seek(0)
        saved = default_storage.save(_key(token, name), upload)
        names.append(PurePosixPath(saved).name)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"partnership": partnership.pk, "kind": kind, "files": names, **extra}
    request.session[SESSION_KEY] = pending
    return token


def fetch(
    request: HttpRequest, token: str, *, partnership, kind: str
) -> tuple[list[str], dict] | None:
    """The kept files' names and details, or None if the token is not this user's for
    this, or its files are gone (imported, or pruned)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["partnership"] != partnership.pk or entry["kind"] != kind:
        return None
    if not exist(token, entry["files"]):
        return None
    return list(entry["files"]), entry


def exist(token: str, names: list[str]) -> bool:
    """Whether every kept file of `token` is still stored."""
    return all(default_storage.exists(_key(token, name)) for name in names)


def open_kept(token: str, name: str) -> File:
    """A kept file, open for reading, named as the officer's file was (what the import's
    messages name); the caller closes it."""
    return File(default_storage.open(_key(token, name), "rb"), name=original_name(name))


def update(request: HttpRequest, token: str, **extra) -> None:
    """Add details to a kept upload (e.g. the sheet chosen after it was kept)."""
    pending = request.session.get(SESSION_KEY, {})
    if token in pending:
        pending[token].update(extra)
        request.session[SESSION_KEY] = pending


def original_name(name: str) -> str:
    return PurePosixPath(str(name)).name.split("-", 1)[1]


def forget(request: HttpRequest, token: str) -> None:
    """Drop the session's note of a kept upload (its files stay, e.g. for a job)."""
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


def delete_files(token: str, names: list[str]) -> None:
    for name in names:
        default_storage.delete(_key(token, name))


def discard(request: HttpRequest, token: str) -> None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    forget(request, token)
    if entry:
        delete_files(token, entry["files"])


#: A preview nobody confirmed within this long is abandoned (its files are pruned daily).
KEEP_PREVIEWS = dt.timedelta(days=1)


def prune(now: dt.datetime) -> int:
    """Remove the kept uploads of previews older than KEEP_PREVIEWS (by their newest
    file), which nobody confirmed or discarded; returns how many were removed. A session
    still naming one finds its files gone and asks for the upload again (`fetch`).
    Through the storage API, so it prunes the bucket as it does the disk."""
    try:
        tokens, _ = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = now - KEEP_PREVIEWS
    removed = 0
    for token in tokens:
        _, names = default_storage.listdir(f"{FOLDER}/{token}")
        times = [default_storage.get_modified_time(_key(token, name)) for name in names]
        if times and max(times) < cutoff:
            delete_files(token, names)
            removed += 1
    return removed
