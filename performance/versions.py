"""Versions of the pages two officers can edit at once: the entry grid and the targets.

A page carries, signed in a hidden `version` field, the stored values it was opened on
(a *snapshot*: a plain dict). A save compares that snapshot with what is stored now,
under the partnership's row lock, before writing anything: if someone else saved in
between, the save is refused (StaleVersion, nothing written) and the page shows what
they changed, still holding everything the user typed, with a fresh version, so that
saving again is a decision taken knowing the other change. A missing or altered version
counts as stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core import signing

SALT = "performance.versions"


def sign(snapshot: Mapping[str, object]) -> str:
    """The hidden field's value for a snapshot (values must be JSON: None, str, int)."""
    return signing.dumps({k: v for k, v in snapshot.items() if v is not None}, salt=SALT,
                         compress=True)  # fmt: skip


def read(token: str | None) -> dict[str, object] | None:
    """The snapshot a page was opened on, or None when missing or tampered with."""
    if not token:
        return None
    try:
        opened = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return opened if isinstance(opened, dict) else None


@dataclass(frozen=True)
class Difference:
    """One value someone else changed after the page was opened."""

    key: str
    opened: object
    now: object


def differences(opened: Mapping[str, object], now: Mapping[str, object]) -> list[Difference]:
    keys = sorted(set(opened) | set(now))
    return [Difference(k, opened.get(k), now.get(k)) for k in keys if opened.get(k) != now.get(k)]


class StaleVersion(Exception):
    """The stored values are not those the page was opened on; nothing was written."""

    def __init__(self, found: list[Difference], *, missing: bool = False) -> None:
        self.differences = found
        self.missing = missing  # no readable version at all
        super().__init__(f"{len(found)} value(s) changed since the page was opened.")


def check(opened: Mapping[str, object] | None, now: Mapping[str, object]) -> None:
    """Raise StaleVersion unless the page was opened on exactly `now`."""
    if opened is None:
        raise StaleVersion(differences({}, now), missing=True)
    found = differences(opened, {k: v for k, v in now.items() if v is not None})
    if found:
        raise StaleVersion(found)
