"""Clicks from each role's home page to its main job, as the journey tests count them,
gathered for one report: artefacts/journey_clicks.json and a table at the end of the
pytest session (tests/e2e/conftest.py's pytest_terminal_summary).

A click is one activation that loads a page: a link followed or a form submitted, by
mouse or (in the keyboard journeys) by Enter. Each record says which it counts: the
clicks to reach the page where the job is done, or to finish it (a bid submitted)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_CLICKS = 3
REPORT = Path(__file__).resolve().parents[2] / "artefacts" / "journey_clicks.json"


@dataclass(frozen=True)
class Clicks:
    role: str
    job: str
    width: int
    clicks: int
    mode: str = "mouse"  # or "keyboard" (Tab and Enter only)


RECORDED: list[Clicks] = []


def record(role: str, job: str, width: int, clicks: int, mode: str = "mouse") -> None:
    """Keep the count for the report, then fail if the job took more than MAX_CLICKS."""
    RECORDED.append(Clicks(role, job, width, clicks, mode))
    assert clicks <= MAX_CLICKS, f"{role}: {job} took {clicks} clicks at {width} px"


def by_role(records: list[Clicks]) -> dict[str, dict[str, dict[str, int]]]:
    """role -> "job (mode)" -> width in px -> clicks."""
    roles: dict[str, dict[str, dict[str, int]]] = {}
    for r in records:
        roles.setdefault(r.role, {}).setdefault(f"{r.job} ({r.mode})", {})[str(r.width)] = r.clicks
    return roles


def write_report(records: list[Clicks], path: Path = REPORT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "max_clicks": MAX_CLICKS,
        "by_role": by_role(records),
        "journeys": [asdict(r) for r in records],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def table(records: list[Clicks]) -> list[str]:
    """The records as a Markdown table, one row per role, job and mode."""
    widths = sorted({r.width for r in records}, reverse=True)
    rows: dict[tuple[str, str, str], dict[int, int]] = {}
    for r in records:
        rows.setdefault((r.role, r.job, r.mode), {})[r.width] = r.clicks
    head = ["Role", "Main job", "Mode", *(f"{w} px" for w in widths)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (role, job, mode), counts in rows.items():
        cells = [str(counts[w]) if w in counts else "–" for w in widths]
        lines.append("| " + " | ".join([role, job, mode, *cells]) + " |")
    return lines
