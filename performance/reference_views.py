"""The partnership's reference data for imports and comparisons: the LSOA → beat lookup
(a CSV upload or row by row) and the family group's figures (preview, then confirm) and
membership.

Only performance officers and partnership administrators reach these views.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from performance import pending_imports
from performance.entry_views import editors, forms_only
from performance.family import (
    GROUP_SIZE,
    apply_peer_figures,
    family_group_for,
    parse_peer_figures,
    save_membership,
    wrong_sizes,
)
from performance.forms import FileOnlyForm, LsoaBeatFormSet, MemberFormSet
from performance.models import FamilyGroupMember, LsoaBeat
from performance.reference_data import apply_lsoa_lookup, parse_lsoa_lookup, save_reference_rows
from performance.spreadsheets import UnreadableFile, read_table
from performance.views import _context


@forms_only
@editors
def lsoa(request: HttpRequest, partnership) -> HttpResponse:
    """The LSOA → beat lookup: upload a CSV of it, or edit it row by row."""
    queryset = LsoaBeat.objects.filter(partnership=partnership).select_related("beat")
    upload_form = FileOnlyForm()
    errors = []
    formset = LsoaBeatFormSet(queryset=queryset, form_kwargs={"partnership": partnership})
    if request.method == "POST" and "upload" in request.POST:
        upload_form = FileOnlyForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload_file = upload_form.cleaned_data["file"]
            try:
                parsed = parse_lsoa_lookup(partnership, read_table(upload_file, upload_file.name))
            except UnreadableFile as error:
                upload_form.add_error("file", str(error))
            else:
                if parsed.ok:
                    added, changed = apply_lsoa_lookup(partnership=partnership, parsed=parsed)
                    messages.success(request, f"LSOA lookup: {added} added, {changed} changed.")
                    return redirect("performance:lsoa", partnership=partnership.slug)
                errors = parsed.errors
    elif request.method == "POST":
        formset = LsoaBeatFormSet(
            request.POST, queryset=queryset, form_kwargs={"partnership": partnership}
        )
        if formset.is_valid():
            save_reference_rows(partnership=partnership, formset=formset)
            messages.success(request, "LSOA lookup saved.")
            return redirect("performance:lsoa", partnership=partnership.slug)
    return render(
        request,
        "performance/lsoa.html",
        _context(
            request, partnership, "lsoa", formset=formset, upload_form=upload_form, errors=errors
        ),
        status=400 if errors or upload_form.errors or formset.errors else 200,
    )


@forms_only
@editors
def family_upload(request: HttpRequest, partnership) -> HttpResponse:
    """Upload family-group figures (preview, then confirm) and keep the membership."""
    group = family_group_for(partnership)
    form = FileOnlyForm(request.POST or None, request.FILES or None)
    members = MemberFormSet(
        queryset=FamilyGroupMember.objects.filter(family_group=group), prefix="members"
    )
    context: dict[str, Any] = {}
    if request.method == "POST" and "confirm" in request.POST:
        token = request.POST.get("token", "")
        kept = pending_imports.fetch(request, token, partnership=partnership, kind="family")
        if kept is None:
            messages.error(request, "That upload has expired; upload it again.")
            return redirect("performance:family_upload", partnership=partnership.slug)
        (path,), _ = kept
        with pending_imports.open_kept(token, path) as kept_file:
            parsed = parse_peer_figures(partnership, read_table(kept_file))
        if parsed.ok:
            written = apply_peer_figures(partnership=partnership, parsed=parsed, user=request.user)
            pending_imports.discard(request, token)
            messages.success(request, f"Family-group figures imported: {written} written.")
            return redirect("performance:family", partnership=partnership.slug)
        context["parsed"] = parsed
    elif request.method == "POST" and "members-TOTAL_FORMS" in request.POST:
        form = FileOnlyForm()
        members = MemberFormSet(
            request.POST,
            queryset=FamilyGroupMember.objects.filter(family_group=group),
            prefix="members",
        )
        if members.is_valid():
            saved, removed = save_membership(group=group, formset=members)
            if saved or removed:
                messages.success(
                    request, f"Family group membership saved: {saved} saved, {removed} removed."
                )
            else:
                messages.info(request, "Nothing had changed in the membership; nothing saved.")
            return redirect("performance:family_upload", partnership=partnership.slug)
    elif request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            parsed = parse_peer_figures(partnership, read_table(upload_file, upload_file.name))
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            context["parsed"] = parsed
            if parsed.ok:
                upload_file.seek(0)
                context["token"] = pending_imports.keep(
                    request, partnership=partnership, kind="family", files=[upload_file]
                )
    failed = bool(
        form.errors or members.errors or (context.get("parsed") and context["parsed"].errors)
    )
    stored = list(FamilyGroupMember.objects.filter(family_group=group))
    # The group's size can change only on a joining day or the day after a leaving day.
    days = [timezone.localdate(), *(m.joined for m in stored if m.joined)]
    days += [m.left + dt.timedelta(days=1) for m in stored if m.left]
    return render(
        request,
        "performance/family_upload.html",
        _context(
            request,
            partnership,
            "family_upload",
            form=form,
            members=members,
            wrong_sizes=wrong_sizes(stored, days),
            group_size=GROUP_SIZE,
            **context,
        ),
        status=400 if failed else 200,
    )
