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


def tagged_paper() -> bytes:
    """A tagged (PDF/UA-1) paper made with WeasyPrint: a heading, a table, an image with
    alternative text and a link, over two pages."""
    from weasyprint import HTML

    svg = (
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='40' "
        "height='20'%3E%3Crect width='40' height='20' fill='%23369'/%3E%3C/svg%3E"
    )
    html = f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
    <title>Tagged sample paper</title></head><body>
    <h1>Anti-social behaviour review</h1>
    <p>Reported incidents fell in every ward.
    <a href="https://example.org/asb">The ASB strategy</a>.</p>
    <table><caption>Incidents by ward</caption>
    <thead><tr><th scope="col">Ward</th><th scope="col">Incidents</th></tr></thead>
    <tbody><tr><th scope="row">Loughborough Hastings</th><td>41</td></tr>
    <tr><th scope="row">Shepshed West</th><td>12</td></tr></tbody></table>
    <h2 style="break-before: page">Trend</h2>
    <img src="{svg}" alt="Bar chart of incidents falling from 60 to 41">
    </body></html>"""
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _rc4(*, owner: str, user: str):
    """128-bit RC4 (R3): pypdf decrypts it without an extra crypto library."""
    return pikepdf.Encryption(owner=owner, user=user, R=3, aes=False, metadata=False)


def owner_password_only() -> bytes:
    """Opens without a password; only changing it needs the owner password."""

    def change(pdf):
        pass

    with pikepdf.open(io.BytesIO(make_pdf("OWNER LOCKED PAPER"))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, encryption=_rc4(owner="clerk-only", user=""))
        return out.getvalue()


def user_password() -> bytes:
    with pikepdf.open(io.BytesIO(make_pdf("LOCKED PAPER"))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=_rc4(owner="o", user="open-sesame"))
        return out.getvalue()


def literal_text_pdf(marker: str) -> bytes:
    """A one-page PDF whose content stream holds `marker` as a literal string (so a
    search of the raw, decompressed bytes finds it wherever it was copied)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(f"BT /F1 14 Tf 72 700 Td ({marker}) Tj ET".encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
