"""What meetings adds to shared pages: upcoming meetings on the home page, agenda items
and partner reports on a priority's page, the Forward Programme as a generated paper."""

from __future__ import annotations

import datetime as dt

from csp_portal.extension_points import home_sections, links_for_priority, pack_block
from csp_portal.models import Profile
from meetings import agenda, publishing, scheduling
from meetings.models import ForwardProgrammeEntry, PartnerReport, Timing
from plans.models import Plan, Priority, Theme
from tests.factories import OrganisationFactory
from tests.meetings.factories import report_post


def test_home_page_lists_upcoming_meetings(client_for, board_member, body, partnership):
    soon = scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=10))
    scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=300))
    section = next(s for s in home_sections() if s.key == "upcoming_meetings")
    entries = list(section.provider(board_member))
    assert [e.due for e in entries] == [soon.date]
    page = client_for(board_member).get("/")
    assert f"{soon.date:%-d %B %Y}" in page.content.decode()


def test_partner_sees_only_published_upcoming_meetings(partner, body):
    scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=10))
    section = next(s for s in home_sections() if s.key == "upcoming_meetings")
    assert list(section.provider(partner)) == []


def test_outsider_sees_no_meetings_of_another_partnership(outsider, body):
    scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=10))
    section = next(s for s in home_sections() if s.key == "upcoming_meetings")
    assert list(section.provider(outsider)) == []


def test_priority_lists_agenda_items_and_partner_reports(partnership, pack_meeting):
    plan = Plan.objects.create(
        partnership=partnership, title="Plan", first_year=2017, last_year=2019
    )
    theme = Theme.objects.create(plan=plan, number=1, title="Making Communities Safer")
    priority = Priority.objects.create(plan=plan, theme=theme, number=1, title="Reduce crime")
    item = pack_meeting.items.get(title="County Council Update")
    item.priorities.add(priority)
    secret = pack_meeting.items.get(title="Contract award")
    secret.priorities.add(priority)
    report = PartnerReport.objects.get(subject="County matters")
    report.priorities.add(priority)
    assert not [link for link in links_for_priority(priority) if link.kind == "Agenda item"]
    publishing.publish_agenda(meeting=pack_meeting)
    links = links_for_priority(priority)
    kinds = sorted((link.kind, link.title.split(" (")[0]) for link in links)
    assert kinds == [("Agenda item", "County Council Update"), ("Partner report", "County matters")]


def test_forward_programme_block_prints_the_programme(partnership, body):
    ForwardProgrammeEntry.objects.create(
        body=body,
        item="Appointment of Vice-chair",
        timing=Timing.ANNUAL,
        annual_month=7,
        action_by="Committee Clerk",
    )
    html = pack_block("forward_programme").render(partnership, {"body": body.slug})
    assert "Appointment of Vice-chair" in html
    assert "July (Annual)" in html
    assert "Committee Clerk" in html


def test_partner_writes_a_report_with_theme_updates(client_for, partner, partnership):
    plan = Plan.objects.create(
        partnership=partnership, title="Plan", first_year=2022, last_year=2024, status="adopted"
    )
    theme = Theme.objects.create(plan=plan, number=2, title="Protecting Vulnerable People")
    org = OrganisationFactory(name="Probation Service")
    partnership.organisations.add(org)
    Profile.objects.filter(user=partner).update(organisation=org)  # the partner's own
    url = f"/p/{partnership.slug}/meetings/reports/new/"
    form = {
        "organisation": org.pk,
        "author": "M Clay",
        "date": "2022-10-16",
        "subject": "Probation update",
        "summary": "Requested for CSP",
        f"theme_{theme.pk}": "We continue to manage offenders in line with statutory duties.",
        **report_post(partnership),
    }
    missing = client_for(partner).post(url, {**form, "summary": ""})
    assert missing.status_code == 400
    assert "M Clay" in missing.content.decode()  # what was typed is kept
    assert client_for(partner).post(url, form).status_code == 302
    report = PartnerReport.objects.get(subject="Probation update")
    assert report.updates.get().theme == theme


def test_partner_report_page_is_for_members_of_its_partnership(
    client_for, partner, outsider, partnership, pack_meeting
):
    report = PartnerReport.objects.get(subject="County matters")
    url = f"/p/{partnership.slug}/meetings/reports/{report.pk}/"
    page = client_for(partner).get(url)
    assert page.status_code == 200 and "REPORT SUMMARY TEXT" in page.content.decode()
    assert client_for(outsider).get(url).status_code == 403


def test_clerk_ties_an_item_to_plan_priorities_from_its_edit_page(
    client_for, clerk, partnership, other_partnership, body
):
    plan = Plan.objects.create(
        partnership=partnership, title="Plan", first_year=2017, last_year=2019, status="adopted"
    )
    theme = Theme.objects.create(plan=plan, number=1, title="Making Communities Safer")
    priority = Priority.objects.create(plan=plan, theme=theme, number=1, title="Reduce crime")
    elsewhere = Priority.objects.create(
        plan=Plan.objects.create(
            partnership=other_partnership, title="Melton plan", first_year=2017, last_year=2019
        ),
        theme=Theme.objects.create(plan=plan, number=2, title="Other"),
        number=1,
        title="Not ours",
    )
    meeting = scheduling.schedule_meeting(body=body, date=dt.date.today() + dt.timedelta(days=10))
    item = agenda.add_item(meeting=meeting, title="Night-time economy")
    url = f"/p/{partnership.slug}/meetings/items/{item.pk}/"
    client = client_for(clerk)

    form = client.get(url).content.decode()
    assert "Priority 1 – Reduce crime" in form and "Not ours" not in form

    # the edit form sends back the item's version (a post without one counts as stale)
    refused = client.post(
        url, {"title": item.title, "priorities": [elsewhere.pk], "version": item.version}
    )
    assert refused.status_code == 400 and list(item.priorities.all()) == []

    saved = client.post(
        url, {"title": item.title, "priorities": [priority.pk], "version": item.version}
    )
    assert saved.status_code == 302
    assert list(item.priorities.all()) == [priority]
    publishing.publish_agenda(meeting=meeting)
    assert [link.title.split(" (")[0] for link in links_for_priority(priority)] == [
        "Night-time economy"
    ]
