"""Pages of the meetings app for signed-in members (public pages: public_views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from csp_portal.access import READERS, partnership_view
from csp_portal.upload_checks import check_size
from csp_portal.versioning import StaleVersion, refresh_version
from meetings import (
    access,
    forms,
    forward_programme,
    generated_papers,
    lifecycle,
    publishing,
    selectors,
    services,
)
from meetings.access import EDITORS
from meetings.models import (
    Action,
    AgendaItem,
    Meeting,
    Minute,
    Paper,
    PaperKind,
)
from meetings.pack_builder import PaperUnreadable, build_minutes_pdf, build_pack, minutes_context
from meetings.paper_views import warn_if_untagged

#: Confidential downloads: never kept by a shared cache or the browser's disk cache.
NO_STORE = "private, no-store"


def _meeting(partnership, pk: int, user) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("body", "body__partnership"),
        pk=pk,
        body__partnership=partnership,
    )
    if not access.can_view_meeting(user, meeting):
        raise PermissionDenied("This agenda has not been published yet.")
    return meeting


def _item(partnership, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__body"),
        pk=pk,
        meeting__body__partnership=partnership,
    )


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
@partnership_view(READERS)
def index(request: HttpRequest, partnership) -> HttpResponse:
    meetings = selectors.visible_meetings(request.user, partnership).order_by("date", "start_time")
    form = forms.MeetingForm(partnership=partnership)
    return render(
        request,
        "meetings/index.html",
        {
            "partnership": partnership,
            "bodies": partnership.bodies.filter(is_active=True),
            "upcoming": [m for m in meetings if m.date >= _today()][:20],
            "recent": [m for m in reversed(list(meetings)) if m.date < _today()][:10],
            "form": form,
            "can_edit": access.can_edit(request.user, partnership),
        },
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


@partnership_view(EDITORS)
def schedule(request: HttpRequest, partnership) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(**form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"{meeting} scheduled, with a proposed agenda.")
            return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return render(request, "meetings/schedule.html", {"partnership": partnership, "form": form})


@require_GET
@partnership_view(READERS)
def body_detail(request: HttpRequest, partnership, slug: str) -> HttpResponse:
    body = get_object_or_404(partnership.bodies, slug=slug)
    return render(
        request,
        "meetings/body.html",
        {
            "partnership": partnership,
            "body": body,
            "meetings": selectors.visible_meetings(request.user, partnership)
            .filter(body=body)
            .order_by("-date"),
            "programme": body.forward_programme.select_related("target_meeting").prefetch_related(
                "events__meeting"
            ),
            "attendance": selectors.attendance_record(body),
            "can_edit": access.can_edit(request.user, partnership),
        },
    )


@require_GET
@partnership_view(READERS)
def meeting_detail(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    full = access.reads_everything(request.user, partnership)
    can_edit = access.can_edit(request.user, partnership)
    tree = selectors.numbered_agenda(meeting, include_exempt=full)
    agenda = selectors.flatten(tree)
    # Offer only what the services would accept (the life cycle says which steps): a
    # cancelled meeting or one whose minutes are confirmed keeps its agenda; minutes are
    # written on or after the day.
    day_reached = meeting.date <= _today()
    agenda_editable = can_edit and lifecycle.agenda_editable(meeting)
    previous = selectors.previous_meeting(meeting)
    packs = list(meeting.packs.order_by("number"))
    publish_job = publishing.job_in_progress(meeting) if meeting.publish_job_id else None
    last_job = meeting.publish_job if can_edit and meeting.publish_job_id else None
    can_publish = (
        agenda_editable and publish_job is None and lifecycle.can_issue_pack(meeting, request.user)
    )
    pending = publishing.pending_changes(meeting) if can_publish and packs else None
    # "Declare an interest" in an item's menu opens the declaration form for that item
    declare_item = next(
        (n.item.pk for n in agenda if str(n.item.pk) == request.GET.get("declare")), None
    )
    context = {
        "partnership": partnership,
        "meeting": meeting,
        "agenda": agenda,
        "can_edit": can_edit,
        "agenda_editable": agenda_editable,
        "minutes_writable": agenda_editable and day_reached,
        "transitions": {t.name: t for t in lifecycle.allowed_transitions(meeting, request.user)},
        "pack_offer": _pack_offer(packs, pending) if can_publish else "",
        "can_change_details": can_edit and meeting.status in ("scheduled", "agenda_published"),
        "can_confirm_previous": previous is not None
        and lifecycle.allows(previous, request.user, "confirm_minutes"),
        "publish_job": publish_job,
        "failed_job": last_job
        if last_job
        and last_job.status == "failed"
        and not (packs and packs[-1].published_at > last_job.created_at)
        else None,
        "pending_changes": pending,
        "has_minutes_pdf": lifecycle.minutes_pdf_available(meeting)
        and (full or meeting.minutes_locked),
        "full_reader": full,
        "matters_arising": selectors.open_actions_before(meeting, public=not full),
        "previous": previous,
        "packs": packs,
        # Draft minutes are for full readers; others see them once confirmed, as the
        # minutes PDF and the public page do.
        "minutes": minutes_context(meeting, public=not full, agenda=tree)
        if full or meeting.minutes_locked
        else None,
        "item_form": forms.ItemForm(meeting=meeting) if agenda_editable else None,
        "programme_offers": forward_programme.offers(meeting) if agenda_editable else [],
        "action_form": forms.ActionForm(partnership=partnership) if can_edit else None,
        "declaration_form": forms.DeclarationForm(meeting=meeting, initial={"item": declare_item})
        if can_edit
        else None,
        "declare_item": declare_item,
        "amend_form": forms.AmendmentForm(meeting=meeting)
        if can_edit and meeting.minutes_locked
        else None,
    }
    return render(request, "meetings/meeting.html", context)


@partnership_view(EDITORS)
def edit_meeting(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    """Change a meeting's date, time or venue."""
    meeting = _meeting(partnership, pk, request.user)
    initial = {"date": meeting.date, "start_time": meeting.start_time, "venue": meeting.venue}
    form = forms.MeetingDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_meeting_details(
                meeting=meeting,
                date=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                venue=form.cleaned_data["venue"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, "The meeting's details are saved.")
            return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return render(
        request,
        "meetings/meeting_details_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _pack_offer(packs: list, pending: list | None) -> str:
    """The publish button's words: the first pack, or the kind of pack the changes call
    for; none when nothing has changed."""
    if not packs:
        return "Publish the agenda"
    if not pending:
        return ""
    if publishing.pack_kind_for(pending) == "supplementary":
        return "Issue a supplementary pack"
    return "Issue a revised pack"


@require_POST
@partnership_view(EDITORS)
def add_item(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    form = forms.ItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            item = services.add_item(meeting=meeting, **fields)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"“{item.title}” added to the agenda.")
            return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return render(
        request,
        "meetings/item_form.html",
        {"partnership": partnership, "meeting": meeting, "form": form},
    )


@require_POST
@partnership_view(EDITORS)
def move_item(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = _item(partnership, pk)
    action = request.POST.get("move", "")
    try:
        if action in ("up", "down"):
            services.move_item(item=item, direction=action)
        elif action == "indent":
            services.indent_item(item=item)
        elif action == "outdent":
            services.outdent_item(item=item)
        elif action == "remove":
            services.remove_item(item=item)
        else:
            raise ValidationError("Choose up, down, indent, outdent or remove.")
    except ValidationError as error:
        _errors(request, error)
    url = redirect("meetings:meeting", partnership.slug, item.meeting_id).url
    return redirect(f"{url}#agenda-item-{item.pk}" if action != "remove" else url)


@partnership_view(EDITORS)
def add_paper(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = _item(partnership, pk)
    upload = forms.UploadForm(prefix="up")
    report = forms.AttachReportForm(prefix="rep", partnership=partnership)
    generated = generated_papers.forms_for(partnership)
    if request.method == "POST":
        try:
            if "upload" in request.POST:
                upload = forms.UploadForm(request.POST, request.FILES, prefix="up")
                if upload.is_valid():
                    handle = upload.cleaned_data["file"]
                    check_size(handle.name, handle.size)
                    content = handle.read()
                    paper = services.attach_upload(
                        item=item,
                        name=handle.name,
                        content=content,
                        title=upload.cleaned_data["title"],
                        is_exempt=upload.cleaned_data["is_exempt"],
                    )
                    warn_if_untagged(request, paper.title, content)
                    return _paper_added(request, partnership, item)
            elif "report" in request.POST:
                report = forms.AttachReportForm(request.POST, prefix="rep", partnership=partnership)
                if report.is_valid():
                    services.attach_report(item=item, report=report.cleaned_data["report"])
                    return _paper_added(request, partnership, item)
            elif "block" in request.POST:
                key = request.POST["block"]
                generated = generated_papers.forms_for(partnership, request.POST, key)
                posted = next((f for f in generated if f.block.key == key), None)
                if posted is None:
                    raise ValidationError(f"No generated paper called “{key}” is registered.")
                if posted.is_valid():
                    generated_papers.attach_generated_paper(
                        item=item,
                        key=key,
                        params=posted.cleaned_params,
                        title=posted.cleaned_data["title"],
                        is_exempt=posted.cleaned_data["is_exempt"],
                    )
                    return _paper_added(request, partnership, item)
        except ValidationError as error:
            _errors(request, error)
    return render(
        request,
        "meetings/paper_form.html",
        {
            "partnership": partnership,
            "item": item,
            "upload": upload,
            "report": report,
            "generated": generated,
        },
        status=400 if request.method == "POST" else 200,
    )


def _paper_added(request, partnership, item) -> HttpResponse:
    messages.success(request, f"Paper attached to “{item.title}”.")
    return redirect("meetings:meeting", partnership.slug, item.meeting_id)


@require_GET
@partnership_view(READERS)
def paper_file(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    paper = get_object_or_404(
        Paper.objects.select_related("item__meeting__body"),
        pk=pk,
        kind=PaperKind.UPLOAD,
        item__meeting__body__partnership=partnership,
    )
    meeting = _meeting(partnership, paper.item.meeting_id, request.user)
    if not access.can_view_paper(request.user, paper):
        raise PermissionDenied("This paper is exempt from publication.")
    # An uploaded file, not one we built: downloaded, never opened inside the portal.
    response = FileResponse(
        paper.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{meeting.date}-{paper.title}.pdf",
    )
    response["Cache-Control"] = NO_STORE
    return response


@partnership_view(EDITORS)
def minute(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = _item(partnership, pk)
    if item.meeting.minutes_locked and request.method != "POST":
        # Confirmed minutes change only by a recorded amendment: send the clerk there
        # rather than show a form whose every save would be refused.
        messages.error(
            request,
            f"The minutes of {item.meeting} were confirmed and signed; "
            "record an amendment instead.",
        )
        url = redirect("meetings:meeting", partnership.slug, item.meeting_id).url
        return redirect(f"{url}#amendments")
    existing = Minute.objects.filter(item=item).first()
    initial = {
        "discussion": existing.discussion if existing else "",
        "resolutions": "\n".join(r.text for r in item.resolutions.all()),
        "version": existing.version if existing else 0,
    }
    form = forms.MinuteForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minute(
                item=item,
                discussion=form.cleaned_data["discussion"],
                resolutions=form.cleaned_data["resolutions"].splitlines(),
                expected_version=_posted_version(form),
            )
        except StaleVersion as error:
            stale = error
            refresh_version(form, error)
        except ValidationError as error:
            item.meeting.refresh_from_db()
            if item.meeting.minutes_locked:
                # Confirmed by another clerk while this one typed: keep the text and
                # offer it as an amendment (the only change confirmed minutes take).
                return _minute_became_locked(request, partnership, item, form)
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Minute of “{item.title}” saved.")
            return redirect("meetings:meeting", partnership.slug, item.meeting_id)
    return render(
        request,
        "meetings/minute_form.html",
        {"partnership": partnership, "item": item, "form": form, "stale": stale},
        status=409 if stale else (400 if request.method == "POST" else 200),
    )


def _posted_version(form) -> int:
    """The version the form was opened at; a post without one (a page from before
    versions, a hand-made request) counts as stale rather than overwriting blindly."""
    version = form.cleaned_data.get("version")
    return -1 if version is None else version


def _minute_became_locked(request, partnership, item: AgendaItem, form) -> HttpResponse:
    typed = form.cleaned_data["discussion"]
    resolutions = form.cleaned_data["resolutions"].strip()
    text = typed + (f"\n\nResolutions:\n{resolutions}" if resolutions else "")
    amend_form = forms.AmendmentForm(
        initial={"text": text.strip(), "item": item.pk}, meeting=item.meeting
    )
    return render(
        request,
        "meetings/minute_form.html",
        {
            "partnership": partnership,
            "item": item,
            "form": form,
            "locked": True,
            "amend_form": amend_form,
        },
        status=409,
    )


@require_POST
@partnership_view(EDITORS)
def add_action(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    form = forms.ActionForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            services.add_action(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, "An action needs a description.")
    return redirect("meetings:meeting", partnership.slug, meeting.pk)


@require_POST
@partnership_view(EDITORS)
def close_action(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk, meeting__body__partnership=partnership)
    form = forms.CloseActionForm(request.POST, body=action.meeting.body)
    at = None
    if form.is_valid():
        at = form.cleaned_data["at"]
        services.close_action(action=action, at=at, status=form.cleaned_data["status"])
    else:
        messages.error(request, "Choose whether the action is done or no longer needed.")
    return redirect("meetings:meeting", partnership.slug, (at or action.meeting).pk)


@require_POST
@partnership_view(EDITORS)
def change_status(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    step = request.POST.get("step")
    try:
        if step == "publish":
            # Built in the background: the clerk watches its progress on the job's page.
            job = publishing.start_publishing(meeting=meeting, by=request.user)
            messages.info(request, "The pack is being built; this page says when it is ready.")
            return redirect(job)
        elif step == "confirm_previous":
            previous = selectors.previous_meeting(meeting)
            if previous is None:
                raise ValidationError("There is no previous meeting to confirm.")
            services.confirm_minutes(
                meeting=previous, at=meeting, signed_by=meeting.body.chair, by=request.user
            )
            messages.success(request, f"The minutes of {previous} are confirmed and signed.")
        elif step in ("held", "cancelled"):
            services.set_status(meeting=meeting, status=step, by=request.user)
            messages.success(request, f"{meeting} marked {step}.")
        else:
            raise ValidationError("Unknown step.")
    except lifecycle.NotAllowed as refusal:
        raise PermissionDenied(refusal.messages[0]) from refusal
    except ValidationError as error:
        _errors(request, error)
    return redirect("meetings:meeting", partnership.slug, meeting.pk)


@require_POST
@partnership_view(EDITORS)
def amend(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    form = forms.AmendmentForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.amend_minutes(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, "Amendment recorded.")
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, "An amendment needs its text and its reason.")
    return redirect("meetings:meeting", partnership.slug, meeting.pk)


@require_GET
@partnership_view(READERS)
def pack_pdf(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    """The latest published pack (members' or public by role); a live draft for editors."""
    meeting = _meeting(partnership, pk, request.user)
    full = access.reads_everything(request.user, partnership)
    latest = meeting.packs.order_by("-number").first()
    filename = f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-pack{'' if full else '-public'}.pdf"
    if latest is not None and request.GET.get("draft") != "1":
        handle = (latest.members_pdf if full else latest.public_pdf).open("rb")
        response = FileResponse(handle, content_type="application/pdf", filename=filename)
        response["Cache-Control"] = NO_STORE
        return response
    if not full:
        raise Http404("No pack has been published.")
    try:
        built = build_pack(meeting, public=False)
    except PaperUnreadable as error:  # a damaged or missing paper: say which, no 500
        _errors(request, error)
        return redirect("meetings:meeting", partnership.slug, meeting.pk)
    return _pdf(built.pdf, filename)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    """A PDF we built, shown in the browser; kept by no cache (it may hold exempt items)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@partnership_view(READERS)
def minutes_pdf(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    full = access.reads_everything(request.user, partnership)
    if not lifecycle.minutes_pdf_available(meeting):
        raise Http404("The meeting has not been held, so it has no minutes yet.")
    if not full and not meeting.minutes_locked:
        raise PermissionDenied("These minutes are not confirmed yet.")
    return _pdf(
        build_minutes_pdf(meeting, public=not full),
        f"{meeting.body.slug}-{meeting.date:%Y-%m-%d}-minutes.pdf",
    )


@require_POST
@partnership_view(EDITORS)
def declare(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk, request.user)
    form = forms.DeclarationForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.declare_interest(**form.cleaned_data)
            messages.success(request, "Declaration of interest recorded.")
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, "Choose the item and the person, and say what the interest is.")
    return redirect("meetings:meeting", partnership.slug, meeting.pk)


@partnership_view(EDITORS)
def edit_item(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    item = _item(partnership, pk)
    meeting = item.meeting
    initial = {
        "title": item.title,
        "purpose": item.purpose,
        "presenter": item.presenter_id,
        "presenter_name": item.presenter_name,
        "presenter_organisation": item.presenter_organisation_id,
        "is_exempt": item.is_exempt,
        "exempt_paragraph": item.exempt_paragraph,
        "exempt_reason": item.exempt_reason,
        "priorities": list(item.priorities.all()),
        "version": item.version,
    }
    form = forms.ItemForm(
        request.POST or None, initial=initial, meeting=meeting, with_priorities=True
    )
    del form.fields["parent"]  # nesting is done with the Nest / Un-nest buttons
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_item(item=item, expected_version=_posted_version(form), **fields)
        except StaleVersion as error:
            stale = error
            refresh_version(form, error)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"“{item.title}” saved.")
            return redirect(
                redirect("meetings:meeting", partnership.slug, meeting.pk).url
                + f"#agenda-item-{item.pk}"
            )
    return render(
        request,
        "meetings/item_form.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "form": form,
            "item": item,
            "stale": stale,
        },
        status=409 if stale else (400 if request.method == "POST" else 200),
    )


@partnership_view(EDITORS)
def forward_programme_entry(
    request: HttpRequest, partnership, slug: str, pk: int | None = None
) -> HttpResponse:
    """Add an entry to a body's Forward Programme, or reschedule or complete one."""
    body = get_object_or_404(partnership.bodies, slug=slug)
    entry = get_object_or_404(body.forward_programme, pk=pk) if pk else None
    initial = {}
    if entry is not None:
        initial = {
            "item": entry.item,
            "detail": entry.detail,
            "timing": entry.timing,
            "target_meeting": entry.target_meeting_id,
            "target_date": entry.target_date,
            "annual_month": entry.annual_month,
            "action_by": entry.action_by,
        }
    form = forms.ForwardProgrammeForm(request.POST or None, initial=initial, body=body)
    if request.method == "POST" and entry is not None and "complete" in request.POST:
        services.complete_forward_programme_entry(entry=entry)
        messages.success(request, f"“{entry.item}” marked complete.")
        return redirect("meetings:body", partnership.slug, body.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_forward_programme_entry(body=body, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, "Forward Programme updated.")
            return redirect("meetings:body", partnership.slug, body.slug)
    return render(
        request,
        "meetings/forward_programme_form.html",
        {"partnership": partnership, "body": body, "entry": entry, "form": form},
        status=400 if request.method == "POST" else 200,
    )
