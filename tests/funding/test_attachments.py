"""Bid papers: real PDFs only, within the size limit, served only to those who may see the bid."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from csp_portal.upload_checks import check_pdf_upload
from funding import services
from funding.models import BidAttachment
from tests.funding.pdfs import pdf_bytes, pdf_upload
from tests.meetings import pdf_samples

pytestmark = pytest.mark.django_db


def _attach_url(bid):
    return reverse("funding:bid_attach", args=[bid.fund.partnership.slug, bid.pk])


def test_applicant_attaches_a_pdf_and_reads_it_back(cast, client_for, media_root):
    bid = cast.bid()
    client = client_for(cast.applicant)
    response = client.post(_attach_url(bid), {"file": pdf_upload(text="Our business case")})
    assert response.status_code == 302
    paper = BidAttachment.objects.get(bid=bid)
    assert str(media_root) in paper.file.path and paper.original_name == "business-case.pdf"
    download = client.get(
        reverse("funding:attachment", args=[cast.partnership.slug, bid.pk, paper.pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert "Our business case" in PdfReader(io.BytesIO(body)).pages[0].extract_text()


def test_a_file_that_is_not_a_pdf_is_refused_with_its_name(cast, client_for):
    bid = cast.bid()
    fake = SimpleUploadedFile("budget.pdf", b"PK\x03\x04 a spreadsheet really")
    response = client_for(cast.applicant).post(_attach_url(bid), {"file": fake})
    assert response.status_code == 400
    assert "“budget.pdf” is not a PDF" in response.content.decode()
    assert not BidAttachment.objects.exists()


def test_a_broken_pdf_is_refused(cast):
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.7\nthis is not really a pdf")
    with pytest.raises(ValidationError, match="cannot be opened as a PDF|has no pages"):
        check_pdf_upload(broken)


def test_an_oversized_pdf_is_refused(cast, client_for, settings):
    settings.MAX_UPLOAD_BYTES = len(pdf_bytes()) - 1
    response = client_for(cast.applicant).post(_attach_url(cast.bid()), {"file": pdf_upload()})
    assert response.status_code == 400
    assert "the largest file accepted is" in response.content.decode()
    assert not BidAttachment.objects.exists()


def test_another_organisation_cannot_download_the_papers(cast, client_for):
    bid = cast.bid()
    paper = services.attach(bid=bid, upload=pdf_upload(), by=cast.applicant)
    url = reverse("funding:attachment", args=[cast.partnership.slug, bid.pk, paper.pk])
    from csp_portal.models import Role
    from tests.factories import member

    stranger = member(cast.partnership, Role.PARTNER, username="stranger")
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(cast.applicant).get(url).status_code == 200


def test_media_is_not_served_directly(cast, client):
    assert client.get("/media/funding/").status_code in {302, 404}


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (pdf_samples.with_javascript, "JavaScript"),
        (pdf_samples.with_embedded_file, "embedded"),
        (pdf_samples.with_launch_link, "Launch"),
    ],
)
def test_a_pdf_with_active_content_is_refused_as_a_bid_paper(cast, client_for, make, said):
    upload = SimpleUploadedFile("case.pdf", make(), content_type="application/pdf")
    response = client_for(cast.applicant).post(_attach_url(cast.bid()), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“case.pdf” contains" in html and said in html
    assert not BidAttachment.objects.exists()


def test_a_bid_paper_downloads_as_an_attachment_that_no_cache_keeps(cast, client_for, media_root):
    bid = cast.bid()
    client = client_for(cast.applicant)
    client.post(_attach_url(bid), {"file": pdf_upload()})
    paper = BidAttachment.objects.get(bid=bid)
    download = client.get(
        reverse("funding:attachment", args=[cast.partnership.slug, bid.pk, paper.pk])
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
