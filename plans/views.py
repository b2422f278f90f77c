"""The plans app's plan pages: the plan in force and the list of versions, a plan and
its PDF and strategic assessment, creating and editing a draft, the annual review,
adoption and the comparison of versions. A draft's content (themes, priorities,
measures, actions): content_views.py; a priority and its quarterly update:
priority_views.py.

Everyone in the partnership reads plans; partnership administrators edit drafts and run
the annual review. Objects are always fetched within the partnership in the URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from csp_portal.access import READERS, partnership_view
from csp_portal.forms import show_refusal
from csp_portal.versioning import StaleVersion, refresh_version
from plans import lifecycle, selectors, services
from plans.access import PLAN_EDITORS
from plans.forms import PlanForm
from plans.pages import form_page, plan_in, plan_url, refuse_unless
from plans.pdf import plan_pdf_bytes
from plans.review import diff_plans


@require_GET
@partnership_view(READERS)
def index(request: HttpRequest, partnership) -> HttpResponse:
    """The plan in force, or the list of plans while none is adopted."""
    plan = selectors.current_plan(partnership)
    if plan is not None:
        return redirect("plans:plan", partnership=partnership.slug, plan=plan.pk)
    return plan_list(request, partnership.slug)


@require_GET
@partnership_view(READERS)
def plan_list(request: HttpRequest, partnership) -> HttpResponse:
    return render(
        request,
        "plans/plan_list.html",
        {
            "partnership": partnership,
            "plans": selectors.plans_for(partnership),
            "may_start": lifecycle.may_start(partnership, request.user),
        },
    )


@require_GET
@partnership_view(READERS)
def plan_detail(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = plan_in(partnership, plan)
    quarter = selectors.quarter_from_param(plan, request.GET.get("quarter"))
    overview = selectors.plan_overview(plan, quarter)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "partnership": partnership,
            "plan": plan,
            "quarter": quarter,
            "overview": overview,
            "steps": lifecycle.allowed_steps(plan, request.user),
            "draft": selectors.draft_besides(plan),
        },
    )


@require_GET
@partnership_view(READERS)
def plan_pdf(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = plan_in(partnership, plan)
    quarter = selectors.quarter_from_param(plan, request.GET.get("quarter"))
    response = HttpResponse(plan_pdf_bytes(plan, quarter), content_type="application/pdf")
    name = slugify(f"{partnership.slug} {plan.label}")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'  # a PDF we built
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@partnership_view(READERS)
def assessment(request: HttpRequest, partnership, plan: int) -> FileResponse:
    """The strategic assessment, served only to members (MEDIA_ROOT is not public)."""
    plan = plan_in(partnership, plan)
    if not plan.strategic_assessment:
        raise Http404("This plan has no strategic assessment attached.")
    try:
        handle = plan.strategic_assessment.open("rb")
    except FileNotFoundError as error:
        raise Http404("The strategic assessment file is missing.") from error
    # An uploaded file, not one we built: downloaded, never opened inside the portal.
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=plan.strategic_assessment_name or "strategic-assessment.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def plan_create(request: HttpRequest, partnership) -> HttpResponse:
    form = PlanForm(request.POST or None, request.FILES or None)
    back = reverse("plans:list", kwargs={"partnership": partnership.slug})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                partnership=partnership,
                title=data["title"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                vision=data["vision"],
                overarching_aim=data["overarching_aim"],
                key_findings=data["key_findings"],
                document=data.get("document"),
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{plan.label} created as a draft.")
            return redirect("plans:plan", partnership=partnership.slug, plan=plan.pk)
    return form_page(request, partnership, form, title="New plan", back=back, plan=None)


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def plan_edit(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = plan_in(partnership, plan)
    refuse_unless("edit", plan, request.user)
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan)
    back = reverse("plans:plan", kwargs={"partnership": partnership.slug, "plan": plan.pk})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                plan=form.instance,
                expected_version=form.posted_version(),
                document=form.cleaned_data.get("document"),
            )
        except StaleVersion as error:
            stale = error
            refresh_version(form, error)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Plan saved.")
            return redirect(back)
    return form_page(
        request, partnership, form, title=f"Edit {plan.label}", back=back, plan=plan, stale=stale
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def review_start(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = plan_in(partnership, plan)
    # Only the plan in force is reviewed into next year's version.
    refuse_unless("review", plan, request.user)
    if request.method == "POST":
        try:
            draft = services.start_review(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan_url(plan))
        messages.success(request, f"{draft.label} started as a draft from {plan.label}.")
        return redirect(plan_url(draft))
    return render(
        request,
        "plans/confirm.html",
        {
            "partnership": partnership,
            "plan": plan,
            "title": f"Start the annual review of {plan.label}",
            "explanation": "This makes a draft copy of the plan for next year: its themes, "
            "priorities, measures and the actions not yet complete. The adopted plan stays "
            "in force until the draft is adopted.",
            "submit": "Start the review",
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view(PLAN_EDITORS)
def adopt(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    plan = plan_in(partnership, plan)
    refuse_unless("adopt", plan, request.user)  # only a draft is adopted
    if request.method == "POST":
        try:
            services.adopt(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{plan.label} adopted.")
        return redirect(plan_url(plan))
    current = selectors.current_plan(partnership)
    return render(
        request,
        "plans/confirm.html",
        {
            "partnership": partnership,
            "plan": plan,
            "title": f"Adopt {plan.label}",
            "explanation": (f"{current.label} will be superseded. " if current else "")
            + "An adopted plan is read-only: further changes need the next annual review.",
            "submit": "Adopt the plan",
        },
    )


@require_GET
@partnership_view(READERS)
def compare(request: HttpRequest, partnership, plan: int) -> HttpResponse:
    """What changed between this version and another (by default the one it came from)."""
    plan = plan_in(partnership, plan)
    other_id = request.GET.get("with") or plan.based_on_id
    if not other_id or not str(other_id).isdigit():
        raise Http404("Choose a version to compare with.")
    other = plan_in(partnership, int(other_id))
    old, new = sorted(
        [other, plan], key=lambda p: (p.first_year, p.version_year or p.first_year, p.pk)
    )
    return render(
        request,
        "plans/compare.html",
        {
            "partnership": partnership,
            "plan": plan,
            "old": old,
            "new": new,
            "sections": diff_plans(old, new),
            "versions": selectors.plans_for(partnership).exclude(pk=plan.pk),
        },
    )
