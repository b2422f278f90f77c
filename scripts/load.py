"""`make load`: the portal under 50 concurrent clients, as production would serve it.

1. Prepares LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/csp_load; never
   DATABASE_URL, which may be a real database): creates
   the database if missing, migrates, loads the demo partnership (--force: the demo
   users' password is published, so never point this at a real database).
2. Collects the static files and starts gunicorn (2 workers) on a free port of
   127.0.0.1 with production settings: DEBUG off, a fresh random SECRET_KEY, HTTPS
   redirects and secure cookies off (plain HTTP on loopback).
3. Signs the demo users in through the real sign-in form and checks every target.
4. Runs scripts/load_driver.py in a second process: LOAD_CLIENTS (50) clients sending
   LOAD_REQUESTS (3000) requests in all, for at most LOAD_SECONDS (90) seconds.
5. Stops gunicorn and exits 1 if any request failed.

LOAD_SERVERS=2 runs the same load against one server and then against two (the clients
split between them), both on one Redis (LOAD_REDIS_URL, else REDIS_URL, else db 0 of
127.0.0.1:6379), and prints the two side by side.

Add a page to the load by adding it to TARGETS: the first of its candidate paths that
answers 200 is used, so a target can fall back while an app is being built.
"""

from __future__ import annotations

import http.client
import http.cookies
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/csp_load"
DEMO_PASSWORD = "csp-demo-2026"
P95_TARGET_MS = 500


@dataclass(frozen=True)
class Target:
    label: str
    candidates: tuple[str, ...]  # paths to try in order; the first answering 200 is used
    user: str | None  # demo username to sign in as; None: anonymous


TARGETS = [
    Target("login page", ("/accounts/login/",), None),
    Target("dashboard", ("/p/charnwood/performance/",), "board"),
    # The demo's published Board meeting (agenda, papers, minutes, pack links), read by a
    # board member: the many readers before a meeting make the load, not the one clerk.
    # {board_meeting} is looked up in the loaded database.
    Target("meeting", ("/p/charnwood/meetings/{board_meeting}/",), "board"),
]
#: The demo meeting the "meeting" target opens.
DEMO_MEETING = ("board", "2017-01-26")


def log(message: str) -> None:
    print(f"== {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_database(url: str) -> None:
    """Create the database named in url when it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")
    admin.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Session:
    """A cookie-keeping HTTP client for the set-up steps (not for the load itself)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(header)
            self.cookies.update({key: morsel.value for key, morsel in jar.items()})
        connection.close()
        return response.status, response.headers, content

    def cookie_header(self) -> str:
        return "; ".join(f"{key}={value}" for key, value in self.cookies.items())

    def sign_in(self, username: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"the sign-in page answered {status} without a CSRF token")
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"could not sign in as {username}: HTTP {status}")


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 30) -> None:
    parts = urlsplit(base)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode}")
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def demo_placeholders(env: dict) -> dict[str, str]:
    """Primary keys the targets' paths need, read from the loaded demo database."""
    body, date = DEMO_MEETING
    found = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c",
         "from meetings.models import Meeting; "
         f"print(Meeting.objects.get(body__slug={body!r}, date={date!r}).pk)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {"board_meeting": found.stdout.strip().splitlines()[-1]}


def resolve_targets(base: str, placeholders: dict[str, str]) -> list[dict]:
    """Sign each user in once and pick each target's first working path."""
    sessions: dict[str | None, Session] = {}
    plan = []
    for target in TARGETS:
        if target.user not in sessions:
            session = Session(base)
            if target.user:
                session.sign_in(target.user)
            sessions[target.user] = session
        session = sessions[target.user]
        for candidate in target.candidates:
            path = candidate.format(**placeholders)
            status, _, _ = session.request("GET", path)
            if status == 200:
                break
        else:
            raise SystemExit(f"no path of target {target.label} answered 200: {target.candidates}")
        cookie = f"sessionid={session.cookies['sessionid']}" if target.user else ""
        plan.append({"label": target.label, "path": path, "cookie": cookie})
        print(f"   {target.label:<12} {path}  ({target.user or 'anonymous'})")
    return plan


