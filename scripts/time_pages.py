"""Time the pages `make load` drives, one request at a time, with the Django test client.

Run against a database holding the demo partnership (never a real one: it signs the
demo users in), with production settings so the figures match gunicorn's:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csp_perf_demo DEBUG=0 \\
        SECURE_SSL_REDIRECT=0 SECRET_KEY=<50 random characters> ALLOWED_HOSTS=127.0.0.1 \\
        python scripts/time_pages.py [--repeat 60]

For each page it prints the minimum and median wall time over --repeat requests (after
a few warm-up requests, so caches are as warm as in a running server), the minimum CPU
time of this process (Python's share: PostgreSQL's work is in its own process) and the
number of SQL queries one warm request makes. The machine may be shared: compare
minimums, CPU times and query counts, which other load disturbs least.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WARM_UP = 5


def pages() -> list[tuple[str, str, str | None]]:
    """(label, path, demo username or None for anonymous)."""
    from meetings.models import Meeting

    meeting = Meeting.objects.get(body__slug="board", date="2017-01-26").pk
    return [
        ("login page", "/accounts/login/", None),
        ("home (board)", "/", "board"),
        ("dashboard (board)", "/p/charnwood/performance/", "board"),
        ("meeting (clerk)", f"/p/charnwood/meetings/{meeting}/", "clerk"),
        ("meeting (board)", f"/p/charnwood/meetings/{meeting}/", "board"),
    ]


def client_for(username: str | None) -> Client:
    # The host gunicorn is reached by under `make load`; no setup_test_environment(),
    # whose template instrumentation would add its own cost to every render.
    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    print(f"{'page':<20} {'min ms':>8} {'median ms':>10} {'CPU min ms':>11} {'queries':>8}")
    for label, path, username in pages():
        client = client_for(username)
        for _ in range(WARM_UP):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {path} answered {response.status_code}")
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        print(
            f"{label:<20} {min(times):>8.1f} {statistics.median(times):>10.1f} "
            f"{min(cpu):>11.1f} {len(captured):>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
