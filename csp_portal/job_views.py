"""A background job's page and the JSON its script polls: for the person who started the
job, and nobody else (everyone else gets a 404, as for an object that does not exist)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from csp_portal.jobs import job_for_starter, job_state


@require_GET
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    job = job_for_starter(request.user, pk)
    return render(request, "csp_portal/job.html", {"job": job, "state": job_state(job)})


@require_GET
@never_cache
def job_status(request: HttpRequest, pk) -> JsonResponse:
    return JsonResponse(job_state(job_for_starter(request.user, pk)))
