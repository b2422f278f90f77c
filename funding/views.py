"""Pages of the funding app: thin callers of workflow, services and the app's reads.

Bids are always fetched through `selectors.bid_for`, so a bid the person may not see
(another organisation's, another partnership's) is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csp_portal import exports
from csp_portal.access import READERS, partnership_view
from csp_portal.forms import show_refusal
from funding import access, budget, giving360, home, reports, selectors, services
from funding.access import MANAGERS, READ_ALL
from funding.forms import (
    BudgetLineForm,
    FundForm,
    SpendForm,
)
from funding.models import BudgetLine, Fund, SpendEntry
from funding.monitoring import returns_due


@require_GET
@partnership_view(READERS)
def index(request: HttpRequest, partnership) -> HttpResponse:
    user = request.user
    reader = access.reads_everything(user, partnership)
    funds = []
    if reader:
        for fund in Fund.objects.filter(partnership=partnership):
            funds.append({"fund": fund, "table": budget.budget_table(fund)})
    mine = selectors.bids_for(user, partnership)
    org = access.organisation_id(user)
    own = mine.filter(applicant_organisation_id=org) if org else mine.filter(applicant=user)
    queue = [b for b in home.decision_queue(user) if b.fund.partnership_id == partnership.pk]
    others = mine.exclude(pk__in=[b.pk for b in own]) if reader else mine.none()
    return render(
        request,
        "funding/index.html",
        {
            "partnership": partnership,
            "funds": funds,
            "open_funds": Fund.objects.filter(
                selectors.open_for_bids(today=timezone.localdate()), partnership=partnership
            ),
            "own_bids": own.select_related("fund", "applicant_organisation"),
            "queue": queue,
            "all_bids": others.select_related("fund", "applicant_organisation")[:200],
            "reader": reader,
            "can_bid": access.can_start_bid(user, partnership),
            "can_manage": access.can_manage_funds(user, partnership),
            "due": returns_due(partnership) if reader else None,
        },
    )


# --- funds and budget lines -------------------------------------------------------------


@require_GET
@partnership_view(READ_ALL)
def fund_detail(request: HttpRequest, partnership, pk: int) -> HttpResponse:
    if not access.can_read_reports(request.user, partnership):
        raise PermissionDenied("Budgets are for the partnership's readers.")
    fund = get_object_or_404(Fund, partnership=partnership, pk=pk)
    table = budget.budget_table(fund)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{fund.name} {fund.year}".replace("/", "-")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        exports.csv_writer(response).writerows(table.as_csv_rows())
        return response
    return render(
        request,
        "funding/fund_detail.html",
        {
            "partnership": partnership,
            "fund": fund,
            "table": table,
            # Through fund.bids, so each bid knows its fund without a query of its own.
            "bids": fund.bids.filter(
                pk__in=selectors.bids_for(request.user, partnership).values("pk")
            ).select_related("applicant_organisation", "budget_line"),
            "spend": SpendEntry.objects.filter(budget_line__fund=fund)
            .select_related("budget_line", "bid")
            .order_by("-date", "-pk")[:100],
            "can_manage": access.can_manage_funds(request.user, partnership),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view(MANAGERS)
def fund_edit(request: HttpRequest, partnership, pk: int | None = None) -> HttpResponse:
    fund = (
        get_object_or_404(Fund, partnership=partnership, pk=pk)
        if pk
        else Fund(partnership=partnership)
    )
    form = FundForm(request.POST or None, instance=fund)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.save_fund(fund=form.instance)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Saved {fund}.")
            return redirect(fund)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "heading": f"Edit {fund}" if pk else "New fund",
            "back": fund if pk else None,
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view(MANAGERS)
def line_edit(
    request: HttpRequest, partnership, fund_pk: int, pk: int | None = None
) -> HttpResponse:
    fund = get_object_or_404(Fund, partnership=partnership, pk=fund_pk)
    line = get_object_or_404(BudgetLine, fund=fund, pk=pk) if pk else BudgetLine(fund=fund)
    form = BudgetLineForm(request.POST or None, instance=line, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_budget_line(line=form.instance)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Saved the budget line “{line.description}”.")
            return redirect(fund)
    heading = f"Edit “{line.description}”" if pk else f"New budget line in {fund}"
    return render(request, "funding/form.html", {"form": form, "heading": heading, "back": fund})


@require_http_methods(["GET", "POST"])
@partnership_view(MANAGERS)
def spend_new(request: HttpRequest, partnership, fund_pk: int) -> HttpResponse:
    fund = get_object_or_404(Fund, partnership=partnership, pk=fund_pk)
    form = SpendForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_spend(
                line=data["budget_line"],
                bid=data["bid"],
                date=data["date"],
                amount=data["amount"],
                reference=data["reference"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Spend recorded.")
            return redirect(fund)
    return render(
        request,
        "funding/form.html",
        {"form": form, "heading": f"Record spend: {fund}", "back": fund},
    )


# --- reports ------------------------------------------------------------------------------


@require_GET
@partnership_view(READ_ALL)
def decisions_report(request: HttpRequest, partnership) -> HttpResponse:
    if not access.can_read_reports(request.user, partnership):
        raise PermissionDenied("The decisions report is for the partnership's readers.")
    try:
        since = reports.parse_since({"since": request.GET.get("since")}, partnership)
    except ValueError as error:
        messages.error(request, str(error))
        since = reports.last_board_meeting(partnership)
    return render(
        request,
        "funding/decisions_report.html",
        {
            "partnership": partnership,
            "since": since,
            "bids": reports.decisions_by_bid(reports.decisions_since(partnership, since)),
            "declarations": reports.declarations_since(partnership, since),
        },
    )


@require_GET
@partnership_view(READ_ALL)
def grants_export(request: HttpRequest, partnership, fmt: str) -> HttpResponse:
    if not access.can_read_reports(request.user, partnership):
        raise PermissionDenied("The exports are for the partnership's readers.")
    if fmt == "csv":
        response = HttpResponse(giving360.as_csv(partnership), content_type="text/csv")
    else:
        response = HttpResponse(giving360.as_json(partnership), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-grants.{fmt}"'
    return response
