"""Finding a partnership's categories and beats by what people type in spreadsheets.

Categories and beats are matched by code or by name, case-insensitively, treating
hyphens, en and em dashes and repeated spaces alike ("Burglary – Business",
"burglary - business" and "BURGLARY-BUSINESS" are one category).
"""

from __future__ import annotations

import re

from csp_portal.models import Partnership
from performance.models import Beat, CrimeCategory

_DASHES = re.compile(r"\s*[-‐‑‒–—―]\s*")
_SPACES = re.compile(r"\s+")
#: Column or cell values that mean "the partnership's own total" in a wide sheet.
TOTAL_NAMES = frozenset({"total", "partnership", "partnership total", "all beats", "csp total"})


def normalise(text: object) -> str:
    """Lower case, one kind of dash with no spaces round it, single spaces."""
    cleaned = _DASHES.sub("-", str(text).strip().lower())
    return _SPACES.sub(" ", cleaned)


def normalise_beat(text: object) -> str:
    """Also accept "Beat 62" for the beat coded 62."""
    value = normalise(text)
    return value[5:].strip() if value.startswith("beat ") else value


class Resolver:
    """Looks up one partnership's categories and beats by code or name (two queries)."""

    def __init__(self, partnership: Partnership) -> None:
        self.categories: dict[str, CrimeCategory] = {}
        for category in CrimeCategory.objects.filter(partnership=partnership):
            self.categories[normalise(category.name)] = category
            self.categories.setdefault(normalise(category.code), category)
        self.beats: dict[str, Beat] = {}
        for beat in Beat.objects.filter(partnership=partnership):
            self.beats[normalise_beat(beat.code)] = beat
            self.beats.setdefault(normalise_beat(beat.name), beat)
            self.beats.setdefault(normalise_beat(f"{beat.code} {beat.name}"), beat)

    def category(self, text: object) -> CrimeCategory | None:
        return self.categories.get(normalise(text))

    def beat(self, text: object) -> Beat | None:
        return self.beats.get(normalise_beat(text))

    @staticmethod
    def is_total(text: object) -> bool:
        return normalise(text) in TOTAL_NAMES
