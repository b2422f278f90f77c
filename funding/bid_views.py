"""Pages of a bid: the form, its page, its steps and declarations, its papers, and
the funded project's returns and evaluation. Thin callers of workflow, services and
selectors; bids are always fetched through `selectors.bid_for`, so a bid the person may
not see (another organisation's, another partnership's) is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csp_portal.access import READERS, partnership_view
from csp_portal.forms import show_refusal
from funding import access, bid_changes, interests, lifecycle, selectors, services, workflow
from funding.access import APPLICANTS, READ_ALL
from funding.deciders import goes_to_panel, route_after, waiting_for
from funding.forms import (
    AttachmentForm,
    BidForm,
    DecisionForm,
    DeclarationForm,
    EvaluationForm,
    ReturnForm,
    WithdrawForm,
)
from funding.models import BidAttachment
from funding.monitoring import missing_evaluations, returns_due, submit_evaluation, submit_return

# --- bids ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view(APPLICANTS)
def bid_edit(request: HttpRequest, partnership, pk: int | None = None) -> HttpResponse:
    user = request.user
    org = access.organisation_id(user)
    if pk:
        bid = selectors.bid_for(user, partnership, pk)
        if not access.is_applicant_side(user, bid):
            raise PermissionDenied("Only the applicant's organisation may change a bid.")
    else:
        if not access.can_start_bid(user, partnership):
            raise PermissionDenied("Your profile has no organisation: ask the admin to set it.")
        bid = None
    initial = {"fund": request.GET.get("fund")} if not pk else None
    if request.method == "POST" and "choose_fund" in request.POST:
        # "Show the fund's budget lines" (the no-script way to narrow the list): nothing
        # is saved or checked yet; everything typed comes back, with the fund's lines.
        typed = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
        form = BidForm(instance=bid, partnership=partnership, initial=typed)
    else:
        form = BidForm(request.POST or None, instance=bid, partnership=partnership, initial=initial)
    conflict = None
    if request.method == "POST" and "choose_fund" not in request.POST and form.is_valid():
        try:
            # The form's bid, with what was typed (nothing is saved until the action).
            new = services.save_bid(
                bid=form.instance, by=user, version=form.cleaned_data["version"]
            )
        except services.StaleBid as stale:
            # Nothing is saved; the page shows what the other person changed and keeps
            # everything this person typed, now against the saved version, so that
            # saving again (having looked) is a deliberate choice.
            changes, saved_by = bid_changes.bid_changes(stale.current, stale.expected)
            conflict = {"changes": changes, "saved_by": saved_by, "current": stale.current}
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            form = BidForm(data, instance=stale.current, partnership=partnership)
            form.is_valid()
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Saved “{new.title}”. Submit it when it is ready.")
            return redirect(new)
    missing = missing_evaluations(org) if org else []
    return render(
        request,
        "funding/bid_form.html",
        {
            "form": form,
            "bid": bid,
            "partnership": partnership,
            "missing_evaluations": missing,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_GET
@partnership_view(READERS)
def bid_detail(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    bid = selectors.bid_for(request.user, partnership, pk)
    return _render_bid(request, partnership, bid)


def _render_bid(
    request,
    partnership,
    bid,
    decision_form=None,
    attachment_form=None,
    status=200,
    declaration_form=None,
):
    user = request.user
    steps = lifecycle.allowed_steps(bid, user)
    decide_steps = [s for s in steps if s.name in lifecycle.DECISION_STEPS]
    applicant_side = access.is_applicant_side(user, bid)
    # The decision form opens only once the decider has declared (no interest).
    if declaration_form is None and access.can_declare(user, bid):
        declaration_form = DeclarationForm()
    withdrawn = (
        interests.withdrawal_of(bid, user) if interests.is_stage_decider(bid, user) else None
    )
    if decision_form is None and decide_steps:
        decision_form = DecisionForm(steps=decide_steps, partnership=partnership)
    elif decision_form is not None:
        # A form coming back (bad input, or beaten to it) was checked against every
        # step; offer again only what this person may do now, if anything.
        decision_form.offer(decide_steps)
        decision_form = decision_form if decide_steps else None
    if attachment_form is None and access.can_add_papers(user, bid):
        attachment_form = AttachmentForm()
    context = {
        "partnership": partnership,
        "bid": bid,
        "waiting": waiting_for(bid),
        # Before the Delivery Group decides, the applicant (and the group) see where a
        # supported bid of this amount goes next.
        "route": (
            route_after(partnership, to_panel=goes_to_panel(partnership, bid.amount_requested))
            if bid.state in lifecycle.states_before(lifecycle.Actor.DELIVERY_GROUP)
            else ""
        ),
        "steps": {s.name for s in steps},
        "decision_form": decision_form,
        "declaration_form": declaration_form,
        "withdrawn": withdrawn,
        "declarations": bid.declarations.select_related("person", "recorded_by"),
        "attachment_form": attachment_form,
        "withdraw_form": WithdrawForm() if "withdraw" in {s.name for s in steps} else None,
        "decisions": bid.decisions.select_related("decided_by", "body", "meeting__body"),
        "transitions": bid.transitions.select_related("by"),
        "attachments": bid.attachments.all(),
        "returns": bid.returns.all(),
        "evaluation": getattr(bid, "evaluation", None),
        "applicant_side": applicant_side,
        "can_edit": access.can_edit_bid(user, bid),
        "missing_evaluations": missing_evaluations(bid.applicant_organisation).exclude(bid=bid),
        "spend": bid.spend.all(),
    }
    return render(request, "funding/bid_detail.html", context, status=status)


@require_POST
@partnership_view(READERS)
def bid_step(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    """Submit, resubmit or withdraw (the applicant) or decide (a decider)."""
    bid = selectors.bid_for(request.user, partnership, pk)
    name = request.POST.get("step", "")
    decision_form = None
    try:
        if name in lifecycle.APPLICANT_STEPS:
            workflow.take(name, bid=bid, by=request.user, reasons=request.POST.get("reasons", ""))
        else:
            # Every decision is a valid choice here: whether it is allowed now is the
            # workflow's call, made under the row lock, so a decider who was beaten to it
            # is told what happened rather than "select a valid choice".
            steps = [s for s in lifecycle.STEPS if s.is_decision]
            decision_form = DecisionForm(request.POST, steps=steps, partnership=partnership)
            if not decision_form.is_valid():
                messages.error(request, "The decision was not recorded: see below.")
                return _render_bid(request, partnership, bid, decision_form, status=400)
            data = decision_form.cleaned_data
            workflow.take(
                data["step"],
                bid=bid,
                by=request.user,
                reasons=data["reasons"],
                meeting=data["meeting"],
            )
    except workflow.NotYours as refusal:
        # Not the applicant's organisation, not a decider at this stage: a refusal of
        # the person (403), not of the moment (a bid someone else just decided is a 409).
        raise PermissionDenied(str(refusal)) from refusal
    except workflow.TransitionRefused as refusal:
        messages.error(request, str(refusal))
        bid.refresh_from_db()
        if decision_form is not None:
            return _render_bid(request, partnership, bid, decision_form, status=409)
        return redirect(bid)
    bid.refresh_from_db()
    taken = name if name in lifecycle.APPLICANT_STEPS else decision_form.cleaned_data["step"]
    messages.success(request, lifecycle.after_step(taken, bid))
    return redirect(bid)


@require_POST
@partnership_view(READERS)
def bid_declare(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    """A decider declares no interest (the decision form then opens) or an interest
    (and so withdraws from deciding the bid)."""
    bid = selectors.bid_for(request.user, partnership, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was recorded: see below.")
        return _render_bid(request, partnership, bid, declaration_form=form, status=400)
    try:
        declaration = workflow.declare(
            bid=bid,
            by=request.user,
            interest=form.cleaned_data["interest"],
            details=form.cleaned_data["details"],
        )
    except workflow.NotYours as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    except workflow.TransitionRefused as refusal:
        messages.error(request, str(refusal))
        bid.refresh_from_db()
        return _render_bid(request, partnership, bid, status=409)
    if declaration.withdrawn:
        messages.success(
            request,
            f"Recorded: {declaration.get_interest_display().lower()}. "
            "You have withdrawn from deciding this bid.",
        )
    else:
        messages.success(request, "Recorded: no interest. You may now decide the bid.")
    return redirect(bid)


@require_POST
@partnership_view(APPLICANTS)
def bid_attach(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    bid = selectors.bid_for(request.user, partnership, pk)
    if not access.is_applicant_side(request.user, bid):
        raise PermissionDenied("Only the applicant's organisation may add papers.")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach(bid=bid, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Added “{form.cleaned_data['file'].name}”.")
            return redirect(bid)
    return _render_bid(request, partnership, bid, attachment_form=form, status=400)


@require_GET
@partnership_view(READERS)
def attachment(request: HttpRequest, partnership, pk: int, attachment_pk: int) -> FileResponse:
    bid = selectors.bid_for(request.user, partnership, pk)
    paper = get_object_or_404(BidAttachment, bid=bid, pk=attachment_pk)
    if not access.can_view_attachment(request.user, paper):
        raise Http404("No such paper.")
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=paper.original_name, content_type="application/pdf"
    )
    # A bid's papers are confidential: no shared or browser cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


# --- after approval -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view(APPLICANTS)
def return_submit(request: HttpRequest, partnership, pk: int, return_pk: int) -> HttpResponse:
    bid = selectors.bid_for(request.user, partnership, pk)
    if not access.can_report_on(request.user, bid):
        raise PermissionDenied("Only the funded organisation submits its returns.")
    item = get_object_or_404(bid.returns, pk=return_pk)
    form = ReturnForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            submit_return(
                monitoring_return=item,
                by=request.user,
                progress=form.cleaned_data["progress"],
                spend_to_date=form.cleaned_data["spend_to_date"],
                outcomes=form.cleaned_data["outcomes"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Monitoring return for {item.period} submitted.")
            return redirect(bid)
    heading = f"Monitoring return {item.period}: {bid.title}"
    return render(request, "funding/form.html", {"form": form, "heading": heading, "back": bid})


@require_http_methods(["GET", "POST"])
@partnership_view(APPLICANTS)
def evaluation_submit(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    bid = selectors.bid_for(request.user, partnership, pk)
    if not access.can_report_on(request.user, bid) or not hasattr(bid, "evaluation"):
        raise PermissionDenied("Only the funded organisation evaluates its project.")
    form = EvaluationForm(request.POST or None, instance=bid.evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            submit_evaluation(
                evaluation=bid.evaluation,
                by=request.user,
                summary=form.cleaned_data["summary"],
                outcomes=form.cleaned_data["outcomes"],
                mainstreaming=form.cleaned_data["mainstreaming"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Evaluation submitted.")
            return redirect(bid)
    heading = f"Annual evaluation: {bid.title}"
    return render(request, "funding/form.html", {"form": form, "heading": heading, "back": bid})


@require_GET
@partnership_view(READ_ALL)
def monitoring(request: HttpRequest, partnership) -> HttpResponse:
    if not access.can_read_reports(request.user, partnership):
        raise PermissionDenied("Monitoring is for the partnership's readers.")
    return render(
        request,
        "funding/monitoring.html",
        {"partnership": partnership, "due": returns_due(partnership)},
    )
