"""The idle-session warning in a real browser (static/js/session-timeout.js): it appears
before the session ends, "Stay signed in" renews the session on the server, and when a
session ends anyway what was typed comes back after signing in again."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_warning_lets_the_user_stay_signed_in(page, login_as, board_member, settings, journey):
    settings.SESSION_IDLE_TIMEOUT = 10
    settings.SESSION_IDLE_WARNING = 7
    login_as(page, board_member)
    journey.visit("/p/charnwood/", "0-partnership")
    started = page.evaluate("() => Date.now()")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=8_000)  # due 3 s after the page loaded
    assert "You will be signed out" in warning.inner_text()
    journey.check("1-warning")
    with page.expect_response(lambda r: r.url.endswith("/accounts/keep-alive/")) as renewed:
        page.get_by_role("button", name="Stay signed in").click()
    assert renewed.value.status == 200
    warning.wait_for(state="detached")
    # Past the first deadline the session still holds: the server renewed it.
    page.wait_for_function(f"() => Date.now() - {started} > 11000", timeout=15_000)
    journey.visit("/p/charnwood/", "2-still-signed-in")
    assert page.url.endswith("/p/charnwood/")


def test_what_was_typed_is_put_back_after_the_session_ends(page, board_member, settings, journey):
    settings.SESSION_IDLE_TIMEOUT = 6
    settings.SESSION_IDLE_WARNING = 2

    def sign_in() -> None:
        page.get_by_label("Username").fill(board_member.username)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    journey.visit("/accounts/login/?next=/accounts/two-factor/", "0-sign-in")
    sign_in()
    journey.check("1-two-factor-page")
    page.get_by_label("6-digit code").fill("246810")
    # Typing keeps the session once; left alone after that it ends and asks to sign in.
    page.wait_for_url("**/accounts/login/?next=*", timeout=20_000)
    journey.check("2-signed-out")
    assert "without activity" in page.get_by_role("status").first.inner_text()
    sign_in()
    assert page.url.endswith("/accounts/two-factor/")
    assert page.get_by_label("6-digit code").input_value() == "246810"
    assert page.get_by_text("What you typed before your session ended").is_visible()
    journey.check("3-typed-text-back")
