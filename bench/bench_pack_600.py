"""A 600-page agenda pack (issue 14): three 200-page uploads and a 40-item agenda.

Targets: the worker's build at most 1.3 × what WeasyPrint rendering the same HTML plus
pypdf merging the same three files take, measured in the same run; peak memory of the
build at most 500 MB. The build runs in a fresh child process (spawned, so its peak
RSS is its own, not the parent's), which reports its time and `ru_maxrss`.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import resource
import tempfile
import time

from django.test import override_settings

from bench.figures import Figure

RATIO = 1.3
PEAK_MB = 500
UPLOAD_PAGES = 200


def _upload(label: str) -> bytes:
    """A 200-page paper: WeasyPrint lays out one text page, pikepdf repeats it."""
    import pikepdf
    from weasyprint import HTML

    text = "<p>" + "The partnership reviewed anti-social behaviour by ward. " * 40 + "</p>"
    one = HTML(string=f"<html><body><h1>{label}</h1>{text}{text}</body></html>").write_pdf()
    pdf = pikepdf.open(io.BytesIO(one))
    for _ in range(UPLOAD_PAGES - 1):
        pdf.pages.append(pdf.pages[0])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _meeting():
    from csp_portal.models import BodyType, Partnership
    from meetings import agenda, papers, scheduling

    partnership = Partnership.objects.create(
        name="Bench 600 CSP", slug="bench600", ons_code="E22999998", local_authority="Bench"
    )
    body = partnership.bodies.create(
        name="Board", slug="board", body_type=BodyType.BOARD, default_start_time=dt.time(13, 30)
    )
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2024, 1, 25))
    uploads = []
    for number in range(1, 38):  # 37 plus the proposed items: 40 in all
        item = agenda.add_item(
            meeting=meeting,
            title=f"Business item {number}: a long enough title to wrap on the front sheet",
            purpose="To receive the update and agree the recommendations. " * 3,
        )
        if number in (5, 15, 25):
            content = _upload(f"Paper {number}")
            uploads.append(content)
            papers.attach_upload(item=item, name=f"paper-{number}.pdf", content=content)
    return meeting, uploads


def _child(db_name: str, media: str, meeting_id: int, queue) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings_test")
    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name
    settings.MEDIA_ROOT = media
    from meetings.models import Meeting
    from meetings.pack_builder import build_pack

    meeting = Meeting.objects.get(pk=meeting_id)
    started = time.perf_counter()
    built = build_pack(meeting, public=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, built.page_count, built.layout_passes, built.html))


def run() -> list[Figure]:
    from django.db import connection
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    from csp_portal.pdf_render import url_fetcher

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        meeting, uploads = _meeting()
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(
            target=_child, args=(connection.settings_dict["NAME"], media, meeting.pk, queue)
        )
        child.start()
        ours, peak_mb, pages, passes, html = queue.get(timeout=900)
        child.join()
        started = time.perf_counter()
        HTML(string=html, base_url=".", url_fetcher=url_fetcher()).write_pdf(pdf_variant="pdf/ua-1")
        writer = PdfWriter()
        for content in uploads:
            writer.append(PdfReader(io.BytesIO(content)))
        writer.write(io.BytesIO())
        baseline = time.perf_counter() - started
    return [
        Figure(
            f"600-page pack: build ({pages} pages, layout passes {passes})",
            f"{ours:.1f} s",
            f"≤ {RATIO} × {baseline:.1f} s = {RATIO * baseline:.1f} s",
            ours <= RATIO * baseline and pages >= 600,
        ),
        Figure(
            "600-page pack: build / (WeasyPrint + pypdf merge)",
            f"{ours / baseline:.2f}×",
            f"≤ {RATIO}×",
            ours <= RATIO * baseline,
        ),
        Figure(
            "600-page pack: peak memory of the build",
            f"{peak_mb:.0f} MB",
            f"≤ {PEAK_MB} MB",
            peak_mb <= PEAK_MB,
        ),
        Figure("machine load average (1 min)", f"{os.getloadavg()[0]:.1f}", "reported", True),
    ]
