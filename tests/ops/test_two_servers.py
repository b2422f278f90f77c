"""Two gunicorn servers on one PostgreSQL and the machine's Redis, with one task worker:
what one server writes, the other serves at the next request.

- an officer's save through server A is on the board's dashboard through server B (the
  dashboards' cache, and its invalidation, live in Redis, not in a server);
- an agenda pack published through A downloads from B (the pack file is in the shared
  storage; if publishing runs as a task, the worker builds it: polled until ready);
- a police.uk import confirmed through A (its file kept in the shared storage) is run by
  the worker (RQ on Redis) and its job's result is read through B.

Each server has its own CACHE_DIR, so a server that cached in its own files instead of
Redis would serve its stale copy and fail the test. Redis: TEST_REDIS_URL (default db 12),
emptied first.
"""

from __future__ import annotations

import html
import http.client
import http.cookies
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from csp_portal.financial_year import Quarter
from tests.conftest import postgres_only
from tests.performance.factories import (
    enter_ytd,
    make_beats,
    make_categories,
    map_lsoas,
    map_policeuk,
)

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
PASSWORD = "two-servers-test-password"
SAMPLE = ROOT / "tests/performance/data/2022-07-leicestershire-street-sample.csv"
Q2 = Quarter.parse("2022/23", 2)
DASHBOARD = "/p/charnwood/performance/?year=2022&quarter=2"

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def _redis_unreachable() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:  # CI starts Redis (.ci/run)
        return f"Redis at {REDIS_URL} is not running: {error}"
    return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Browser:
    """A cookie-keeping client of one server (standard library only)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def on(self, port: int) -> Browser:
        """The same person (the same cookies) talking to another server."""
        return Browser(port, self.cookies)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, Any, bytes]:
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection_.request(method, path, body=body, headers=sent)
        response = connection_.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(header)
            self.cookies.update({key: morsel.value for key, morsel in jar.items()})
        connection_.close()
        return response.status, response.headers, content

    def get(self, path: str) -> tuple[int, str]:
        status, _, content = self.request("GET", path)
        return status, content.decode("utf-8", "replace")

    def post(self, path: str, data: dict | list) -> tuple[int, str]:
        status, headers, _ = self.request(
            "POST",
            path,
            urlencode(data, doseq=True).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status, headers.get("Location", "")

    def post_file(self, path: str, data: dict, field_name: str, file: Path) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in data.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
            f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + file.read_bytes()
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, _, content = self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        return status, content.decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        status, page = self.get(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def sign_in(self, username: str) -> Browser:
        token = self.csrf("/accounts/login/")
        status, _ = self.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert status == 302 and "sessionid" in self.cookies, f"sign-in of {username}: {status}"
        return self


def _form_fields(page: str, marker: str) -> list[tuple[str, str]]:
    """The named fields (name, value) of the <form> holding `marker`, as a browser would
    send them (checkboxes only when checked; a select's selected option)."""
    start = page.rfind("<form", 0, page.index(marker))
    form = page[start : page.index("</form>", start)]
    fields = []
    for tag in re.findall(r"<input\b[^>]*>", form):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        kind = attributes.get("type", "text")
        if "name" not in attributes or kind in {"submit", "button"}:
            continue
        if kind in {"checkbox", "radio"} and "checked" not in tag:
            continue
        fields.append((attributes["name"], html.unescape(attributes.get("value", ""))))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((name, html.unescape(text)))
    return fields


def _wait(check: Callable[[], Any], *, seconds: float, every: float = 0.5, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")


@pytest.fixture
def portal(tmp_path) -> Iterator[dict]:
    """Servers A and B (gunicorn, 2 workers each) and a worker, on the test database."""
    reason = _redis_unreachable()
    if reason:
        pytest.fail(reason)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "DEBUG": "1",  # the static files without collectstatic; nothing else differs here
        "SECRET_KEY": "two-servers-" + "k" * 50,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "TASKS_BACKEND": "rq",
        "MEDIA_ROOT": str(tmp_path / "shared-media"),  # the shared store (NFS, or S3)
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    processes: dict[str, subprocess.Popen] = {}
    ports = {}
    logs = {}
    try:
        for name in ("A", "B"):
            ports[name] = _free_port()
            logs[name] = (tmp_path / f"server-{name}.log").open("w")
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "csp_portal.wsgi", "--workers", "2",
                 "--bind", f"127.0.0.1:{ports[name]}", "--log-level", "warning"],
                cwd=ROOT, env={**env, "CACHE_DIR": str(tmp_path / f"cache-{name}")},
                stdout=logs[name], stderr=subprocess.STDOUT,
            )  # fmt: skip
        logs["worker"] = (tmp_path / "worker.log").open("w")
        processes["worker"] = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"],
            cwd=ROOT,
            env={**env, "CACHE_DIR": str(tmp_path / "cache-worker")},
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        )
        for name in ("A", "B"):
            _wait(
                lambda name=name: _healthy(ports[name], processes[name]),
                seconds=60,
                what=f"server {name} answering /healthz",
            )
        yield {"A": ports["A"], "B": ports["B"], "logs": tmp_path}
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for handle in logs.values():
            handle.close()


