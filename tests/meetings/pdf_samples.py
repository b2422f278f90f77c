"""PDFs carrying active content, made from a real one-page PDF with pikepdf."""

from __future__ import annotations

import io

import pikepdf

from tests.meetings.factories import make_pdf


def _edit(change) -> bytes:
    with pikepdf.open(io.BytesIO(make_pdf("INNOCENT LOOKING PAPER"))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def with_javascript() -> bytes:
    """Runs a script when opened (/OpenAction /JavaScript)."""

    def change(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('pwned')")
        )

    return _edit(change)


def with_embedded_file() -> bytes:
    """Carries an attached executable."""

    def change(pdf):
        pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 payload")

    return _edit(change)


def with_launch_link() -> bytes:
    """A link annotation that launches a program when clicked."""

    def change(pdf):
        action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 100, 100],
            A=action,
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annot]))

    return _edit(change)