def main() -> int:
    database = os.environ.get("LOAD_DATABASE_URL") or DEFAULT_DATABASE
    if not database.startswith("postgres"):
        raise SystemExit("make load needs PostgreSQL: set LOAD_DATABASE_URL=postgres://...")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("LOAD_SKIP_SETUP") != "1":  # 1: reuse the database and static files
        log(f"database {urlsplit(database).path.lstrip('/')}: create, migrate, load the demo")
        ensure_database(database)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo", "--force", "--verbosity", "0")
        log("collectstatic")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    servers = int(os.environ.get("LOAD_SERVERS", "1"))
    if servers not in (1, 2):
        raise SystemExit("LOAD_SERVERS is 1 or 2")
    if servers == 2:
        # Two servers share one Redis (the cache: sessions read through it, dashboards,
        # rate limits) as production's several machines do; one server is measured with
        # the same settings, side by side.
        env["REDIS_URL"] = (
            os.environ.get("LOAD_REDIS_URL") or os.environ.get("REDIS_URL")
            or "redis://127.0.0.1:6379/0"
        )  # fmt: skip
        log(f"Redis {env['REDIS_URL']}: one server, then two, under the same load")
    placeholders = demo_placeholders(env)
    results = [(count, run_load(env, count, placeholders)) for count in range(1, servers + 1)]
    if servers == 2:
        print()
        print(f"{'servers':<9}{'req/s':>9}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
        for count, overall in results:
            print(
                f"{count:<9}{overall['rps']:>9.1f}{overall['median_ms']:>11.1f}"
                f"{overall['p95_ms']:>9.1f}{overall['errors']:>8}"
            )
        print("(on one machine the servers share its cores: this proves correctness, not scale)")
    return 1 if any(overall["errors"] for _, overall in results) else 0


def run_load(env: dict, servers: int, placeholders: dict[str, str]) -> dict:
    """Start `servers` gunicorns (2 workers each), run the driver across them, stop them;
    the overall figures."""
    ports = [free_port() for _ in range(servers)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    log(f"gunicorn x{servers}, 2 workers each, on {', '.join(bases)}")
    processes = [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "csp_portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for port in ports
    ]
    try:
        for base, server in zip(bases, processes, strict=True):
            wait_until_up(base, server)
        log("targets")
        plan = {
            "base": bases[0],
            "bases": bases,
            "clients": int(os.environ.get("LOAD_CLIENTS", 50)),
            "requests": int(os.environ.get("LOAD_REQUESTS", 3000)),
            "seconds": float(os.environ.get("LOAD_SECONDS", 90)),
            # Signed in through the first server; the session is shared with the others.
            "targets": resolve_targets(bases[0], placeholders),
        }
        log(
            f"load: {plan['clients']} clients, at most {plan['requests']} requests "
            f"or {plan['seconds']:.0f} s"
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        driver = subprocess.run(
            [PYTHON, str(ROOT / "scripts" / "load_driver.py")],
            input=json.dumps(plan),
            capture_output=True,
            text=True,
            check=False,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        driver_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        lines = driver.stdout.strip().splitlines()
        print("\n".join(lines[:-1]), driver.stderr, sep="\n", end="")
        if driver.returncode != 0 or not lines:
            raise SystemExit(f"the load driver failed ({driver.returncode})")
        overall = json.loads(lines[-1])
        # The driver shares the 2 cores with gunicorn and PostgreSQL: say what it cost.
        print(f"load driver CPU time: {driver_cpu:.1f} s")
    finally:
        for server in processes:
            server.send_signal(signal.SIGTERM)
        for server in processes:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        log("gunicorn stopped")
    verdict = "met" if overall["p95_ms"] <= P95_TARGET_MS else "MISSED"
    print(
        f"overall ({servers} server{'s' if servers > 1 else ''}): {overall['rps']:.1f} "
        f"requests/s, median {overall['median_ms']:.1f} ms, 95th percentile "
        f"{overall['p95_ms']:.1f} ms (target ≤ {P95_TARGET_MS} ms: {verdict}), "
        f"errors {overall['errors']}"
    )
    return overall


if __name__ == "__main__":
    sys.exit(main())
