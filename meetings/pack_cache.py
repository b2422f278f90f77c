"""Built packs kept in the default storage (MEDIA_ROOT, or the S3 bucket: shared by every
server and worker) by a hash of everything that goes into them, each with its page map
beside it; meetings/cleanup.py prunes them."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

#: Where built packs are cached in the default storage (pruned by meetings/cleanup.py).
CACHE_FOLDER = "meetings/cache"


def cache_name(key: str) -> str:
    """The pack's name in the default storage (MEDIA_ROOT, or the S3 bucket: shared by
    every server and worker); its page map beside it, in a .json of the same name."""
    return f"{CACHE_FOLDER}/{key}.pdf"


def read_cached(name: str) -> tuple[bytes, dict] | None:
    meta_name = name.removesuffix(".pdf") + ".json"
    if not (default_storage.exists(name) and default_storage.exists(meta_name)):
        return None
    with default_storage.open(name, "rb") as pdf, default_storage.open(meta_name, "rb") as meta:
        return pdf.read(), json.loads(meta.read())


def write_cached(name: str, pdf: bytes, meta: dict) -> None:
    meta_name = name.removesuffix(".pdf") + ".json"
    for target, content in [(name, pdf), (meta_name, json.dumps(meta).encode())]:
        if default_storage.exists(target):  # built at the same time elsewhere: same bytes
            default_storage.delete(target)
        default_storage.save(target, ContentFile(content))
