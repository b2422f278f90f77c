"""The publishing request (issue 14, part 6): the clerk's "Publish" only checks and
queues the build, so the request takes the same short time whatever the pack's size;
the build runs in the worker. Reports the request's time (median of 5, each a fresh
40-item agenda with 4 uploaded papers, the task queue on the database backend as in
production without Redis) beside the build it no longer waits for (the same work run
once, as the worker runs it)."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time

from django.test import Client, override_settings

from bench.figures import Figure

TARGET_REQUEST_MS = 1000.0
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _world():
    from django.contrib.auth import get_user_model

    from csp_portal.models import BodyType, Partnership, Role
    from csp_portal.services import grant_roles

    partnership = Partnership.objects.create(
        name="Bench CSP", slug="bench", ons_code="E22999997", local_authority="Bench Council"
    )
    body = partnership.bodies.create(
        name="Board", slug="board", body_type=BodyType.BOARD, default_start_time=dt.time(13, 30)
    )
    clerk = get_user_model().objects.create(username="bench-clerk", email="clerk@x.org")
    grant_roles(user=clerk, partnership=partnership, roles=[Role.CLERK])
    return partnership, body, clerk


def _meeting(body, date: dt.date):
    from bench.bench_meetings import _pdf
    from meetings import agenda, papers, scheduling

    meeting = scheduling.schedule_meeting(body=body, date=date, venue="Council Offices")
    paper = _pdf("Bench paper", 10)
    for number in range(1, 41):
        item = agenda.add_item(
            meeting=meeting, title=f"Business item {number}", purpose="To note the report."
        )
        if number % 10 == 0:
            papers.attach_upload(item=item, name=f"paper-{number}.pdf", content=paper)
    return meeting


def run() -> list[Figure]:
    from meetings import publishing

    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, TASKS=QUEUE),
    ):
        partnership, body, clerk = _world()
        client = Client()
        client.force_login(clerk)
        timings = []
        for week in range(5):
            meeting = _meeting(body, dt.date(2024, 1, 4) + dt.timedelta(weeks=week))
            url = f"/p/{partnership.slug}/meetings/{meeting.pk}/status/"
            started = time.perf_counter()
            response = client.post(url, {"step": "publish"})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302 and "/jobs/" in response["Location"], response
            assert not meeting.packs.exists()  # queued, not built
        request_ms = statistics.median(timings)
        meeting = _meeting(body, dt.date(2024, 6, 6))
        started = time.perf_counter()
        publishing.publish_agenda(meeting=meeting, by=clerk)
        build_ms = (time.perf_counter() - started) * 1000
    return [
        Figure(
            "publish: the request (checks and queues the job)",
            f"{request_ms:.0f} ms",
            f"≤ {TARGET_REQUEST_MS:.0f} ms",
            request_ms <= TARGET_REQUEST_MS,
        ),
        Figure("publish: the build, now in the worker", f"{build_ms:.0f} ms", "—", True),
    ]
