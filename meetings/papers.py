"""Checks an uploaded paper is a whole, readable PDF of an accepted size before it is kept."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    page_count: int
    sha256: str


def check_pdf(name: str, content: bytes) -> CheckedPdf:
    """The PDF's page count and hash, or a ValidationError saying what is wrong with it."""
    limit = settings.MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise ValidationError(
            f"“{name}” is {len(content) / 1048576:.1f} MB; papers can be at most "
            f"{limit / 1048576:.0f} MB.",
            code="too_large",
        )
    if not content.startswith(b"%PDF-"):
        raise ValidationError(
            f"“{name}” is not a PDF (it does not start with %PDF-). "
            "Save it as PDF and upload it again.",
            code="not_pdf",
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                f"“{name}” is password-protected; upload a copy without a password.",
                code="encrypted",
            )
        pages = len(reader.pages)
        for page in reader.pages:  # parse every page so a truncated file fails now
            page.mediabox  # noqa: B018
            page.get_contents()
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ValidationError(
            f"“{name}” is damaged and cannot be opened as a PDF ({exc}).", code="damaged"
        ) from exc
    if pages == 0:
        raise ValidationError(f"“{name}” has no pages.", code="empty")
    return CheckedPdf(content, pages, hashlib.sha256(content).hexdigest())
