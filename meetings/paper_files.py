"""An uploaded paper's file as the pack reads it: checked again at build time.

A paper was checked when it was uploaded (`csp_portal.pdf_checks.check_pdf`), but the
file can have gone from storage or been damaged since. The pack is built only from
files that still are what was uploaded (same SHA-256) and still pass the check; any
other stops the build with `PaperUnreadable`, naming the paper and its item, so nothing
is published and the clerk can replace or remove it. Page count and page sizes come
from the file itself, never from what was cached when it was uploaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

MM = 72 / 25.4
#: The placeholder page's margins around an uploaded page: room for the running
#: header above, the page number below (so they never cover the paper).
UPLOAD_TOP = 12 * MM
UPLOAD_BOTTOM = 13 * MM
UPLOAD_SIDE = 9 * MM
#: A strip at the top of the printable area for the "Item N" label of the paper.
UPLOAD_LABEL = 7 * MM


class PaperUnreadable(ValidationError):
    """A paper the pack cannot be built with (missing, changed or damaged)."""


@dataclass(frozen=True)
class UploadedFile:
    content: bytes
    sha256: str
    sizes: tuple[tuple[float, float], ...]  # each page's width and height, as printed
    tagged: bool

    @property
    def page_count(self: Any) -> int:
        return len(self.sizes)


def page_name(width: float, height: float) -> str:
    """The CSS page name for placeholder pages of this size."""
    return f"upload-{width:.0f}x{height:.0f}"


def printable_rect(width: float, height: float) -> tuple[float, float, float, float]:
    """Where an uploaded page of this size is drawn on its placeholder (PDF points,
    origin bottom left): inside the margins, below the label strip."""
    return (UPLOAD_SIDE, UPLOAD_BOTTOM, width - UPLOAD_SIDE, height - UPLOAD_TOP - UPLOAD_LABEL)


def read_upload(paper: Any, item_number: str) -> UploadedFile:
    """The paper's file, checked; `PaperUnreadable` naming the paper and item if not."""
    from csp_portal.pdf_checks import check_pdf

    def refuse(problem: str) -> PaperUnreadable:
        return PaperUnreadable(
            f"The pack cannot be built: paper “{paper.title}” on item {item_number} "
            f"(“{paper.item.title}”) {problem} Replace the paper or remove it, then try again.",
            code="paper_unreadable",
        )

    try:
        with paper.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError) as exc:
        raise refuse("is missing from the portal's file store.") from exc
    digest = hashlib.sha256(content).hexdigest()
    if paper.sha256 and digest != paper.sha256:
        raise refuse("has been damaged in the portal's file store (it is not the file uploaded).")
    if not paper.sha256:  # the same bytes passed the same check on upload
        try:
            check_pdf(paper.title, content)
        except ValidationError as exc:
            raise refuse(f"cannot be read: {' '.join(exc.messages)}") from exc
    return _measure(content, digest, refuse)


def _measure(content: bytes, digest: str, refuse: Any) -> UploadedFile:
    import io

    import pikepdf

    from meetings.pack_graft import is_tagged

    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            sizes = []
            for page in pdf.pages:
                box = page.trimbox
                width, height = abs(float(box[2] - box[0])), abs(float(box[3] - box[1]))
                if int(page.obj.get("/Rotate", 0)) % 180:
                    width, height = height, width
                sizes.append((round(width, 2), round(height, 2)))
            tagged = is_tagged(pdf)
    except (pikepdf.PdfError, ValueError, KeyError, TypeError) as exc:
        raise refuse(f"cannot be read ({exc}).") from exc
    return UploadedFile(content, digest, tuple(sizes), tagged)
