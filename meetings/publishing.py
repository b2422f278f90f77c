"""Publishing a meeting's agenda pack: what a pack shows (`snapshot`), what changed since
the last one (`describe_changes`), building and storing the members' and public PDFs
(`publish_agenda`), and doing that in the background (`start_publishing` queues
`publish_pack_task`, whose progress the clerk watches at /jobs/<id>/).

The first pack publishes the agenda (the life cycle's `publish` step). After that, any
change to what the pack shows (the meeting's date, time or venue, its items, papers,
exemptions, presenters, attendance) offers a new pack listing the changes: a
supplementary pack when papers were only added, a revised pack otherwise (`issue_pack`).
When nothing changed, publishing says so and does nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csp_portal.extension_points import pack_block
from csp_portal.jobs import RunningJob, job_task, start_job
from csp_portal.models import BackgroundJob
from meetings import access, lifecycle, pack_changes, selectors
from meetings.models import Meeting, PackKind, PackVersion, Paper, PaperKind

#: A publishing job not finished after this long is taken to have died with its worker.
STALE_AFTER = dt.timedelta(hours=1)
JOB_KIND = "meetings.publish"


def _freeze(paper: Paper, partnership) -> None:
    """Store a generated paper's HTML as it stands now; a failure stops publication."""
    try:
        html = pack_block(paper.block_key).render(partnership, paper.block_params)
    except LookupError as exc:
        raise ValidationError(
            f"Paper “{paper.title}” (item “{paper.item.title}”): {exc} Remove it or ask for "
            "the app that provides it to be installed."
        ) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(
            f"Paper “{paper.title}” (item “{paper.item.title}”) could not be generated with "
            f"{paper.block_params}: {exc}"
        ) from exc
    paper.frozen_html = html
    paper.frozen_at = timezone.now()
    paper.save(update_fields=["frozen_html", "frozen_at"])


def _blocks_to_freeze(meeting: Meeting, *, only_new: bool) -> list[Paper]:
    papers = Paper.objects.filter(item__meeting=meeting, kind=PaperKind.BLOCK)
    if only_new:  # a later pack keeps earlier papers as first published
        papers = papers.filter(frozen_at=None)
    return list(papers.select_related("item"))


def _paper_fingerprint(paper: Paper) -> str:
    from meetings.pack_builder import paper_fingerprint

    return paper_fingerprint(paper)


def _meeting_row(meeting: Meeting) -> dict:
    return {
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "venue": meeting.venue,
    }


def snapshot(meeting: Meeting) -> dict:
    """What a pack shows, to compare a later version against: the meeting's own details,
    each item (number, wording, presenter, exemption, papers) and the attendance."""
    rows = []
    for node in selectors.flatten(selectors.numbered_agenda(meeting)):
        item = node.item
        rows.append(
            {
                "id": item.pk,
                "number": node.number,
                "title": item.title,
                "purpose": item.purpose,
                "presenter": item.presenter_label,
                "exempt": node.exempt,  # inherited from the item above
                "paragraph": access.exempt_paragraph(item),
                "reason": item.exempt_reason if item.is_exempt else "",
                "papers": [
                    {
                        "id": p.pk,
                        "title": p.title,
                        "exempt": access.is_paper_exempt(p),
                        "fingerprint": _paper_fingerprint(p),
                    }
                    for p in node.papers
                ],
            }
        )
    # attendance rows name a portal user or, for officers, guests and substitutes, a name
    attendance = [
        {"name": a.label, "status": a.status, "substitute": a.substitute_name}
        for a in meeting.attendance.select_related("person__profile").order_by(
            "person__last_name", "name", "pk"
        )
    ]
    return {
        "meeting": _meeting_row(meeting),
        "items": rows,
        "attendance": attendance,
        "previous_minutes": _previous_minutes(meeting),
    }


def _previous_minutes(meeting: Meeting) -> dict | None:
    """The previous meeting's minutes as the pack prints them (its date and a hash of the
    members' and of the public text), so a correction to draft minutes after publication
    is a change, and the public is told of it only when the public text changed."""
    import hashlib

    from django.template.loader import render_to_string

    from meetings.printed_minutes import minutes_context

    previous = selectors.previous_meeting(meeting)
    if previous is None or not previous.items.filter(minute__isnull=False).exists():
        return None

    def digest(public: bool) -> str:
        context = minutes_context(previous, public=public)
        html = render_to_string("meetings/pdf/minutes_body.html", context)
        return hashlib.sha256(html.encode()).hexdigest()

    return {"date": previous.date.isoformat(), "hash": digest(False), "public": digest(True)}


