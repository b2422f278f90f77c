"""The bid life cycle written out for docs/funding.md, from the table in
funding/lifecycle.py: a Mermaid state diagram and a Markdown table of the steps
(scripts/docs_lifecycles.py writes them into the docs; a test keeps the two equal)."""

from __future__ import annotations

from funding.lifecycle import STEPS
from funding.models import FINAL_STATES, BidState


def diagram() -> str:
    """The life cycle as a Mermaid state diagram, generated from the table (docs/funding.md
    carries it; a test keeps the two equal)."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for step in STEPS:
        for source in sorted(step.sources):
            for target in sorted(step.targets):
                if source == target:
                    continue
                lines.append(f"    {source} --> {target}: {step.name}")
    lines += [f"    {state} --> [*]" for state in sorted(FINAL_STATES)]
    return "\n".join(lines)


def table() -> str:
    """The life cycle as a Markdown table, generated from the table for docs/funding.md."""
    rows = [
        "| step | from | to | who | reasons | tells | route |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for step in STEPS:
        unfinished = frozenset(BidState.values) - FINAL_STATES
        sources = "any but final" if step.sources == unfinished else ", ".join(sorted(step.sources))
        rows.append(
            f"| `{step.name}` ({step.label}) | {sources} | {', '.join(sorted(step.targets))} "
            f"| {step.who} | {'required' if step.needs_reasons else ''} | {step.notifies} "
            f"| {step.route} |"
        )
    return "\n".join(rows)
