"""The one check every uploaded file passes before it is read: its size, then its content
by kind, for every app (figures, papers, attachments, the strategic assessment).

- Any file: `check_size` (`MAX_UPLOAD_BYTES` unless a larger `limit` is given), before
  it is read into memory. The browser's file name and content type are not trusted.
- PDF: `check_pdf_upload(upload)` (an uploaded file) or `csp_portal.pdf_checks.check_pdf`
  (bytes): the PDF signature, parsing, no password, no active content.
- CSV: read as bytes once (`read_bytes`) and checked for size, rows, columns, binary
  content and its encoding (`check_csv_bytes`, `decode_text`).
- XLSX: a ZIP whose members' declared sizes are added up (and compared with their
  compressed sizes) before any of it is inflated (`check_xlsx`); the reader then goes
  row by row in openpyxl's read-only mode, stopping at the row or column limit.

A file over a limit is refused with a message saying which limit and how to split the
file; nothing is written. The CSV/XLSX limits are settings (`UPLOAD_MAX_ROWS`, …) with
the defaults below: generous for a partnership's figures and a force's monthly police.uk
file (8,000–100,000 rows), far below what exhausts a worker.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

if TYPE_CHECKING:
    from csp_portal.pdf_checks import CheckedPdf


class OpenFile(Protocol):
    """What an import reads from: an uploaded file, a kept one (a Django File) or any
    binary file open for reading."""

    def read(self, size: int = ..., /) -> Any: ...


#: A file to import: a path, or an open file.
Source = str | Path | OpenFile

#: Rows of a figures sheet (long layout: 10 years × 4 quarters × 12 categories × 12 beats
#: is 5,760) and of one police.uk or Home Office file.
MAX_ROWS = 500_000
MAX_COLUMNS = 200
#: Bytes an XLSX may inflate to, and the most a member may inflate compared with its
#: compressed size (real sheets compress 5–20 times; a zip bomb thousands of times).
MAX_XLSX_INFLATED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 500


def check_size(name: str, size: int, *, limit: int | None = None) -> None:
    """Refuse a file over `limit` (default `MAX_UPLOAD_BYTES`): call it before reading an
    upload into memory."""
    limit = settings.MAX_UPLOAD_BYTES if limit is None else limit
    if size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(size)}; the largest file accepted is "
            f"{filesizeformat(limit)}: files can be at most that size.",
            code="too_large",
        )


def check_pdf_upload(upload: Any) -> CheckedPdf:
    """Check an uploaded file (size, then content) as a PDF; ValidationError naming the
    file and the problem unless it is a PDF without scripts or embedded files. The upload
    is left at its start for whoever saves it."""
    from csp_portal.pdf_checks import check_pdf

    name = getattr(upload, "name", None) or "the file"
    check_size(name, upload.size or 0)
    upload.seek(0)
    try:
        return check_pdf(name, upload.read())
    finally:
        upload.seek(0)


class UploadRefused(ValueError):
    """A file refused before it is parsed (too big, not text, wrong encoding, …)."""


@dataclass(frozen=True)
class Limits:
    bytes: int
    rows: int
    columns: int
    inflated: int
    ratio: int


def limits() -> Limits:
    return Limits(
        bytes=getattr(settings, "UPLOAD_MAX_FILE_BYTES", settings.MAX_UPLOAD_BYTES * 10),
        rows=getattr(settings, "UPLOAD_MAX_ROWS", MAX_ROWS),
        columns=getattr(settings, "UPLOAD_MAX_COLUMNS", MAX_COLUMNS),
        inflated=getattr(settings, "UPLOAD_MAX_XLSX_INFLATED", MAX_XLSX_INFLATED),
        ratio=getattr(settings, "UPLOAD_MAX_XLSX_RATIO", MAX_XLSX_RATIO),
    )


def read_bytes(source: Source, name: str) -> bytes:
    """The file's bytes, refusing it unread when it is larger than the limit."""
    limit = limits().bytes
    if isinstance(source, str | Path):
        size = Path(source).stat().st_size
        if size > limit:
            raise UploadRefused(_too_big(name, size, limit))
        return Path(source).read_bytes()
    data = source.read(limit + 1)
    if hasattr(source, "seek"):
        source.seek(0)
    if len(data) > limit:
        raise UploadRefused(_too_big(name, len(data), limit, at_least=True))
    return data


def _size(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def _too_big(name: str, size: int, limit: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"{name} is {more}{_size(size)}; the limit is {_size(limit)}. Split it into smaller files."
    )


def check_csv_bytes(data: bytes, name: str, *, max_columns: int | None = None) -> int:
    """Refuse ZIPs, UTF-16, binary data and files over the row or column limit.

    Byte-level checks (fast on a force's 3 MB month); the encoding is checked by the
    decoding that follows. Returns the number of rows below the header.
    """
    if data.startswith(b"PK\x03\x04"):
        raise UploadRefused(
            f"{name} is a ZIP or XLSX file, not a CSV: save it as CSV (or upload it as .xlsx)."
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UploadRefused(f"{name} is in UTF-16: save it as “CSV UTF-8” and upload it again.")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UploadRefused(f"{name} is not a text CSV file (binary data on line {line}).")
    bounds = limits()
    rows = data.count(b"\n") - (1 if data.endswith(b"\n") else 0)
    if rows > bounds.rows:
        raise UploadRefused(
            f"{name} has {rows:,} rows; the limit is {bounds.rows:,}. Split it into smaller files."
        )
    end = data.find(b"\n")
    columns = data[: end if end >= 0 else len(data)].count(b",") + 1
    most = min(max_columns or bounds.columns, bounds.columns)
    if columns > most:
        raise UploadRefused(f"{name} has {columns:,} columns in its header; the limit is {most:,}.")
    return rows


def decode_text(
    data: bytes, name: str, *, fallback_cp1252: bool = False, max_columns: int | None = None
) -> str:
    """The CSV's text, after check_csv_bytes; not UTF-8 is refused unless `fallback_cp1252`
    (Excel's "CSV" on Windows)."""
    check_csv_bytes(data, name, max_columns=max_columns)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not fallback_cp1252:
            line = data[: error.start].count(b"\n") + 1
            raise UploadRefused(
                f"{name} is not UTF-8 (line {line} has bytes that are not): save it as "
                "“CSV UTF-8” and upload it again."
            ) from None
        return data.decode("cp1252", errors="replace")


def check_xlsx(data: bytes, name: str) -> None:
    """Refuse an XLSX that is not a ZIP, has too many members or would inflate too far."""
    bounds = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused(f"{name} is not a readable XLSX file (it is not a ZIP).") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise UploadRefused(f"{name} has {len(members):,} parts; an XLSX has a few dozen.")
        if "xl/workbook.xml" not in archive.namelist():
            raise UploadRefused(f"{name} is a ZIP file but not an XLSX workbook.")
        inflated = sum(m.file_size for m in members)
        if inflated > bounds.inflated:
            raise UploadRefused(
                f"{name} would expand to {inflated / 2**20:,.0f} MB when opened; the limit is "
                f"{bounds.inflated / 2**20:.0f} MB. Remove what the figures do not need "
                "(other sheets, formatting) or save it as CSV."
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > bounds.ratio:
                raise UploadRefused(
                    f"{name}: its part {member.filename} expands {ratio:,.0f} times; "
                    "a real spreadsheet does not. Save the sheet again or as CSV."
                )
