"""Keyboard-only driving for the browser tests: where the focus is, and Tab until it
reaches the control wanted."""

from __future__ import annotations


def focused(page) -> dict:
    """The focused element: tag, id, text (whitespace collapsed), href and whether its
    focus is visible."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName.toLowerCase(), id: el.id,
            text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' '),
            href: el.getAttribute('href') || '',
            visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                     || style.boxShadow !== 'none',
          };
        }"""
    )


def tab_to(page, matches, limit: int = 40, *, must_show_focus: bool = False) -> dict:
    """Press Tab until the focused element matches; fail naming what was passed.
    `must_show_focus`: the element reached must also show where the focus is."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            if must_show_focus:
                assert element["visible"], f"{element['text'] or element['href']} shows no focus"
            return element
        seen.append(element["text"] or element["href"] or element["id"] or element["tag"])
    raise AssertionError(f"not reached by Tab after {limit} presses; passed: {seen}")
