"""The docs' life-cycle tables and diagrams are the ones the code declares."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "docs_lifecycles.py"


def _script():
    spec = importlib.util.spec_from_file_location("docs_lifecycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_show_the_life_cycles_the_code_declares():
    assert _script().stale() == []


def test_a_changed_table_makes_the_docs_stale(monkeypatch):
    script = _script()
    original = script.blocks

    def changed():
        blocks = original()
        path, make = blocks["bid-lifecycle-table"]
        blocks["bid-lifecycle-table"] = (path, lambda: make() + "\n| `extra` | | | | | | |")
        return blocks

    monkeypatch.setattr(script, "blocks", changed)
    assert script.stale() == ["docs/funding.md: bid-lifecycle-table"]