def _parts(shot: dict | list) -> dict:
    """A snapshot in today's shape; a pack published before meetings' own details were
    kept stored only its items (nothing is then said about the rest)."""
    if isinstance(shot, list):
        return {"meeting": None, "items": shot, "attendance": None}
    return shot


def _public_minutes(parts: dict) -> dict:
    """The previous minutes as the public pack prints them (without exempt items)."""
    minutes = parts.get("previous_minutes", False)
    if minutes:
        minutes = {**minutes, "hash": minutes.get("public", minutes["hash"])}
    return {**parts, "previous_minutes": minutes}


def public_part(shot: dict | list) -> dict:
    """A snapshot as the public may be told of it: exempt items by number and heading
    only (as the public pack prints them), exempt papers left out."""
    parts = _parts(shot)
    items = []
    for row in parts["items"]:
        if row["exempt"]:
            items.append({**row, "purpose": "", "presenter": "", "reason": "", "papers": []})
        else:
            items.append({**row, "papers": [p for p in row["papers"] if not p.get("exempt")]})
    return _public_minutes({**parts, "items": items})


def classified_changes(before: dict | list, after: dict | list) -> list[tuple[str, str]]:
    """(kind, sentence) for every difference between two snapshots."""
    before, after = _parts(before), _parts(after)
    changes: list[tuple[str, str]] = []
    if before["meeting"] is not None:
        changes += pack_changes.meeting_changes(before["meeting"], after["meeting"])
    old = {row["id"]: row for row in before["items"]}
    new = {row["id"]: row for row in after["items"]}
    for row in after["items"]:
        was = old.get(row["id"])
        if was is None:
            exempt = (
                f" (not for publication: paragraph {row['paragraph']} of Schedule 12A)"
                if row.get("exempt")
                else ""
            )
            changes.append(("item", f"Item {row['number']} “{row['title']}” added{exempt}."))
            changes += [
                ("paper_added", f"Item {row['number']}: paper “{p['title']}” added.")
                for p in row["papers"]
            ]
        else:
            changes += pack_changes.item_changes(was, row)
    for row in before["items"]:
        if row["id"] not in new:
            changes.append(("item", f"Item {row['number']} “{row['title']}” withdrawn."))
    if before["attendance"] is not None:
        changes += pack_changes.attendance_changes(before["attendance"], after["attendance"])
    was, now = before.get("previous_minutes", False), after.get("previous_minutes")
    if was is not False and was != now and now is not None:
        date = dt.date.fromisoformat(now["date"])
        changes.append(("minutes", f"The minutes of the meeting of {date:%-d %B %Y} changed."))
    return changes


def describe_changes(before: dict | list, after: dict | list) -> list[str]:
    """Plain-English list of what changed between two pack snapshots."""
    return [text for _, text in classified_changes(before, after)]


def pack_kind_for(changes: list[tuple[str, str]]) -> str:
    """A supplement when papers were only added; a revised pack for anything else."""
    if changes and all(kind == "paper_added" for kind, _ in changes):
        return PackKind.SUPPLEMENTARY
    return PackKind.REVISED


def pending_changes(meeting: Meeting) -> list[tuple[str, str]] | None:
    """What a new pack would list now; None before the first pack is published."""
    last = meeting.packs.order_by("-number").first()
    if last is None:
        return None
    return classified_changes(last.snapshot, snapshot(meeting))


def nothing_changed_message(last: PackVersion) -> str:
    return (
        f"Nothing has changed since {last.get_kind_display().lower()} {last.number} was "
        f"published on {timezone.localtime(last.published_at):%-d %B %Y at %H:%M}: the "
        "date, time, venue, items, papers, exemptions and attendance are as it shows them."
    )


def _progress(job: RunningJob | None, message: str) -> None:
    if job is not None:
        job.advance(message=message)


