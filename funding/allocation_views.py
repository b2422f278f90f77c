"""The county's funding formula page (mounted under /county/<county>/funding/).

GET shows the form; POST computes the allocation (from the stored figures or an uploaded
CSV) and shows the result with its totals, a CSV download and, for an administrator of
every receiving partnership, the confirmed creation of each partnership's fund. Who may
do what is funding.access (can_run_allocation, can_create_allocated_funds).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from csp_portal import exports
from csp_portal.financial_year import Quarter
from csp_portal.forms import show_refusal
from csp_portal.models import County, Partnership
from funding import access, allocation_services
from funding.allocation import (
    COMPONENTS,
    OUTPUT_HEADER,
    Allocation,
    allocate,
    inputs_csv,
    inputs_from_figures,
    parse_inputs_csv,
)
from funding.allocation_forms import AllocationForm, CarriedInputsForm, CreateFundsForm


def _county(request: HttpRequest, slug: str) -> County:
    county = get_object_or_404(County, slug=slug)
    if not access.can_run_allocation(request.user, county):
        raise PermissionDenied(
            f"The {county} funding formula is run by administrators of its partnerships."
        )
    return county


def _partnerships(county: County):
    return Partnership.objects.filter(county=county).order_by("name")


def _read_upload(upload) -> str:
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text (save it as CSV UTF-8).") from error


def _compute(form: AllocationForm, county: County) -> Allocation:
    data = form.cleaned_data
    if data["source"] == "csv":
        inputs = parse_inputs_csv(_read_upload(data["inputs_file"]), list(_partnerships(county)))
    else:
        quarter = Quarter.parse(data["year"], data["quarter"])
        inputs = inputs_from_figures(list(data["partnerships"]), quarter, data["category"])
    return allocate(form.amounts(), inputs)


def _result_context(county: County, result: Allocation, user, create_form=None) -> dict:
    carried = {
        **{c: result.amounts[c] for c in COMPONENTS},
        "inputs_csv": inputs_csv(result.inputs),
    }
    receiving = [s.partnership for s in result.shares if s.partnership is not None]
    can_create = len(receiving) == len(result.shares) and access.can_create_allocated_funds(
        user, receiving
    )
    return {
        "result": result,
        "result_rows": list(zip(result.shares, result.inputs, strict=True)),
        "input_totals": {
            "population": sum(i.population for i in result.inputs),
            "crime": sum(i.crime for i in result.inputs),
        },
        "carried": CarriedInputsForm(initial=carried),
        "can_create": can_create,
        "create_form": create_form or CreateFundsForm(initial={**carried, "funder": str(county)}),
    }


@require_http_methods(["GET", "POST"])
def allocation(request: HttpRequest, county: str) -> HttpResponse:
    found = _county(request, county)
    form = AllocationForm(
        request.POST or None, request.FILES or None, partnerships=_partnerships(found)
    )
    context: dict = {"county": found, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = _compute(form, found)
        except ValidationError as error:
            context["errors"] = error.messages
        else:
            context.update(_result_context(found, result, request.user))
    return render(request, "funding/allocation.html", context)


def _carried_allocation(request: HttpRequest, county: County) -> Allocation | HttpResponse:
    """The allocation the result page's buttons carry, computed again from its inputs;
    a 400 answer when they are missing or wrong."""
    form = CarriedInputsForm(request.POST)
    if not form.is_valid():
        return HttpResponse("The allocation's inputs are missing or wrong.", status=400)
    try:
        inputs = parse_inputs_csv(form.cleaned_data["inputs_csv"], list(_partnerships(county)))
        return allocate(form.amounts(), inputs)
    except ValidationError as error:
        return HttpResponse("; ".join(error.messages), status=400)


@require_POST
def allocation_csv(request: HttpRequest, county: str) -> HttpResponse:
    found = _county(request, county)
    result = _carried_allocation(request, found)
    if isinstance(result, HttpResponse):
        return result
    return exports.csv_response(f"{found.slug}-allocation.csv", result.rows(), OUTPUT_HEADER)


@require_POST
def create_funds(request: HttpRequest, county: str) -> HttpResponse:
    found = _county(request, county)
    result = _carried_allocation(request, found)
    if isinstance(result, HttpResponse):
        return result
    form = CreateFundsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            funds = allocation_services.create_allocated_funds(
                allocation=result,
                county=found,
                name=data["fund_name"],
                year=data["fund_year"],
                funder=data["funder"],
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"Created {len(funds)} funds “{data['fund_name']}” for {data['fund_year']}.",
            )
            return redirect("allocation:index", county=found.slug)
    context: dict = {"county": found, "form": AllocationForm(partnerships=_partnerships(found))}
    context.update(_result_context(found, result, request.user, create_form=form))
    return render(request, "funding/allocation.html", context, status=200)
