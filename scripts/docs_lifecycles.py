"""Write the life-cycle tables and diagrams declared in code into the docs.

    DEBUG=1 .venv/bin/python scripts/docs_lifecycles.py          # rewrite the docs
    DEBUG=1 .venv/bin/python scripts/docs_lifecycles.py --check  # exit 1 if out of date

Each block sits between `<!-- generated: NAME -->` and `<!-- end: NAME -->` markers, so
the docs can never describe a life cycle other than the one the code enforces
(tests/core/test_docs_lifecycles.py runs the check).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def blocks() -> dict[str, tuple[Path, Callable[[], str]]]:
    from funding import lifecycle_docs as bids
    from meetings import lifecycle as meetings
    from plans import lifecycle as plans

    return {
        "bid-lifecycle-table": (ROOT / "docs/funding.md", bids.table),
        "bid-lifecycle-diagram": (ROOT / "docs/funding.md", lambda: _mermaid(bids.diagram())),
        "meeting-lifecycle-table": (ROOT / "docs/meetings.md", meetings.table_markdown),
        "meeting-lifecycle-diagram": (
            ROOT / "docs/meetings.md",
            lambda: _mermaid(meetings.diagram()),
        ),
        "plan-lifecycle-table": (ROOT / "docs/plans.md", plans.table),
        "plan-lifecycle-diagram": (ROOT / "docs/plans.md", lambda: _mermaid(plans.diagram())),
    }


def _mermaid(diagram: str) -> str:
    return f"```mermaid\n{diagram}\n```"


def render(text: str, name: str, content: str) -> str:
    pattern = re.compile(
        rf"(<!-- generated: {re.escape(name)} -->\n)(?:.*?\n)?(<!-- end: {re.escape(name)} -->)",
        re.S,
    )
    if not pattern.search(text):
        raise SystemExit(f"{name}: no '<!-- generated: {name} -->' block in the docs")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def stale() -> list[str]:
    """The blocks whose text in the docs differs from the code's."""
    out = []
    for name, (path, make) in blocks().items():
        text = path.read_text(encoding="utf-8")
        if render(text, name, make()) != text:
            out.append(f"{path.relative_to(ROOT)}: {name}")
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        out = stale()
        for line in out:
            print(f"out of date: {line} (run scripts/docs_lifecycles.py)")
        return 1 if out else 0
    for name, (path, make) in blocks().items():
        path.write_text(render(path.read_text(encoding="utf-8"), name, make()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")
    import django

    django.setup()
    raise SystemExit(main(sys.argv[1:]))
