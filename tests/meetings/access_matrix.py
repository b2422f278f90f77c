"""Who gets what from the meetings app's URLs, and from the public (no login) pages it
mounts under /public/. Read by tests/e2e/test_permission_matrix.py.

The rules (docs/meetings.md, "Who sees what"):
- clerks and partnership administrators edit everything (Role.ADMIN holds every role);
- board members read everything, drafts and exempt items included, and edit nothing;
- partners and performance officers read what is published, never an exempt paper, and
  never minutes before they are confirmed; partners (and clerks) write partner reports,
  a partner only for their own organisation;
- another partnership's members get 403; anonymous visitors are sent to sign in;
- the public pages serve everyone, signed in or not, but only a published agenda: an
  unpublished meeting, a pack never issued or minutes not yet confirmed are 404.

Every builder makes its records afresh: each visitor's request runs in a savepoint that
is rolled back. A kwargs builder leaves the objects a data builder needs in world.extra
(kwargs are always built first, in the same savepoint).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from csp_portal.models import Profile, Role
from meetings import agenda, forward_programme, minutes, papers, publishing, scheduling
from meetings.models import Meeting, PartnerReport, Timing
from tests.e2e.matrix import Access, World, for_roles
from tests.factories import OrganisationFactory
from tests.meetings.factories import board, make_pdf, report_post

#: The meeting most URLs are built for, and the one before it (both in the past, so
#: attendance and minutes can be written).
DATE = dt.date(2017, 1, 26)
EARLIER = dt.date(2016, 10, 27)

EDITORS = for_roles(Role.CLERK, Role.ADMIN)
EDITORS_REDIRECT = for_roles(Role.CLERK, Role.ADMIN, status=302)
FULL_READERS = for_roles(Role.CLERK, Role.BOARD_MEMBER, Role.ADMIN)
#: The public pages: the same answer for every visitor, signed in or not.
PUBLIC = {"anonymous": 200, "roles": 200, "staff": 200, "staff_only": 200, "outsider": 200}
NOT_PUBLIC = {"anonymous": 404, "roles": 404, "staff": 404, "staff_only": 404, "outsider": 404}


# --- records -------------------------------------------------------------------------


def _meeting(world: World, *, date: dt.date = DATE) -> Meeting:
    """A scheduled (unpublished) Board meeting with its proposed agenda."""
    body = world.extra.get("body")
    if body is None or body.partnership_id != world.partnership.pk or not _exists(body):
        body = board(world.partnership)
    world.extra["body"] = body
    meeting = scheduling.schedule_meeting(body=body, date=date)
    world.extra["meeting"] = meeting
    return meeting


def _exists(record) -> bool:
    # world.extra outlives the savepoint a record was made in; only reuse what survived.
    return type(record).objects.filter(pk=record.pk).exists()


def _upload(item, label: str, **fields):
    return papers.attach_upload(
        item=item, name=f"{label}.pdf", content=make_pdf(label.upper()), **fields
    )


def _published(world: World) -> Meeting:
    """A meeting whose agenda pack has been published, with a public and an exempt item,
    each with an uploaded paper."""
    meeting = _meeting(world)
    open_item = agenda.add_item(meeting=meeting, title="Performance report")
    world.extra["paper"] = _upload(open_item, "performance")
    secret = agenda.add_item(
        meeting=meeting,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercial",
    )
    world.extra["exempt_paper"] = _upload(secret, "contract")
    publishing.publish_agenda(meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def _held(world: World) -> Meeting:
    """A meeting marked held (never published), with a minute: its minutes are a draft
    until confirmed, and it is not on the public site."""
    meeting = _meeting(world, date=EARLIER)
    apologies = meeting.items.get(kind="apologies")
    minutes.record_minute(item=apologies, discussion="Apologies noted.", resolutions=[])
    scheduling.set_status(meeting=meeting, status="held")
    meeting.refresh_from_db()
    return meeting


def _published_held(world: World) -> Meeting:
    """A meeting whose agenda was published, then held and minuted."""
    meeting = _meeting(world, date=EARLIER)
    publishing.publish_agenda(meeting=meeting)
    apologies = meeting.items.get(kind="apologies")
    minutes.record_minute(item=apologies, discussion="Apologies noted.", resolutions=[])
    scheduling.set_status(meeting=meeting, status="held")
    meeting.refresh_from_db()
    return meeting


def _confirmed(world: World) -> Meeting:
    """A published, held meeting whose minutes were confirmed at the next meeting (now
    locked)."""
    meeting = _published_held(world)
    later = _meeting(world, date=DATE)
    minutes.confirm_minutes(meeting=meeting, at=later, signed_by=world.users[Role.CLERK])
    meeting.refresh_from_db()
    world.extra["meeting"] = meeting
    return meeting


# --- kwargs builders -----------------------------------------------------------------


def _pk(meeting: Meeting, world: World) -> dict:
    return {"partnership": world.partnership.slug, "pk": meeting.pk}


def unpublished_meeting(world: World) -> dict:
    return _pk(_meeting(world), world)


def published_meeting(world: World) -> dict:
    return _pk(_published(world), world)


def held_meeting(world: World) -> dict:
    return _pk(_held(world), world)


def confirmed_meeting(world: World) -> dict:
    return _pk(_confirmed(world), world)


def _confirm(step: str):
    def kwargs(world: World) -> dict:
        if step == "confirm_previous":
            _held(world)  # minutes to confirm, at the next meeting
        return {**_pk(_meeting(world), world), "step": step}

    return kwargs


def agenda_item(world: World) -> dict:
    """The Apologies item of an unpublished past meeting (it can be edited and minuted)."""
    item = _meeting(world).items.get(kind="apologies")
    world.extra["item"] = item
    return {"partnership": world.partnership.slug, "pk": item.pk}


def open_paper(world: World) -> dict:
    _published(world)
    return {"partnership": world.partnership.slug, "pk": world.extra["paper"].pk}


def exempt_paper(world: World) -> dict:
    _published(world)
    return {"partnership": world.partnership.slug, "pk": world.extra["exempt_paper"].pk}


def _with_exempt_sub_item(world: World) -> Meeting:
    """A published meeting with an exempt item and, under it, a plain sub-item (not
    marked exempt itself) carrying an uploaded paper: exempt by inheritance."""
    meeting = _meeting(world)
    secret = agenda.add_item(
        meeting=meeting,
        title="Named offenders",
        is_exempt=True,
        exempt_paragraph=7,
        exempt_reason="Paragraph 7: prevention of crime",
    )
    sub = agenda.add_item(meeting=meeting, title="Case review", parent=secret)
    world.extra["sub_item"] = sub
    world.extra["sub_paper"] = _upload(sub, "case review")
    publishing.publish_agenda(meeting=meeting)
    return meeting


def exempt_sub_item_paper(world: World) -> dict:
    _with_exempt_sub_item(world)
    return {"partnership": world.partnership.slug, "pk": world.extra["sub_paper"].pk}


def exempt_sub_item(world: World) -> dict:
    _with_exempt_sub_item(world)
    return {"partnership": world.partnership.slug, "pk": world.extra["sub_item"].pk}


def open_action(world: World) -> dict:
    meeting = _held(world)
    action = minutes.add_action(meeting=meeting, description="Circulate the strategy")
    return {"partnership": world.partnership.slug, "pk": action.pk}


def partner_report(world: World) -> dict:
    organisation = OrganisationFactory(name="Leicestershire Police")
    report = PartnerReport.objects.create(
        partnership=world.partnership,
        organisation=organisation,
        author="D Barker",
        date=dt.date(2017, 1, 10),
        subject="Police update",
        summary="Quarter three.",
    )
    return {"partnership": world.partnership.slug, "pk": report.pk}


def board_slug(world: World) -> dict:
    _meeting(world)
    return {"partnership": world.partnership.slug, "slug": world.extra["body"].slug}


def programme_entry(world: World) -> dict:
    kwargs = board_slug(world)
    entry = forward_programme.plan_forward_programme_entry(
        body=world.extra["body"], item="Annual strategic assessment", timing=Timing.STANDING
    )
    return {**kwargs, "pk": entry.pk}


def _public(world: World, meeting: Meeting) -> dict:
    return {
        "partnership": world.partnership.slug,
        "body": meeting.body.slug,
        "date": f"{meeting.date:%Y-%m-%d}",
    }


def public_partnership(world: World) -> dict:
    return {"partnership": world.partnership.slug}


def public_body(world: World) -> dict:
    _meeting(world)
    return {"partnership": world.partnership.slug, "body": world.extra["body"].slug}


def public_unpublished(world: World) -> dict:
    return _public(world, _meeting(world))


def public_published(world: World) -> dict:
    return _public(world, _published(world))


def public_held(world: World) -> dict:
    return _public(world, _held(world))


def public_published_held(world: World) -> dict:
    return _public(world, _published_held(world))


def public_confirmed(world: World) -> dict:
    return _public(world, _confirmed(world))


# --- POST bodies ---------------------------------------------------------------------


def new_meeting(world: World) -> dict:
    return {"body": board(world.partnership).pk, "date": "2017-03-30", "start_time": "13:30"}


def new_item(world: World) -> dict:
    return {"title": "Domestic abuse strategy"}


def attendance(world: World) -> dict:
    """The whole-body sheet: the board member (made a member of the body) present as
    Chair, and an officer by name."""
    person = world.users[Role.BOARD_MEMBER]
    world.extra["body"].members.add(person)
    return {
        "version": world.extra["meeting"].attendance_version,
        "others": 1,
        "save": "1",
        f"m{person.pk}_status": "present",
        f"m{person.pk}_role": "Chair",
        "o0_name": "Ms J. Robinson",
        "o0_organisation": "Charnwood Borough Council",
        "o0_status": "officer",
    }


def programme_pick(world: World) -> dict:
    entry = forward_programme.plan_forward_programme_entry(
        body=world.extra["body"], item="Community trigger review", timing=Timing.TO_BE_SCHEDULED
    )
    return {"entry": [entry.pk]}


def action(world: World) -> dict:
    return {"description": "Report back on the night-time economy", "owner_name": "T Hall"}


def declaration(world: World) -> dict:
    return {
        "item": world.extra["meeting"].items.get(kind="apologies").pk,
        "person": world.users[Role.BOARD_MEMBER].pk,
        "interest": "Trustee of a bidding charity",
    }


def amendment(world: World) -> dict:
    return {"text": "Apologies from Cllr Smith were omitted.", "reason": "Omitted in error."}


def item_edit(world: World) -> dict:
    return {"title": "Apologies for absence", "version": world.extra["item"].version}


def meeting_details(world: World) -> dict:
    return {"date": "2017-01-26", "start_time": "14:00", "venue": "Fearon Hall, Loughborough"}


def upload(world: World) -> dict:
    pdf = make_pdf("TABLED PAPER")
    return {
        "upload": "1",
        "up-file": SimpleUploadedFile("tabled.pdf", pdf, content_type="application/pdf"),
        "up-title": "Tabled paper",
    }


def minute(world: World) -> dict:
    return {
        "discussion": "Apologies were received.",
        "resolutions": "the apologies be noted",
        "version": 0,  # the item has no minute yet
    }


def programme(world: World) -> dict:
    return {"item": "Community trigger review", "timing": Timing.STANDING}


def partner_report_form(world: World) -> dict:
    """A complete report for an organisation that is the partner's own (so the partner,
    the clerk, the administrator and staff may all file it)."""
    organisation = OrganisationFactory(name="Leicestershire Fire and Rescue Service")
    world.partnership.organisations.add(organisation)
    Profile.objects.filter(user=world.users[Role.PARTNER]).update(organisation=organisation)
    return {
        "organisation": organisation.pk,
        "author": "R Jones",
        "date": "2017-01-12",
        "subject": "Fire service update",
        "summary": "Home safety checks in the quarter.",
        **report_post(world.partnership),
    }


def partner_report_refill(world: World) -> dict:
    """The 'fill the table from the portal's figures' step: shows the form again."""
    return {**partner_report_form(world), "refill": "1"}


