"""The shared pages in a real browser: accessible (axe-core), usable by keyboard alone,
protected by the CSP without breaking anything, and throttling failed sign-ins."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import collect_csp_events
from tests.e2e.keyboard import focused, tab_to
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_passes_axe_and_sends_a_csp(page, axe_check, screenshot):
    response = page.goto("/accounts/login/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("h1").inner_text() == "Sign in"
    axe_check(page)
    screenshot("login")
    assert collect_csp_events(page) == []


def test_home_page_passes_axe(page, login_as, board_member, axe_check, screenshot):
    login_as(page, board_member)
    response = page.goto("/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.get_by_role("link", name="Charnwood CSP").first.is_visible()
    axe_check(page)
    screenshot("home")
    assert collect_csp_events(page) == []


def test_partnership_page_passes_axe(page, login_as, board_member, axe_check, screenshot):
    login_as(page, board_member)
    response = page.goto("/p/charnwood/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("h1").inner_text() == "Charnwood CSP"
    axe_check(page)
    screenshot("partnership")
    assert collect_csp_events(page) == []


def test_the_csp_watch_catches_an_inline_script(page):
    """The harness really sees CSP violations: an inline script is refused and reported
    (the page fixture would then fail the test, so the record is cleared here)."""
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__ran") is None  # the browser refused to run it
    reported = collect_csp_events(page)
    assert any("script-src" in line for line in reported), reported
    page.problems.csp.clear()


def test_a_journey_fails_when_a_page_it_loaded_was_not_checked(page, journey):
    journey.visit("/accounts/login/", "checked")
    page.goto("/accounts/password_reset/")
    assert journey.unchecked() == [page.url]
    journey.check("now-checked")  # (else this test's teardown would fail, as it should)
    assert journey.unchecked() == []


def test_axe_check_fails_on_a_serious_violation(page, axe_check):
    """The accessibility check is real: an unlabelled input is reported and fails."""
    page.goto("/accounts/login/")
    page.evaluate("() => { document.querySelector('label[for=id_username]').remove(); }")
    with pytest.raises(pytest.fail.Exception, match="label"):
        axe_check(page)


def test_keyboard_only_journey(page, board_member, journey):
    """Sign in, skip to the main content, reach the partnership page and sign out with
    Tab, Enter and typing alone; every control reached shows where the focus is, and
    every page on the way passes axe-core."""
    page.goto("/accounts/login/")
    journey.check("0-sign-in")
    # The sign-in form puts the focus in the username field, ready to type.
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(board_member.username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    button = tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Sign in")
    assert button["visible"], "the sign-in button shows no focus"
    journey.check("1-sign-in-focused")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/")
    assert page.locator("h1").inner_text().startswith("Welcome")

    # The first Tab on a page reaches the skip link, shown once focused.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["href"] == "#main" and skip["text"] == "Skip to main content"
    assert skip["visible"] and page.get_by_text("Skip to main content").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    journey.check("2-home-skipped-to-main")

    # From the main content, the next stops are the page's own links, not the menu.
    link = tab_to(page, lambda e: e["tag"] == "a" and e["href"] == "/p/charnwood/", limit=5)
    assert link["visible"], "the partnership link shows no focus"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/p/charnwood/")
    assert page.locator("h1").inner_text() == "Charnwood CSP"
    journey.check("3-partnership")

    sign_out = tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Sign out")
    assert sign_out["visible"], "the sign-out button shows no focus"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("4-signed-out")
    page.goto("/p/charnwood/")
    assert "/accounts/login/" in page.url  # signed out: the page asks for a login again
    journey.check("5-asked-to-sign-in-again")


def test_failed_sign_ins_lock_the_account_in_the_browser(
    page, partner, settings, screenshot, axe_check
):
    def sign_in(password: str):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(partner.username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Sign in").click()
        return navigation.value

    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(f"wrong-{attempt}")
        assert response.status == 200
        assert page.get_by_text("Please enter a correct username and password").is_visible()
    # The fifth failure locks the account at once ...
    assert sign_in("wrong-again").status == 429
    assert page.locator("h1").inner_text() == "Too many failed sign-in attempts"
    # ... and the right password is refused too until the lock-out ends.
    response = sign_in(PASSWORD)
    assert response.status == 429
    assert page.locator("h1").inner_text() == "Too many failed sign-in attempts"
    axe_check(page)
    screenshot("locked-out")
    page.goto("/")
    assert "/accounts/login/" in page.url  # not signed in
