"""A role's walk from its home page to its main job, in the browser, its clicks counted
for the report (tests/e2e/clicks.py), every page it loads checked (journey.check: axe-core,
a screenshot, the CSP reports). By mouse at each width, or by keyboard alone: Tab to the
control, Enter to activate it (text typed into the fields it fills)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.e2e import clicks, keyboard

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


class Walk:
    def __init__(self, page, journey, role: str, width: str = "desktop", mode: str = "mouse"):
        self.page, self.journey, self.role, self.mode = page, journey, role, mode
        self.width = WIDTHS[width]["width"]
        self.label = f"{width}-{mode}-{re.sub(r'[^a-z]+', '-', role.lower())}"
        self.clicks = 0
        page.set_viewport_size(WIDTHS[width])

    def start(self, path: str = "/", step: str = "home") -> None:
        """The role's home page (or the public's start page): clicks count from here."""
        self.journey.visit(path, f"{self.label}-{step}")
        self.clicks = 0

    def _loaded(self, step: str, activate: Callable[[], None]) -> None:
        with self.page.expect_navigation():
            activate()
        self.clicks += 1
        self.journey.check(f"{self.label}-{step}")

    def click(self, target, step: str) -> None:
        """Follow a link (named, or a locator) or press a button, by mouse."""
        if isinstance(target, str | re.Pattern):
            target = self.page.get_by_role("link", name=target).first
        target.scroll_into_view_if_needed()
        self._loaded(step, target.click)

    def tab_to(self, matches: Callable[[dict], bool], limit: int = 80) -> dict:
        """Tab until `matches` the focused element; it must show that it has the focus."""
        return keyboard.tab_to(self.page, matches, limit, must_show_focus=True)

    def enter(self, matches: Callable[[dict], bool], step: str, limit: int = 80) -> dict:
        """Tab to a link or button and activate it with Enter."""
        element = self.tab_to(matches, limit)
        self._loaded(step, lambda: self.page.keyboard.press("Enter"))
        return element

    def type_into(self, field_id: str, text: str, limit: int = 80) -> None:
        """Tab to the form field `field_id` and type `text` (a select: its option's
        first letters, as a keyboard user picks one)."""
        self.tab_to(lambda e: e["id"] == field_id, limit)
        self.page.keyboard.type(text)

    def done(self, job: str) -> int:
        clicks.record(self.role, job, self.width, self.clicks, self.mode)
        return self.clicks


def link_named(text: str | re.Pattern) -> Callable[[dict], bool]:
    """A link whose visible text is (or, for a pattern, matches) `text`."""
    if isinstance(text, re.Pattern):
        return lambda e: e["tag"] == "a" and bool(text.search(e["text"]))
    return lambda e: e["tag"] == "a" and e["text"] == text


def button_named(text: str) -> Callable[[dict], bool]:
    return lambda e: e["tag"] == "button" and e["text"] == text