@transaction.atomic
def publish_agenda(*, meeting: Meeting, by=None, job: RunningJob | None = None) -> PackVersion:
    """Publish the agenda: freeze generated papers and keep the pack as it stands.

    The first call publishes the agenda pack; after that, a call issues a revised (or,
    when papers were only added, supplementary) pack listing what changed since the last
    one, and refuses when nothing did. Nothing is stored unless both PDFs were built:
    a failure leaves no PackVersion and no file. `job`: the background job to report to.
    """
    from meetings.pack_builder import build_pack

    meeting = Meeting.objects.select_related("body__partnership").get(pk=meeting.pk)
    step = "publish" if lifecycle.allows(meeting, by, "publish") else "issue_pack"
    problem = lifecycle.refusal(step, meeting, by)
    if problem is not None:
        raise problem
    last = meeting.packs.order_by("-number").first()
    blocks = _blocks_to_freeze(meeting, only_new=last is not None)
    if job is not None:
        job.advance(0, total=len(blocks) + 3, message="Freezing the generated papers")
    for paper in blocks:
        _freeze(paper, meeting.body.partnership)
        _progress(job, f"Froze “{paper.title}”")
    current = snapshot(meeting)
    classified = classified_changes(last.snapshot, current) if last else []
    changes = [text for _, text in classified]
    public_changes = (
        describe_changes(public_part(last.snapshot), public_part(current)) if last else []
    )
    if last is not None and not changes:
        raise ValidationError(nothing_changed_message(last))
    number = (last.number + 1) if last else 1
    kind = pack_kind_for(classified) if last else PackKind.AGENDA
    supplementary, revised = number - 1, kind == PackKind.REVISED
    members = build_pack(
        meeting, public=False, changes=changes, supplementary=supplementary, revised=revised
    )
    _progress(job, "Built the members' pack")
    public = build_pack(
        meeting, public=True, changes=public_changes, supplementary=supplementary, revised=revised
    )
    _progress(job, "Built the public pack")
    version = PackVersion(
        meeting=meeting,
        number=number,
        kind=kind,
        published_at=timezone.now(),
        published_by=by,
        snapshot=current,
        changes=changes,
        public_changes=public_changes,
    )
    stem = f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-{number}"
    saved: list = []
    try:
        version.members_pdf.save(f"{stem}.pdf", ContentFile(members.pdf), save=False)
        saved.append(version.members_pdf)
        version.public_pdf.save(f"{stem}-public.pdf", ContentFile(public.pdf), save=False)
        saved.append(version.public_pdf)
        version.save()
        # The clerk's explicit step that puts a meeting on the public site
        # (access.is_public): the life cycle's `publish`, or `issue_pack` later on.
        transition = lifecycle.publish if step == "publish" else lifecycle.issue_pack
        transition(meeting=meeting, by=by, published_at=version.published_at)
    except BaseException:
        for stored in saved:
            stored.storage.delete(stored.name)
        raise
    _progress(job, "Stored the packs")
    return version


def job_in_progress(meeting: Meeting) -> BackgroundJob | None:
    """The job building this meeting's pack now, if one is (a dead one does not count)."""
    job = meeting.publish_job
    if job is None or job.finished:
        return None
    if job.created_at < timezone.now() - STALE_AFTER:
        return None
    return job


@transaction.atomic
def start_publishing(*, meeting: Meeting, by) -> BackgroundJob:
    """Queue the pack's build and publication; the request returns at once. Refused
    (with the reason) when a build is already running, when the step is not allowed,
    or when nothing has changed since the last pack."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body__partnership", "publish_job__started_by")
        .get(pk=meeting.pk)
    )
    running = job_in_progress(meeting)
    if running is not None:
        raise ValidationError(
            f"A pack for {meeting} is already being built (started "
            f"{timezone.localtime(running.created_at):%H:%M} by {running.started_by}). "
            "Wait for it to finish, then publish again if anything has changed since."
        )
    if not lifecycle.can_issue_pack(meeting, by):
        refused = lifecycle.refusal("publish", meeting, by) or lifecycle.refusal(
            "issue_pack", meeting, by
        )
        assert refused is not None  # can_issue_pack is true when neither step is refused
        raise refused
    last = meeting.packs.order_by("-number").first()
    if last is not None and not classified_changes(last.snapshot, snapshot(meeting)):
        raise ValidationError(nothing_changed_message(last))
    job = start_job(
        task=publish_pack_task,
        user=by,
        partnership=meeting.body.partnership,
        kind=JOB_KIND,
        label=f"Agenda pack: {meeting}",
        meeting_id=meeting.pk,
    )
    meeting.publish_job = job
    meeting.save(update_fields=["publish_job"])
    return job


@job_task
def publish_pack_task(job: RunningJob, *, meeting_id: int) -> None:
    """The background half of `start_publishing`: build, store, tell the clerk."""
    meeting = Meeting.objects.select_related("body__partnership").get(pk=meeting_id)
    by = job.record.started_by
    try:
        version = publish_agenda(meeting=meeting, by=by, job=job)
    except ValidationError as error:
        job.fail(" ".join(error.messages))
    job.finish(
        result_url=reverse("meetings:pack", args=[meeting.body.partnership.slug, meeting.pk]),
        message=f"{version.get_kind_display()} {version.number} for {meeting} is published.",
    )
