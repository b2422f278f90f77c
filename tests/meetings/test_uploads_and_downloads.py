"""Uploaded PDFs with scripts or embedded files are refused (meetings' papers and the
plan's strategic assessment share one check, csp_portal/pdf_checks.py); confidential
downloads are attachments that no cache keeps; the renderer fetches nothing outside our
static files (issue 11, items 5 and 12)."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import agenda, generated_papers, papers, publishing, scheduling
from meetings.models import Paper
from meetings.pack_builder import build_pack
from tests.meetings import pdf_samples
from tests.meetings.factories import make_pdf
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db

ACTIVE = [
    ("javascript.pdf", pdf_samples.with_javascript, "JavaScript"),
    ("attachment.pdf", pdf_samples.with_embedded_file, "embedded files"),
    ("launch.pdf", pdf_samples.with_launch_link, "Launch action"),
]


@pytest.fixture
def item(body):
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    return agenda.add_item(meeting=meeting, title="Community safety update")


@pytest.mark.parametrize(("name", "make", "said"), ACTIVE)
def test_a_paper_with_active_content_is_refused(
    client_for, clerk, partnership, item, name, make, said
):
    response = client_for(clerk).post(
        reverse("meetings:add_paper", args=[partnership.slug, item.pk]),
        {
            "upload": "1",
            "up-file": SimpleUploadedFile(name, make(), content_type="application/pdf"),
            "up-title": "Update",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"“{name}” contains" in html and said in html
    assert "Print it to a new PDF" in html
    assert not Paper.objects.filter(item=item).exists()


@pytest.mark.parametrize(("name", "make", "said"), ACTIVE)
def test_a_strategic_assessment_with_active_content_is_refused(
    client_for, partnership, partnership_admin, tmp_path, settings, name, make, said
):
    settings.MEDIA_ROOT = tmp_path
    draft = PlanFactory(partnership=partnership)
    response = client_for(partnership_admin).post(
        reverse("plans:edit", args=[partnership.slug, draft.pk]),
        {
            "title": draft.title,
            "first_year": "2017/18",
            "last_year": "2019/20",
            "version": 1,
            "document": SimpleUploadedFile(name, make(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert f"“{name}” contains" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.strategic_assessment
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_plain_pdf_is_still_accepted(item):
    paper = papers.attach_upload(item=item, name="plain.pdf", content=make_pdf("PLAIN"))
    assert paper.page_count == 1


def test_an_uploaded_paper_downloads_as_an_attachment_that_no_cache_keeps(
    client_for, board_member, partnership, item
):
    paper = papers.attach_upload(item=item, name="plain.pdf", content=make_pdf("PLAIN"))
    response = client_for(board_member).get(
        reverse("meetings:paper", args=[partnership.slug, paper.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


def test_the_strategic_assessment_downloads_as_an_attachment_that_no_cache_keeps(
    client_for, board_member, partnership, partnership_admin, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    draft = PlanFactory(partnership=partnership)
    client_for(partnership_admin).post(
        reverse("plans:edit", args=[partnership.slug, draft.pk]),
        {
            "title": draft.title,
            "first_year": "2017/18",
            "last_year": "2019/20",
            "version": 1,
            "document": SimpleUploadedFile(
                "sa.pdf", make_pdf("SA"), content_type="application/pdf"
            ),
        },
    )
    response = client_for(board_member).get(
        reverse("plans:assessment", args=[partnership.slug, draft.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


def test_members_packs_and_minutes_we_built_open_inline_and_are_not_cached(
    client_for, board_member, partnership, body, past_meeting
):
    publishing.publish_agenda(meeting=past_meeting)
    for name in ("pack", "minutes_pdf"):
        response = client_for(board_member).get(
            reverse(f"meetings:{name}", args=[partnership.slug, past_meeting.pk])
        )
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("inline;"), name
        assert response["Cache-Control"] == "private, no-store", name


def test_the_plan_pdf_is_not_cached(client_for, board_member, partnership):
    from tests.plans.factories import adopted_plan

    plan = adopted_plan(partnership)
    response = client_for(board_member).get(reverse("plans:pdf", args=[partnership.slug, plan.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_pack_renderer_fetches_nothing_from_the_network_or_outside_static(
    body, test_block, tmp_path
):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    try:
        port = server.server_address[1]
        from csp_portal.extension_points import PackBlock, register_pack_block, registry

        def render(partnership, params):
            return (
                f'<img src="http://127.0.0.1:{port}/tracker.png">'
                f'<link rel="stylesheet" href="file://{secret}">'
                f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">Figures</p>'
            )

        register_pack_block(PackBlock("hostile", "Hostile", render))
        try:
            meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
            item = agenda.add_item(meeting=meeting, title="Figures")
            generated_papers.attach_generated_paper(item=item, key="hostile", params={})
            build_pack(meeting, public=False)
        finally:
            registry.pack_blocks.pop("hostile", None)
    finally:
        server.shutdown()
    assert _Recorder.hits == []


def test_the_fetcher_allows_our_static_files_and_data_urls_only():
    from csp_portal import pdf_render

    css = Path(settings.BASE_DIR) / "static" / "css"
    inside = next(css.iterdir())
    assert pdf_render.is_allowed(inside.as_uri())
    assert pdf_render.is_allowed("data:image/png;base64,iVBORw0KGgo=")
    assert not pdf_render.is_allowed("file:///etc/passwd")
    assert not pdf_render.is_allowed((css / ".." / ".." / "manage.py").resolve().as_uri())
    assert not pdf_render.is_allowed("http://127.0.0.1/")
    assert not pdf_render.is_allowed("https://example.org/logo.png")
    with pytest.raises(ValueError, match="Refused"):
        pdf_render.url_fetcher().fetch("file:///etc/passwd")
