"""Uploaded files waiting for the officer to confirm the preview.

The files are kept under MEDIA_ROOT (never served) and named in the session; confirming
reads them again with the same code that built the preview, so what is written is what
was shown, and nothing is written before the officer says so.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

SESSION_KEY = "performance_pending_imports"


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "performance-imports"


def keep(
    request: HttpRequest, *, partnership, kind: str, files: list[UploadedFile], **extra
) -> str:
    token = uuid.uuid4().hex
    folder = _root() / token
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for index, upload in enumerate(files):
        name = f"{index:03d}-{Path(upload.name).name}"
        with (folder / name).open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        names.append(name)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"partnership": partnership.pk, "kind": kind, "files": names, **extra}
    request.session[SESSION_KEY] = pending
    return token


def fetch(
    request: HttpRequest, token: str, *, partnership, kind: str
) -> tuple[list[Path], dict] | None:
    """The kept files and details, or None if the token is not this user's for this."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["partnership"] != partnership.pk or entry["kind"] != kind:
        return None
    folder = _root() / token
    paths = [folder / name for name in entry["files"]]
    if not all(p.exists() for p in paths):
        return None
    return paths, entry


def update(request: HttpRequest, token: str, **extra) -> None:
    """Add details to a kept upload (e.g. the sheet chosen after it was kept)."""
    pending = request.session.get(SESSION_KEY, {})
    if token in pending:
        pending[token].update(extra)
        request.session[SESSION_KEY] = pending


def original_name(path: Path) -> str:
    return path.name.split("-", 1)[1]


def discard(request: HttpRequest, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    shutil.rmtree(_root() / token, ignore_errors=True)


#: A preview nobody confirmed within this long is abandoned (its files are pruned daily).
KEEP_PREVIEWS = dt.timedelta(days=1)


def prune(now: dt.datetime) -> int:
    """Remove the kept uploads of previews older than KEEP_PREVIEWS (by their newest
    file), which nobody confirmed or discarded; returns how many were removed. A session
    still naming one finds its files gone and asks for the upload again (`fetch`)."""
    root = _root()
    if not root.is_dir():
        return 0
    cutoff = (now - KEEP_PREVIEWS).timestamp()
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        newest = max((p.stat().st_mtime for p in folder.iterdir()), default=folder.stat().st_mtime)
        if newest < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
