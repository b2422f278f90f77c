"""Public minutes: laying them out (what every anonymous request cost before issue 11)
against serving the copy frozen at confirmation, through the public URL."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.test import Client, override_settings

from bench.figures import Figure, median_ms

TARGET_SERVED_MS = 50.0


def _confirmed_meeting():
    from csp_portal.models import BodyType, Partnership
    from meetings import agenda, minutes, publishing, scheduling

    partnership = Partnership.objects.create(
        name="Bench CSP", slug="bench", ons_code="E22999998", local_authority="Bench Council"
    )
    body = partnership.bodies.create(
        name="Board", slug="board", body_type=BodyType.BOARD, default_start_time=dt.time(13, 30)
    )
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2024, 1, 25))
    for number in range(1, 13):
        item = agenda.add_item(meeting=meeting, title=f"Business item {number}")
        minutes.record_minute(
            item=item,
            discussion="\n".join(f"Point {n} on item {number}." for n in range(1, 6)),
            resolutions=[f"report {number} be noted", f"officers report back on {number}"],
        )
    publishing.publish_agenda(meeting=meeting)
    scheduling.set_status(meeting=meeting, status="held")
    following = scheduling.schedule_meeting(body=body, date=dt.date(2024, 4, 25))
    minutes.confirm_minutes(meeting=meeting, at=following, signed_by=None)
    meeting.refresh_from_db()
    return meeting


def run() -> list[Figure]:
    from meetings.printed_minutes import build_minutes_pdf

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        meeting = _confirmed_meeting()
        laid_out = median_ms(lambda: build_minutes_pdf(meeting, public=True), repeat=5, warmup=1)
        client = Client()
        url = f"/public/bench/board/{meeting.date}/minutes.pdf"

        def served() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            b"".join(response.streaming_content)

        with override_settings(PUBLIC_PDF_RATE=10_000):
            frozen = median_ms(served, repeat=30, warmup=3)
    return [
        Figure("public minutes: laid out per request (before)", f"{laid_out:.0f} ms", "—", True),
        Figure(
            "public minutes: frozen copy served",
            f"{frozen:.1f} ms",
            f"< {TARGET_SERVED_MS:.0f} ms",
            frozen < TARGET_SERVED_MS,
        ),
    ]
