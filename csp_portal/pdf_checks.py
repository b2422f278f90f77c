"""What the one upload check (csp_portal.upload_checks) asks of a PDF, from its bytes:
meetings' papers, funding's attachments, the plan's strategic assessment.

A PDF is accepted when it is small enough, starts with the PDF signature, opens and
parses in pypdf page by page, is not password-protected, has pages, and carries no
active content: no JavaScript, no launch or submit actions, no embedded or attached
files, no rich media. Such content runs, or offers to run, on the reader's machine when
a board member opens the paper, so it is refused (not silently stripped: the author is
told what to do, and the paper the board reads is exactly the one uploaded).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from csp_portal.upload_checks import check_size

if TYPE_CHECKING:
    from pypdf import PdfReader

#: Action types that run code, open programs or send data.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/Rendition"}
)
#: Keys whose mere presence means scripts, attachments or media.
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "embedded files",
    "/EF": "embedded files",
    "/RichMediaContent": "rich media",
    "/XFA": "an XFA form (which can carry scripts)",
}
ACTIVE_TYPES = {
    "/EmbeddedFile": "embedded files",
    "/FileAttachment": "a file attachment",
    "/RichMedia": "rich media",
}


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    page_count: int
    sha256: str


def active_content(content: bytes) -> list[str]:
    """What active content the PDF carries ("JavaScript", "embedded files", …), if any."""
    import pikepdf  # here, not at start-up

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for obj in pdf.objects:
            _scan(obj, found, depth=0)
    return sorted(found)


def _scan(obj, found: set[str], depth: int) -> None:
    import pikepdf  # imported by active_content already: a look-up in sys.modules

    if depth > 50:  # direct objects nest only so deep in a real file
        return
    if isinstance(obj, pikepdf.Array):
        for value in obj:
            if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                _scan(value, found, depth + 1)
        return
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    for key in obj.keys():  # noqa: SIM118 (a Stream is not iterable by key)
        if key in ACTIVE_KEYS:
            found.add(ACTIVE_KEYS[key])
    for key in ("/Type", "/Subtype"):
        kind = obj.get(key)
        if isinstance(kind, pikepdf.Name) and str(kind) in ACTIVE_TYPES:
            found.add(ACTIVE_TYPES[str(kind)])
    action = obj.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in ACTIVE_ACTIONS:
        found.add(f"a {str(action)[1:]} action")
    for key in obj.keys():  # noqa: SIM118 (a Stream is not iterable by key)
        child = obj.get(key)
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
            _scan(child, found, depth + 1)


def _opens_without_password(reader: PdfReader) -> bool:
    """A PDF with only an owner password (it opens without one) is readable like any."""
    from pypdf.errors import DependencyError, PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError, DependencyError):
        return False


def is_tagged(content: bytes) -> bool:
    """A tagged PDF (structure tree, /MarkInfo /Marked): screen readers can follow it."""
    import pikepdf  # here, not at start-up

    with pikepdf.open(io.BytesIO(content)) as pdf:
        mark = pdf.Root.get("/MarkInfo")
        return "/StructTreeRoot" in pdf.Root and mark is not None and bool(mark.get("/Marked"))


def check_pdf(name: str, content: bytes) -> CheckedPdf:
    """The PDF's page count and hash, or a ValidationError naming the file and saying
    what is wrong with it and what to do."""
    import pikepdf  # here, not at start-up
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    check_size(name, len(content))
    if not content.startswith(b"%PDF-"):
        raise ValidationError(
            f"“{name}” is not a PDF (it does not start with %PDF-). "
            "Save it as PDF and upload it again.",
            code="not_pdf",
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # A PDF with only an owner password (restricting printing or editing) opens
        # without one, as it does for every reader: accepted. One that needs a
        # password to open is refused.
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ValidationError(
                f"“{name}” needs a password to open; upload a copy without a password.",
                code="encrypted",
            )
        pages = len(reader.pages)
        for page in reader.pages:  # parse every page so a truncated file fails now
            page.mediabox  # noqa: B018
            page.get_contents()
        active = active_content(content)
    except ValidationError:
        raise
    except (
        PyPdfError,
        pikepdf.PdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
    ) as exc:
        raise ValidationError(
            f"“{name}” is damaged and cannot be opened as a PDF ({exc}).", code="damaged"
        ) from exc
    if pages == 0:
        raise ValidationError(f"“{name}” has no pages.", code="empty")
    if active:
        raise ValidationError(
            f"“{name}” contains {', '.join(active)}, which could run on the reader's "
            "computer, so it is not accepted. Print it to a new PDF (“Save as PDF” or "
            "“Microsoft Print to PDF”) without attachments and upload that copy.",
            code="active_content",
        )
    return CheckedPdf(content, pages, hashlib.sha256(content).hexdigest())
