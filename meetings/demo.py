"""Loads the demo partnership's meetings from fixtures/demo/meetings/: the Board's
minutes of 27 October 2016, its agenda and pack of 26 January 2017 (with the
generated papers other apps provide: the performance summary, Appendix B's budget
tables, the Forward Programme), the Forward Programme and the meetings scheduled after
it (all from the real papers in seed 001), and seed 003's partner reports of October 2022
with their performance tables; then meetings.demo_today adds the next meetings as they
stand on the day the demo is loaded.

Idempotent: people, meetings and Forward Programme entries are found by natural keys,
and a meeting's agenda or minutes are only built when it has none yet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from csp_portal.demo import read_csv
from csp_portal.extension_points import registry
from csp_portal.financial_year import Quarter
from csp_portal.models import Organisation, Partnership, Profile
from meetings import agenda, attendance, generated_papers, minutes, papers, publishing, scheduling
from meetings.demo_today import load_today
from meetings.models import (
    ForwardProgrammeEntry,
    ForwardProgrammeEvent,
    ItemKind,
    Meeting,
    MeetingStatus,
    PartnerReport,
    PerformanceRow,
    ThemeUpdate,
)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _people(directory: Path) -> dict:
    """The real people named in the papers, as users who cannot sign in."""
    User = get_user_model()
    people = {}
    for row in read_csv(directory / "people.csv"):
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={"first_name": row["first_name"], "last_name": row["last_name"]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        organisation = Organisation.objects.filter(name=row["organisation"]).first()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "title": row["title"],
                "organisation": organisation,
                "job_title": row["job_title"],
            },
        )
        people[row["username"]] = user
    return people


def _meetings(partnership: Partnership, directory: Path) -> dict[tuple[str, str], Meeting]:
    meetings = {}
    for row in read_csv(directory / "meetings.csv"):
        body = partnership.bodies.get(slug=row["body"])
        meeting, _ = Meeting.objects.get_or_create(
            body=body,
            date=dt.date.fromisoformat(row["date"]),
            start_time=_time(row["start_time"]),
            defaults={"venue": row["venue"]},
        )
        meetings[(row["body"], row["date"])] = meeting
    return meetings


def _forward_programme(partnership, directory: Path, meetings) -> None:
    for row in read_csv(directory / "forward_programme.csv"):
        body = partnership.bodies.get(slug=row["body"])
        fields = {"detail": row["detail"], "timing": row["timing"], "action_by": row["action_by"]}
        if row["timing"] == "annual":
            fields["annual_month"] = int(row["target"])
        elif row["timing"] == "meeting":
            fields["target_meeting"] = meetings[(row["body"], row["target"])]
        elif row["timing"] == "date":
            fields["target_date"] = dt.date.fromisoformat(row["target"])
        entry, _ = ForwardProgrammeEntry.objects.update_or_create(
            body=body, item=row["item"], defaults=fields
        )
        if row["history"]:
            date_text, _, note = row["history"].partition(": ")
            try:
                date = dt.date.fromisoformat(date_text)
            except ValueError:
                date, note = dt.date(2016, 10, 27), row["history"]
            ForwardProgrammeEvent.objects.get_or_create(
                entry=entry,
                note=note,
                defaults={
                    "date": date,
                    "meeting": Meeting.objects.filter(body=body, date=date).first(),
                },
            )


def _minutes(partnership, path: Path, people) -> Meeting:
    spec = json.loads(path.read_text(encoding="utf-8"))
    body = partnership.bodies.get(slug=spec["body"])
    meeting = Meeting.objects.get(body=body, date=dt.date.fromisoformat(spec["date"]))
    if meeting.items.exists():
        return meeting
    for row in spec["attendance"]:
        attendance.record_attendance(
            meeting=meeting,
            person=people[row["person"]],
            status=row["status"],
            role=row.get("role", ""),
        )

    def add(entry: dict, parent=None) -> None:
        item = agenda.add_item(
            meeting=meeting,
            title=entry["title"],
            parent=parent,
            presenter=people.get(entry.get("presenter", "")),
        )
        if entry["discussion"] or entry["resolutions"]:
            minutes.record_minute(
                item=item,
                discussion="\n".join(entry["discussion"]),
                resolutions=entry["resolutions"],
            )
        for action in entry.get("actions", []):
            made = minutes.add_action(
                meeting=meeting,
                item=item,
                description=action["description"],
                owner=people.get(action["owner"]),
                due_date=dt.date.fromisoformat(action["due"]),
            )
            if action["status"] != "open":
                made.status = action["status"]
                made.save(update_fields=["status"])
        for child in entry.get("children", []):
            add(child, item)

    for entry in spec["items"]:
        add(entry)
    return meeting


def _reports(partnership, directory: Path) -> dict[str, PartnerReport]:
    from plans.selectors import latest_themes_by_number

    themes = latest_themes_by_number(partnership)
    reports = {}
    for spec in json.loads((directory / "reports.json").read_text(encoding="utf-8")):
        organisation = Organisation.objects.get(name=spec["organisation"])
        fields = {
            k: spec[k]
            for k in (
                "author",
                "summary",
                "recommendations",
                "performance_data",
                "budget_implications",
                "key_risks",
                "planned_activity",
                "other_updates",
                "gaps_support",
            )
        }
        unmatched = [
            f"Theme {n}: {text}" for n, text in spec["themes"].items() if int(n) not in themes
        ]
        if unmatched:  # no plan loaded: keep the text rather than lose it
            fields["other_updates"] = "\n".join([fields["other_updates"], *unmatched]).strip()
        if spec.get("quarter"):
            number, year = spec["quarter"].split(" ")  # "Q2 2022/23"
            quarter = Quarter.parse(year, number)
            fields["financial_year"], fields["quarter"] = quarter.financial_year, quarter.number
        report, _ = PartnerReport.objects.update_or_create(
            partnership=partnership,
            organisation=organisation,
            subject=spec["subject"],
            date=dt.date.fromisoformat(spec["date"]),
            defaults=fields,
        )
        for number, text in spec["themes"].items():
            if int(number) in themes:
                ThemeUpdate.objects.update_or_create(
                    report=report, theme=themes[int(number)], defaults={"text": text}
                )
        _performance_rows(report, spec.get("rows", []))
        reports[spec["key"]] = report
    return reports


def _performance_rows(report: PartnerReport, rows: list) -> None:
    """The report's performance table: [crime type, a year ago, now] per row, the
    change computed (the paper's own column was typed by hand: +109.8% where the
    figures give +109.9%)."""
    from performance.selectors import change_pct

    for order, (crime_type, previous, current) in enumerate(rows, start=1):
        PerformanceRow.objects.update_or_create(
            report=report,
            order=order,
            defaults={
                "crime_type": crime_type,
                "previous": previous,
                "current": current,
                "change_pct": change_pct(previous, current),
            },
        )


def _block_params(partnership, params: dict) -> dict | None:
    """A generated paper's parameters, with a fund named in the fixture (a fund's id
    differs from one database to the next) replaced by its id; None when that fund is
    not loaded, so the paper is left out rather than published failing."""
    fund = params.get("fund")
    if not isinstance(fund, dict):
        return params
    # Only reached when the funding app registered the block, so its model exists.
    Fund = apps.get_model("funding", "Fund")
    found = Fund.objects.filter(
        partnership=partnership, name=fund["name"], financial_year=fund["financial_year"]
    ).first()
    return None if found is None else {**params, "fund": found.pk}


def _agenda(partnership, path: Path, people, reports, papers_dir: Path) -> Meeting:
    spec = json.loads(path.read_text(encoding="utf-8"))
    body = partnership.bodies.get(slug=spec["body"])
    meeting = Meeting.objects.get(body=body, date=dt.date.fromisoformat(spec["date"]))
    if meeting.items.exists():
        return meeting

    def add(entry: dict, parent=None) -> None:
        presenter = people.get(entry.get("presenter", ""))
        exempt = entry.get("exempt")  # {"paragraph": 3, "reason": "…"}: Schedule 12A
        item = agenda.add_item(
            is_exempt=bool(exempt),
            exempt_paragraph=exempt["paragraph"] if exempt else None,
            exempt_reason=exempt["reason"] if exempt else "",
            meeting=meeting,
            title=entry["title"],
            purpose=entry.get("purpose", ""),
            parent=parent,
            kind=entry.get("kind", ItemKind.BUSINESS),
            presenter=presenter,
            presenter_name=entry.get("presenter_name", ""),
        )
        for paper in entry.get("papers", []):
            if "report" in paper:
                papers.attach_report(item=item, report=reports[paper["report"]])
            elif "upload" in paper:
                content = (papers_dir / paper["upload"]).read_bytes()
                papers.attach_upload(
                    item=item, name=paper["upload"], content=content, title=paper["title"]
                )
            elif paper["block"] in registry.pack_blocks:  # only blocks some app provides
                params = _block_params(partnership, paper["params"])
                if params is not None:
                    # refused (e.g. the quarter's figures are not loaded): left out, as above
                    with contextlib.suppress(ValidationError):
                        generated_papers.attach_generated_paper(
                            item=item, key=paper["block"], params=params, title=paper["title"]
                        )
        for child in entry.get("children", []):
            add(child, item)

    for entry in spec["items"]:
        add(entry)
    return meeting


@transaction.atomic
def load(partnership: Partnership, directory: Path) -> None:
    directory = (
        Path(directory) / "meetings" if (Path(directory) / "meetings").is_dir() else Path(directory)
    )
    people = _people(directory)
    meetings = _meetings(partnership, directory)
    _forward_programme(partnership, directory, meetings)
    october = _minutes(partnership, directory / "minutes_2016-10-27.json", people)
    # The October meeting happened as meetings do: agenda published, then held (writing
    # its minutes changes neither; access.is_public reads the publication).
    if not october.packs.exists() and october.status == MeetingStatus.SCHEDULED:
        publishing.publish_agenda(meeting=october)
        october.refresh_from_db()
    if october.status in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        scheduling.set_status(meeting=october, status=MeetingStatus.HELD)
    reports = _reports(partnership, directory)
    january = _agenda(
        partnership, directory / "agenda_2017-01-26.json", people, reports, directory / "papers"
    )
    if not january.packs.exists():
        publishing.publish_agenda(meeting=january)
    october.refresh_from_db()
    if october.status == MeetingStatus.HELD:
        minutes.confirm_minutes(meeting=october, at=january, signed_by=people["j.morgan"])
    load_today(partnership, directory)
