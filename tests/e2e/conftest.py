"""The browser harness: Playwright driving Debian's Chromium against a live test server.

One Chromium per test session (starting it costs about a second); a fresh browser
context (cookies, storage) per test. Fixtures:

- `page`: a Playwright page in a new context at 1280x900, the server's URL as base, that
  records Content-Security-Policy violations (console messages and
  `securitypolicyviolation` events) and page errors; the test fails at teardown if any
  page it visited reported one.
- `login_as(page, user)`: signs `user` in by giving the browser a real session cookie
  (the sign-in form itself is exercised by the keyboard journey and the lock-out test).
- `screenshot(step)`: saves the page to artefacts/screenshots/<test>/<step>.png.
- `axe_check(page)`: runs axe-core (vendored in tests/e2e/vendor/, see its README) on the
  page and fails listing every violation of impact "serious" or "critical".
- `journey`: for the user journeys. `journey.check(step)` runs axe_check, saves the
  screenshot and collects CSP reports for the current page; at teardown the test fails
  if any page the journey loaded was never checked, so every page a journey visits is
  accessibility-checked.

The live server runs in a thread of this process, on the PostgreSQL test database, so
tests use `transactional_db`. Playwright's sync API keeps an event loop running in the
main thread from the moment it starts, and Django refuses database calls from there
unless DJANGO_ALLOW_ASYNC_UNSAFE is set. So the browser tests run last, and the variable
is set only while the browser is up: it must not leak into other tests (`check --deploy`
in a subprocess rightly fails on it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no network: without these Chromium keeps trying to phone home.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_SOURCE = ROOT / "tests" / "e2e" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "artefacts" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")

# Records what the page's own code reports about CSP. Injected through the DevTools
# protocol, so the CSP under test does not block it.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the browser tests last (after pytest-django's own ordering), and stop at once,
    with one clear line, when they are selected and there is no Chromium to run them."""
    in_browser = [item for item in items if item.get_closest_marker("browser")]
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + in_browser
    if in_browser and not Path(CHROMIUM).exists():
        pytest.exit(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium; "
            "`bash .ci/run` does) or deselect the browser tests with -m 'not browser'.",
            returncode=4,
        )


@dataclass
class PageProblems:
    """What a page reported while a test drove it."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db) -> Iterator:
    """A page in a fresh browser context; fails the test if the page reported a CSP
    violation or a script error. Cookies stay marked Secure as in production: Chromium
    treats http://localhost as a secure context and keeps them."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.add_init_script(CSP_LISTENER)
    new_page = context.new_page()
    new_page.set_default_timeout(10_000)
    problems = PageProblems()
    new_page.problems = problems
    new_page.visited = []  # every document the page loaded, in order
    new_page.on("load", lambda loaded: new_page.visited.append(loaded.url))

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            problems.csp.append(f"{new_page.url}: {message.text}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: problems.errors.append(f"{new_page.url}: {error}"))
    yield new_page
    try:
        collect_csp_events(new_page)
    finally:
        context.close()
    assert not problems.csp, "CSP violations:\n" + "\n".join(problems.csp)
    assert not problems.errors, "Script errors:\n" + "\n".join(problems.errors)


def collect_csp_events(page) -> list[str]:
    """Move the violations the current document recorded into page.problems.csp."""
    if page.is_closed() or not page.url.startswith("http"):
        return page.problems.csp
    try:
        events = page.evaluate("() => (window.__cspViolations || []).splice(0)")
    except Exception:  # the page is navigating away; its console messages still count
        events = []
    page.problems.csp.extend(f"{page.url}: {event}" for event in events)
    return page.problems.csp


@pytest.fixture
def login_as(live_server) -> Callable:
    """login_as(page, user): the browser is signed in as `user` (a real session)."""
    from django.conf import settings as django_settings
    from django.test import Client

    def sign_in(page, user) -> None:
        client = Client()
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        cookie = {"name": name, "value": client.cookies[name].value, "url": live_server.url}
        page.context.add_cookies([cookie])

    return sign_in


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.fixture
def screenshot(request, page) -> Callable[[str], Path]:
    """screenshot(step) -> the PNG saved at artefacts/screenshots/<test>/<step>.png."""
    folder = SCREENSHOTS / _safe(request.node.name)

    def save(step: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_safe(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def format_violations(violations: list[dict]) -> str:
    """axe-core's violations, one block per rule, each failing element with its fix."""
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def run_axe(page) -> list[dict]:
    """Every axe-core violation on the current page (all impacts)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools, not as a <script>, so script-src 'self' allows it.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


@pytest.fixture
def axe_check() -> Callable:
    """axe_check(page): fails on any serious or critical accessibility violation."""

    def check(page) -> list[dict]:
        violations = run_axe(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(
                f"axe-core: {len(blocking)} serious or critical violation(s) on {page.url}:\n"
                + format_violations(blocking),
                pytrace=False,
            )
        return violations

    return check


class Journey:
    """Checkpoints of one user journey: every page it loads must be checked."""

    def __init__(self, page, axe_check: Callable, screenshot: Callable) -> None:
        self.page = page
        self._axe_check = axe_check
        self._screenshot = screenshot
        self.checked: set[str] = set()

    def check(self, step: str) -> list[dict]:
        """axe-core, a screenshot and the CSP reports of the page as it is now."""
        violations = self._axe_check(self.page)
        self._screenshot(step)
        collect_csp_events(self.page)
        self.checked.add(self.page.url.split("#")[0])
        return violations

    def visit(self, path: str, step: str, status: int = 200):
        """Go to path, expect `status`, and check the page."""
        response = self.page.goto(path)
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check(step)
        return response

    def unchecked(self) -> list[str]:
        loaded = dict.fromkeys(url.split("#")[0] for url in self.page.visited)
        return [url for url in loaded if url not in self.checked]


@pytest.fixture
def journey(page, axe_check, screenshot) -> Iterator[Journey]:
    walk = Journey(page, axe_check, screenshot)
    yield walk
    unchecked = walk.unchecked()
    assert not unchecked, f"pages the journey loaded but never checked: {unchecked}"


def pytest_terminal_summary(terminalreporter) -> None:
    """The clicks each role's journey counted (tests/e2e/clicks.py): written to
    artefacts/journey_clicks.json and printed, when this session ran any journey."""
    from tests.e2e import clicks

    if not clicks.RECORDED:
        return
    path = clicks.write_report(clicks.RECORDED)
    heading = f"clicks from home to each role's main job (at most {clicks.MAX_CLICKS})"
    terminalreporter.section(heading)
    for line in clicks.table(clicks.RECORDED):
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"written to {path.relative_to(ROOT)}")