def _healthy(port: int, process: subprocess.Popen) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"a server exited with code {process.returncode}")
    try:
        return Browser(port).get("/healthz")[0] == 200
    except OSError:
        return False


def _with_password(user: Any) -> Any:
    # The servers' own hasher (PBKDF2), few rounds: a fast sign-in through the real form.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "twoservers", iterations=1000)
    user.save(update_fields=["password"])
    return user


def _all_crime_row(page: str) -> str:
    start = page.index('<th scope="row" class="depth-0">All Crime')
    return page[start : page.index("</tr>", start)]


def test_what_one_server_writes_the_other_serves(portal, partnership, officer, clerk, board_member):
    import datetime as dt

    from meetings import agenda, scheduling
    from tests.meetings.factories import board
    from tests.meetings.test_agenda_pack import page_texts

    categories, beats = make_categories(partnership), make_beats(partnership)
    for user in (officer, clerk, board_member):
        _with_password(user)
    a, b = portal["A"], portal["B"]

    # 1. The board reads the dashboard through B (cached in Redis); the officer saves a
    #    figure through A; the board's next request to B shows it.
    enter_ytd(partnership, categories["ALL"], Q2, 1234)  # Q1 617, Q2 617
    board_on_b = Browser(b).sign_in("board")
    status, page = board_on_b.get(DASHBOARD)
    assert status == 200 and "1,234" in _all_crime_row(page)
    officer_on_a = Browser(a).sign_in("officer")
    grid = "/p/charnwood/performance/enter/2022/q2/"
    status, page = officer_on_a.get(grid)
    assert status == 200, page[:500]
    all_total = f"c{categories['ALL'].pk}_total"
    fields = [(k, "3000" if k == all_total else v) for k, v in _form_fields(page, all_total)]
    assert (all_total, "3000") in fields
    status, location = officer_on_a.post(grid, fields)
    assert status == 302, f"the grid save answered {status}"
    status, page = board_on_b.get(DASHBOARD)
    row = _all_crime_row(page)
    assert "3,617" in row and "1,234" not in row, row

    # 2. The clerk publishes the agenda through A; the public pack downloads from B.
    body = board(partnership)
    meeting = scheduling.schedule_meeting(body=body, date=dt.date(2017, 1, 26))
    agenda.add_item(meeting=meeting, title="Delivery Group Updates")
    clerk_on_a = Browser(a).sign_in("clerk")
    meeting_page = f"/p/charnwood/meetings/{meeting.pk}/"
    status, location = clerk_on_a.post(
        f"{meeting_page}status/",
        {"step": "publish", "csrfmiddlewaretoken": clerk_on_a.csrf(meeting_page)},
    )
    assert status == 302, f"publishing answered {status}"
    public_pack = "/public/charnwood/board/2017-01-26/pack.pdf"

    def pack_from_b() -> bytes | None:
        status, _, content = board_on_b.on(b).request("GET", public_pack)
        return content if status == 200 and content.startswith(b"%PDF-") else None

    pdf = _wait(pack_from_b, seconds=60, every=1, what="the published pack served by B")
    assert "delivery group updates" in "".join(page_texts(pdf)).lower()

    # 3. A police.uk import confirmed through A is run by the worker; B shows its result.
    map_lsoas(partnership, beats, {})  # Charnwood's rows count as on no beat: enough here
    map_policeuk(partnership, categories)
    upload = "/p/charnwood/performance/policeuk/"
    status, preview = officer_on_a.post_file(
        upload, {"csrfmiddlewaretoken": officer_on_a.csrf(upload)}, "files", SAMPLE
    )
    assert status == 200, preview[:2000]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview)[1]
    status, job_url = officer_on_a.post(
        upload + "confirm/", {"token": token, "csrfmiddlewaretoken": officer_on_a.csrf(upload)}
    )
    assert status == 302 and job_url.startswith("/jobs/"), (status, job_url)
    officer_on_b = officer_on_a.on(b)

    def finished_on_b() -> dict | None:
        status, body_ = officer_on_b.get(job_url + "status")
        state = json.loads(body_) if status == 200 else {}
        return state if state.get("finished") else None

    state = _wait(finished_on_b, seconds=60, what="the import job finished, read through B")
    assert state["status"] == "done", state
    assert state["result_url"] == "/p/charnwood/performance/"
    assert "Imported" in state["message"] and "Months added: July 2022" in state["message"]
    status, page = officer_on_b.get(job_url)
    assert status == 200 and 'aria-valuenow="100"' in page
