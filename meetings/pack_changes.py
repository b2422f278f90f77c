"""What changed between two pack snapshots (`meetings.publishing.snapshot`), in words for
the pack's "what has changed" list: each difference as (kind, sentence), the kind telling
a paper added (a supplement is enough) from anything else (a revised pack)."""

from __future__ import annotations

import datetime as dt


def _time(text: str) -> str:
    return dt.time.fromisoformat(text).strftime("%-I.%M %p").lower()


def meeting_changes(was: dict, now: dict) -> list[tuple[str, str]]:
    changes = []
    if was["date"] != now["date"]:
        old, new = (dt.date.fromisoformat(d) for d in (was["date"], now["date"]))
        changes.append(("meeting", f"Date changed from {old:%-d %B %Y} to {new:%-d %B %Y}."))
    if was["start_time"] != now["start_time"]:
        changes.append(
            (
                "meeting",
                f"Start time changed from {_time(was['start_time'])} to "
                f"{_time(now['start_time'])}.",
            )
        )
    if was["venue"] != now["venue"]:
        changes.append(("meeting", f"Venue changed from “{was['venue']}” to “{now['venue']}”."))
    return changes


def _exemption_change(was: dict, row: dict) -> str | None:
    label = f"Item {row['number']} “{row['title']}”"
    paragraph = row.get("paragraph")
    if was.get("exempt") != row.get("exempt"):
        if row.get("exempt"):
            return (
                f"{label} is now exempt (paragraph {paragraph} of Part 1 of Schedule 12A "
                "to the Local Government Act 1972)."
            )
        return f"{label} is no longer exempt."
    if row.get("exempt") and was.get("paragraph") != paragraph:
        return (
            f"{label} is now exempt by virtue of paragraph {paragraph} "
            f"(was paragraph {was.get('paragraph')})."
        )
    if row.get("exempt") and was.get("reason", row.get("reason")) != row.get("reason"):
        return f"{label}: public interest reason changed."
    return None


def item_changes(was: dict, row: dict) -> list[tuple[str, str]]:
    changes = []
    if was["number"] != row["number"]:
        changes.append(
            ("item", f"Item {was['number']} “{row['title']}” is now item {row['number']}.")
        )
    if was["title"] != row["title"]:
        changes.append(("item", f"Item {row['number']} retitled “{row['title']}”."))
    if was["purpose"] != row["purpose"]:
        changes.append(("item", f"Item {row['number']} “{row['title']}”: description changed."))
    if was.get("presenter", row.get("presenter")) != row.get("presenter"):
        changes.append(("item", f"Item {row['number']} “{row['title']}”: presenter changed."))
    exemption = _exemption_change(was, row)
    if exemption:
        changes.append(("exemption", exemption))
    old_papers = {p["id"]: p for p in was["papers"]}
    new_ids = {p["id"] for p in row["papers"]}
    for paper in row["papers"]:
        prior = old_papers.get(paper["id"])
        if prior is None:
            changes.append(
                ("paper_added", f"Item {row['number']}: paper “{paper['title']}” added.")
            )
        elif prior["fingerprint"] != paper["fingerprint"]:
            changes.append(("paper", f"Item {row['number']}: paper “{paper['title']}” revised."))
    for pid, paper in old_papers.items():
        if pid not in new_ids:
            changes.append(("paper", f"Item {row['number']}: paper “{paper['title']}” withdrawn."))
    return changes


def attendance_changes(was: list, now: list) -> list[tuple[str, str]]:
    before = {a["name"]: a["status"] for a in was}
    after = {a["name"]: a["status"] for a in now}
    changes = []
    for name, status in after.items():
        if before.get(name) != status:
            changes.append(("attendance", f"Attendance: {name} now “{status}”."))
    for name in before.keys() - after.keys():
        changes.append(("attendance", f"Attendance: {name} no longer listed."))
    return changes
