"""The docs' life-cycle tables and diagrams are the ones the code declares."""

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from meetings import lifecycle as meetings
from plans import lifecycle as plans

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "docs_lifecycles.py"


def _script():
    spec = importlib.util.spec_from_file_location("docs_lifecycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_show_the_life_cycles_the_code_declares():
    assert _script().stale() == []


@pytest.mark.parametrize(
    ("name", "doc"),
    [
        ("bid-lifecycle-table", "docs/funding.md"),
        ("meeting-lifecycle-table", "docs/meetings.md"),
        ("meeting-lifecycle-diagram", "docs/meetings.md"),
        ("plan-lifecycle-table", "docs/plans.md"),
        ("plan-lifecycle-diagram", "docs/plans.md"),
    ],
)
def test_a_changed_block_makes_the_docs_stale(monkeypatch, name, doc):
    script = _script()
    original = script.blocks

    def changed():
        blocks = original()
        path, make = blocks[name]
        blocks[name] = (path, lambda: make() + "\n| `extra` | | | | | | |")
        return blocks

    monkeypatch.setattr(script, "blocks", changed)
    assert script.stale() == [f"{doc}: {name}"]


def test_the_meeting_docs_are_generated_from_its_table(monkeypatch):
    """A step changed in `TRANSITIONS` changes docs/meetings.md's table and diagram."""
    script = _script()
    hold = meetings.TRANSITIONS["hold"]
    later = dataclasses.replace(hold, sources=hold.sources | {meetings.S.CANCELLED})
    monkeypatch.setitem(meetings.TRANSITIONS, "hold", later)
    assert "cancelled --> held: hold" in meetings.diagram()
    assert script.stale() == [
        "docs/meetings.md: meeting-lifecycle-table",
        "docs/meetings.md: meeting-lifecycle-diagram",
    ]


def test_the_plan_docs_are_generated_from_its_table(monkeypatch):
    """A step added to `STEPS` changes docs/plans.md's table and diagram."""
    script = _script()
    reopen = plans.Step(
        "reopen", "Reopen", frozenset({plans.S.SUPERSEDED}), plans.S.DRAFT,
        plans.roles.EDITORS_OF_PLANS, True,
    )  # fmt: skip
    monkeypatch.setitem(plans.STEPS, "reopen", reopen)
    assert "superseded --> draft: reopen" in plans.diagram()
    assert "| `reopen` (Reopen) | superseded | draft |" in plans.table()
    assert script.stale() == [
        "docs/plans.md: plan-lifecycle-table",
        "docs/plans.md: plan-lifecycle-diagram",
    ]
