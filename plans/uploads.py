"""Checks an uploaded strategic assessment really is a PDF of an acceptable size.

The browser's file name and content type are not trusted: the bytes must start with the
PDF signature and pypdf must be able to read at least one page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import PyPdfError


def check_pdf(upload) -> None:
    """Raise ValidationError (naming the file and the problem) unless `upload` is a PDF."""
    name = getattr(upload, "name", "the file")
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"{name} is {filesizeformat(upload.size)}; the largest file accepted is "
            f"{filesizeformat(limit)}."
        )
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        upload.seek(0)
        raise ValidationError(f"{name} is not a PDF file (it does not start like one).")
    upload.seek(0)
    try:
        pages = len(PdfReader(upload).pages)
    except (PyPdfError, ValueError, OSError) as error:
        raise ValidationError(f"{name} could not be read as a PDF ({error}).") from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(f"{name} has no pages.")
