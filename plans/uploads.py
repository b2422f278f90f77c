"""Checks an uploaded strategic assessment with the partnership's one PDF check
(`csp_portal.pdf_checks`). The browser's file name and content type are not trusted."""

from __future__ import annotations

from csp_portal import pdf_checks


def check_pdf(upload) -> None:
    """Raise ValidationError (naming the file and the problem) unless `upload` is a PDF
    without scripts or embedded files."""
    name = getattr(upload, "name", "the file")
    pdf_checks.check_size(name, upload.size)
    upload.seek(0)
    try:
        pdf_checks.check_pdf(name, upload.read())
    finally:
        upload.seek(0)
