"""Real PDFs for upload tests, made with WeasyPrint."""

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "Business case") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<h1>{text}</h1>").write_pdf()


def pdf_upload(name: str = "business-case.pdf", text: str = "Business case"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")
