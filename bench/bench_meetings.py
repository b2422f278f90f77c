"""Agenda pack speed: a 100-page pack with 30 items and 10 uploaded PDFs.

Targets (issue 6): at most 15 s and 1 GB peak memory. Also reports the ratio of our time
to WeasyPrint laying out and writing the same final HTML alone, i.e. what the page-number
passes, the PDF underlay and the outline cost on top of one render.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import tempfile
import time

from django.test import override_settings

from bench.figures import Figure

TARGET_SECONDS = 15.0
TARGET_PEAK_MB = 1024
UPLOAD_ITEMS = {2, 5, 8, 11, 14, 17, 20, 23, 25, 27}


def _pdf(label: str, pages: int) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<h2 style="break-before: page">{label}, page {n}</h2>' + "<p>Lorem ipsum dolor sit amet, "
        "consectetur adipiscing elit. " * 30 + "</p>"
        for n in range(1, pages + 1)
    )
    buffer = io.BytesIO()
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(buffer)
    return buffer.getvalue()


def _build_meeting():
    from csp_portal.models import BodyType, Organisation, Partnership
    from meetings import agenda, papers, scheduling
    from meetings.models import PartnerReport

    partnership = Partnership.objects.create(
        name="Bench CSP", slug="bench", ons_code="E22999999", local_authority="Bench Council"
    )
    body = partnership.bodies.create(
        name="Board", slug="board", body_type=BodyType.BOARD, default_start_time=dt.time(13, 30)
    )
    org = Organisation.objects.create(name="Bench Borough Council")
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2024, 1, 25))
    paragraph = (
        "The partnership has seen a reduction in robbery, cycle theft and shoplifting, but "
        "increases in residential and business burglary and vehicle crime. "
    ) * 2
    parent = None
    for number in range(1, 28):  # 27 items plus the 3 proposed: 30 in all
        sub = number % 5 in (3, 4) and parent is not None
        item = agenda.add_item(
            meeting=meeting, title=f"Business item {number}", parent=parent if sub else None
        )
        if not sub:
            parent = item
        if number in UPLOAD_ITEMS:
            papers.attach_upload(
                item=item, name=f"paper-{number}.pdf", content=_pdf(f"Paper {number}", 4)
            )
        else:
            report = PartnerReport.objects.create(
                partnership=partnership,
                organisation=org,
                author="A. Author",
                date=dt.date(2024, 1, 10),
                subject=f"Update {number}",
                summary=paragraph,
                recommendations=paragraph,
                performance_data=paragraph,
                key_risks=paragraph,
            )
            papers.attach_report(item=item, report=report)
    return meeting


def run() -> list[Figure]:
    from weasyprint import HTML

    from meetings.pack_builder import build_pack

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        meeting = _build_meeting()
        items = meeting.items.count()
        started = time.perf_counter()
        built = build_pack(meeting, public=False)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        HTML(string=built.html, base_url=".").write_pdf(pdf_tags=True)
        alone = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return [
        Figure(
            f"agenda pack: {built.page_count} pages, {items} items, 10 PDFs",
            f"{ours:.1f} s",
            f"≤ {TARGET_SECONDS:.0f} s",
            ours <= TARGET_SECONDS and built.page_count >= 100,
        ),
        Figure(
            "agenda pack: peak memory (process RSS)",
            f"{peak_mb:.0f} MB",
            f"≤ {TARGET_PEAK_MB} MB",
            peak_mb <= TARGET_PEAK_MB,
        ),
        Figure(
            f"agenda pack: time / WeasyPrint alone ({alone:.1f} s)",
            f"{ours / alone:.2f}×",
            "reported",
            True,
        ),
        Figure(
            "machine load average (1 min) while measuring",
            f"{os.getloadavg()[0]:.1f}",
            "reported",
            True,
        ),
        Figure(
            "agenda pack: layout passes",
            str(built.layout_passes),
            "reported",
            True,
        ),
    ]