def partner_report_bad_row(world: World) -> dict:
    """A report whose first performance row has a word for a number: refused, unsaved."""
    return {
        **partner_report_form(world),
        "rows-TOTAL_FORMS": "1",
        "rows-0-crime_type": "All Crime",
        "rows-0-current": "lots",
    }


def _status(step: str):
    def data(world: World) -> dict:
        return {"step": step}

    return data


ENTRIES = [
    # --- the meetings app, for members --------------------------------------------------
    Access("meetings:index", note="every member reads the list of meetings"),
    Access("meetings:schedule", roles=EDITORS),
    Access(
        "meetings:schedule",
        method="POST",
        data=new_meeting,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the meeting is scheduled and the clerk sent to it",
    ),
    Access("meetings:body", board_slug),
    Access("meetings:fp_add", board_slug, roles=EDITORS),
    Access(
        "meetings:fp_add",
        board_slug,
        method="POST",
        data=programme,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: a standing item added to the Forward Programme",
    ),
    Access("meetings:fp_edit", programme_entry, roles=EDITORS),
    Access(
        "meetings:fp_edit",
        programme_entry,
        method="POST",
        data=programme,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the entry is rescheduled",
    ),
    Access(
        "meetings:meeting",
        unpublished_meeting,
        roles=FULL_READERS,
        note="an unpublished agenda: clerks, board members and admins only",
    ),
    Access(
        "meetings:meeting",
        published_meeting,
        note="a published agenda: every member (exempt items are hidden from some)",
    ),
    Access(
        "meetings:add_item",
        unpublished_meeting,
        method="POST",
        data=new_item,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the item is added",
    ),
    *[
        Access(
            "meetings:confirm",
            _confirm(step),
            roles=EDITORS,
            note=f"the confirmation page before the {step} step: clerks and admins only",
        )
        for step in ("publish", "confirm_previous", "cancelled")
    ],
    Access(
        "meetings:remove_item",
        agenda_item,
        roles=EDITORS,
        note="the confirmation page before removing an item: clerks and admins only",
    ),
    Access(
        "meetings:fp_pick",
        unpublished_meeting,
        method="POST",
        data=programme_pick,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: a Forward Programme entry picked onto the agenda",
    ),
    Access(
        "meetings:attendance",
        unpublished_meeting,
        roles=EDITORS,
        note="the whole-body attendance page: clerks and admins only",
    ),
    Access(
        "meetings:attendance",
        unpublished_meeting,
        method="POST",
        data=attendance,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the whole body's attendance saved in one go",
    ),
    Access(
        "meetings:add_action",
        unpublished_meeting,
        method="POST",
        data=action,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the action is added",
    ),
    Access(
        "meetings:declare",
        unpublished_meeting,
        method="POST",
        data=declaration,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the declaration is recorded",
    ),
    Access(
        "meetings:status",
        unpublished_meeting,
        method="POST",
        data=_status("held"),
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the meeting (in the past) is marked held",
    ),
    Access("meetings:edit_meeting", unpublished_meeting, roles=EDITORS),
    Access(
        "meetings:edit_meeting",
        published_meeting,
        method="POST",
        data=meeting_details,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the published meeting moves to 2 pm at another venue",
    ),
    Access(
        "meetings:amend",
        confirmed_meeting,
        method="POST",
        data=amendment,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: an amendment to confirmed minutes is recorded",
    ),
    Access(
        "meetings:pack",
        published_meeting,
        note="the published pack: the members' version or the public one, by role",
    ),
    Access(
        "meetings:minutes_pdf",
        held_meeting,
        roles=FULL_READERS,
        note="draft minutes (not confirmed): clerks, board members and admins only",
    ),
    Access(
        "meetings:minutes_pdf",
        confirmed_meeting,
        note="confirmed minutes: every member",
    ),
    Access("meetings:edit_item", agenda_item, roles=EDITORS),
    Access(
        "meetings:edit_item",
        agenda_item,
        method="POST",
        data=item_edit,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the item is retitled",
    ),
    Access(
        "meetings:move_item",
        agenda_item,
        method="POST",
        data=lambda world: {"move": "down"},
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: Apologies moves down one place",
    ),
    Access("meetings:add_paper", agenda_item, roles=EDITORS),
    Access(
        "meetings:add_paper",
        agenda_item,
        method="POST",
        data=upload,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: a real one-page PDF is uploaded and attached",
    ),
    Access("meetings:minute", agenda_item, roles=EDITORS),
    Access(
        "meetings:minute",
        agenda_item,
        method="POST",
        data=minute,
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the minute and its resolution are saved",
    ),
    Access(
        "meetings:paper",
        open_paper,
        note="a paper on a published agenda: every member",
    ),
    Access(
        "meetings:paper",
        exempt_paper,
        roles=FULL_READERS,
        note="a paper on an exempt item: never for partners or performance officers",
    ),
    Access(
        "meetings:paper",
        exempt_sub_item_paper,
        roles=FULL_READERS,
        note="a paper on a plain sub-item of an exempt item: exempt by inheritance",
    ),
    Access(
        "meetings:replace_paper",
        open_paper,
        roles=EDITORS,
        note="the clerk's page to put a new file in a paper's place",
    ),
    Access(
        "meetings:remove_paper",
        open_paper,
        roles=EDITORS,
        note="the confirmation page; nothing is removed on GET",
    ),
    Access(
        "meetings:edit_item",
        exempt_sub_item,
        roles=EDITORS,
        note="the exempt sub-item itself: its editors are the clerks, as for any item",
    ),
    Access(
        "meetings:close_action",
        open_action,
        method="POST",
        data=lambda world: {"status": "done"},
        roles=EDITORS_REDIRECT,
        staff=302,
        note="valid: the action is closed",
    ),
    Access("meetings:report", partner_report, note="partner reports are read by every member"),
    Access(
        "meetings:report_new",
        roles=for_roles(Role.PARTNER, Role.CLERK, Role.ADMIN),
        note="partners write their reports; the clerk may file one for them",
    ),
    Access(
        "meetings:report_new",
        method="POST",
        data=partner_report_form,
        roles=for_roles(Role.PARTNER, Role.CLERK, Role.ADMIN, status=302),
        staff=302,
        note="valid: the report is saved (the organisation is the partner's own)",
    ),
    Access(
        "meetings:report_new",
        method="POST",
        data=partner_report_refill,
        roles=for_roles(Role.PARTNER, Role.CLERK, Role.ADMIN),
        note="refilling the performance table saves nothing and shows the form again",
    ),
    Access(
        "meetings:report_new",
        method="POST",
        data=partner_report_bad_row,
        roles=for_roles(Role.PARTNER, Role.CLERK, Role.ADMIN, status=400),
        staff=400,
        note="a bad performance row is refused, naming its row and column",
    ),
    # --- the public pages (no login) ----------------------------------------------------
    Access("public:partnership", public_partnership, **PUBLIC),
    Access("public:body", public_body, **PUBLIC, note="lists dates; unpublished ones unlinked"),
    Access("public:ical", public_body, **PUBLIC),
    Access(
        "public:meeting",
        public_unpublished,
        **NOT_PUBLIC,
        note="an agenda not yet published does not exist publicly, even for staff",
    ),
    Access("public:meeting", public_published, **PUBLIC, note="exempt items left out"),
    Access("public:pack", public_unpublished, **NOT_PUBLIC),
    Access("public:pack", public_published, **PUBLIC, note="the public pack: no exempt papers"),
    Access(
        "public:meeting",
        public_held,
        **NOT_PUBLIC,
        note="held and minuted but never published: not public (publishing is explicit)",
    ),
    Access(
        "public:minutes",
        public_held,
        **NOT_PUBLIC,
        note="held, never published, minutes not confirmed",
    ),
    Access(
        "public:minutes",
        public_published_held,
        **NOT_PUBLIC,
        note="published and held, but the minutes are not confirmed yet",
    ),
    Access("public:minutes", public_confirmed, **PUBLIC),
]
