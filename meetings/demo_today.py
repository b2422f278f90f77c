"""The demo partnership's meetings as they stand on the day the demo is loaded
(fixtures/demo/meetings/today.json): the Board's and the Strategic Group's next meetings
a few weeks ahead, each agenda proposed from the body's Forward Programme, with a
generated paper or two, a partner report in and waiting to be attached, a partner's
report asked for and not yet in, and one exempt item (Schedule 12A) on the Board's,
whose agenda pack is published (the members' and the public one).

Idempotent: a body that already has a meeting in the next eight weeks keeps it (and its
agenda, once it has one); nothing is added twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from csp_portal.demo import weekday_on_or_after
from csp_portal.extension_points import registry
from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Body, Organisation, Partnership
from meetings import agenda, generated_papers, publishing, reports, scheduling
from meetings.models import AgendaItem, Meeting, MeetingStatus, PartnerReport

#: A body's next meeting is looked for this far ahead before one is scheduled.
WINDOW_DAYS = 56


def next_meeting(body: Body, *, weekday: int, lead_days: int, today: dt.date) -> Meeting:
    """The body's next meeting within WINDOW_DAYS, else one scheduled on the first
    `weekday` at least `lead_days` ahead (at the body's usual time and place)."""
    found = (
        Meeting.objects.filter(
            body=body, date__gt=today, date__lte=today + dt.timedelta(days=WINDOW_DAYS)
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date", "start_time")
        .first()
    )
    if found is not None:
        return found
    date = weekday_on_or_after(today + dt.timedelta(days=lead_days), weekday)
    return scheduling.schedule_meeting(body=body, date=date, propose=False)


def _params(partnership: Partnership, params: dict, today: dt.date) -> tuple[dict, str] | None:
    """A generated paper's parameters for the day, and the quarter or year they name (for
    its title): "latest" is the latest quarter the partnership has figures for; a fund's
    "current" year is the year of the day (its id looked up). None when the data is not
    loaded: the paper is left out."""
    label = ""
    if params.get("quarter") == "latest":
        from performance.selectors import latest_quarter_with

        quarter = latest_quarter_with([partnership], "ALL")
        if quarter is None:
            return None
        params = {**params, "quarter": str(quarter)}
        label = str(quarter)
    fund = params.get("fund")
    if isinstance(fund, dict):
        year = fund["financial_year"]
        year = FinancialYear.for_date(today) if year == "current" else FinancialYear.parse(year)
        # Only reached when the funding app registered the block, so its model exists.
        Fund = apps.get_model("funding", "Fund")
        found = Fund.objects.filter(partnership=partnership, name=fund["name"], financial_year=year)
        if not found.exists():
            return None
        params = {**params, "fund": found.first().pk}
        label = str(year)
    return params, label


def _item(meeting: Meeting, spec: dict, users: dict, quarter: Quarter) -> AgendaItem:
    exempt = spec.get("exempt")  # {"paragraph": 7, "reason": "…"}
    return agenda.add_item(
        meeting=meeting,
        title=spec["title"],
        purpose=spec.get("purpose", "").format(quarter=quarter),
        presenter=users.get(spec.get("presenter", "")),
        presenter_organisation=Organisation.objects.filter(
            name=spec.get("presenter_organisation", "")
        ).first(),
        is_exempt=bool(exempt),
        exempt_paragraph=exempt["paragraph"] if exempt else None,
        exempt_reason=exempt["reason"] if exempt else "",
    )


def _report(partnership: Partnership, meeting: Meeting, spec: dict, today: dt.date) -> None:
    """A partner report written for the meeting, its performance table prefilled from
    the latest year to date the portal holds, as the report form prefills it."""
    organisation = Organisation.objects.get(name=spec["organisation"])
    if PartnerReport.objects.filter(
        partnership=partnership, organisation=organisation, meeting=meeting
    ).exists():
        return
    from performance.selectors import latest_quarter_with

    figures = latest_quarter_with([partnership], "ALL")
    reports.submit_partner_report(
        partnership=partnership,
        organisation=organisation,
        author=spec["author"],
        date=today,
        subject=spec["subject"],
        summary=spec["summary"].format(figures=figures or "the latest quarter"),
        quarter=Quarter.latest_complete(today),
        meeting=meeting,
        rows=reports.prefilled_rows(partnership, figures) if figures else (),
        recommendations=spec.get("recommendations", ""),
        key_risks=spec.get("key_risks", ""),
        planned_activity=spec.get("planned_activity", ""),
        today=today,
    )


def load_today(partnership: Partnership, directory: Path, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    spec = json.loads((Path(directory) / "today.json").read_text(encoding="utf-8"))
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    quarter = Quarter.latest_complete(today)
    for body_spec in spec["meetings"]:
        body = partnership.bodies.filter(slug=body_spec["body"]).first()
        if body is None:
            continue
        meeting = next_meeting(
            body, weekday=body_spec["weekday"], lead_days=body_spec["lead_days"], today=today
        )
        for report_spec in body_spec["reports"]:
            _report(partnership, meeting, report_spec, today)
        if meeting.items.exists():
            continue  # its agenda is built already (by an earlier load, or the clerk)
        agenda.propose_agenda(meeting=meeting)
        for item_spec in body_spec["items"]:
            _item(meeting, item_spec, users, quarter)
        for paper in body_spec["papers"]:
            item = meeting.items.filter(title=paper["item"]).first()
            found = _params(partnership, paper["params"], today)
            if item is None or found is None or paper["block"] not in registry.pack_blocks:
                continue
            params, label = found
            # refused (e.g. the quarter's figures are incomplete): left out, as above
            with contextlib.suppress(ValidationError):
                generated_papers.attach_generated_paper(
                    item=item,
                    key=paper["block"],
                    params=params,
                    title=paper["title"].format(label=label),
                )
        if body_spec.get("publish") and not meeting.packs.exists():
            # published with papers still to come, as clerks do: they follow in a
            # supplementary pack
            publishing.publish_agenda(meeting=meeting)
