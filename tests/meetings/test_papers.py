"""Uploaded papers: only whole PDFs of an accepted size are kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from meetings import papers
from meetings.models import Paper
from tests.meetings.factories import make_pdf


@pytest.fixture
def item(pack_meeting):
    return pack_meeting.items.get(title="County Council Update")


def test_a_pdf_is_kept_with_its_page_count(item, media_root):
    paper = papers.attach_upload(item=item, name="county.pdf", content=make_pdf("X", 4))
    assert paper.page_count == 4
    assert paper.file.path.startswith(str(media_root))


def test_a_file_that_is_not_a_pdf_is_refused(item):
    before = Paper.objects.count()
    with pytest.raises(ValidationError, match="“notes.docx” is not a PDF"):
        papers.attach_upload(item=item, name="notes.docx", content=b"PK\x03\x04 word file")
    assert Paper.objects.count() == before


def test_a_damaged_pdf_is_refused(item):
    damaged = make_pdf("X", 2)[:400]
    before = Paper.objects.count()
    with pytest.raises(ValidationError, match="damaged"):
        papers.attach_upload(item=item, name="broken.pdf", content=damaged)
    assert Paper.objects.count() == before


def test_a_pdf_header_on_garbage_is_refused(item):
    with pytest.raises(ValidationError, match="damaged|no pages"):
        papers.attach_upload(item=item, name="fake.pdf", content=b"%PDF-1.7\nnot really")


def test_a_pdf_over_the_size_limit_is_refused(item):
    content = make_pdf("X", 1)
    with (
        override_settings(MAX_UPLOAD_BYTES=len(content) - 1),
        pytest.raises(ValidationError, match="at most"),
    ):
        papers.attach_upload(item=item, name="big.pdf", content=content)
    assert not item.papers.filter(kind="upload").exists()
