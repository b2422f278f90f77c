"""The targets page: each category's target for a financial year.

Rows are matched to categories by the category id each row carries, never by position,
so a page opened before a category was added or removed is refused with a message (not
an error page), keeping what was typed. The page carries a version (the targets it was
opened on, see performance/versions.py): a save after someone else's is refused showing
what they changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from csp_portal.access import EDITORS_OF_FIGURES, partnership_view
from csp_portal.financial_year import FinancialYear
from performance import services, versions
from performance.dashboards import categories_in_order
from performance.entry_views import forms_only
from performance.forms import TargetFormSet, year_choices
from performance.models import Target, TargetKind
from performance.views import _context

PREFIX = "form"
ROW_FIELDS = ("kind", "value", "tolerance")
#: More rows than any partnership has categories: a bigger TOTAL_FORMS is not read.
MAX_ROWS = 1000


@dataclass(frozen=True)
class TargetConflict:
    """A category whose target someone else saved after the page was opened."""

    category: str
    opened: str
    now: str
    kept_theirs: bool


def _describe(entry) -> str:
    if not entry:
        return "No target"
    kind, value, _ = entry
    if kind not in TargetKind.values:
        return str(kind)
    return Target(kind=kind, value=Decimal(value) if value is not None else None).describe()


def _posted_rows(post: QueryDict) -> tuple[dict[str, dict[str, str]], int]:
    """The posted rows by category id, and how many rows had no readable category."""
    try:
        total = min(int(post.get(f"{PREFIX}-TOTAL_FORMS", "0")), MAX_ROWS)
    except ValueError:
        total = 0
    rows, unnamed = {}, 0
    for index in range(max(total, 0)):
        category = (post.get(f"{PREFIX}-{index}-category") or "").strip()
        if not category.isdigit():
            unnamed += 1
            continue
        rows[category] = {f: post.get(f"{PREFIX}-{index}-{f}", "") for f in ROW_FIELDS}
    return rows, unnamed


def _stored_row(entry) -> dict[str, str]:
    if not entry:
        return {"kind": "", "value": "", "tolerance": "5"}
    kind, value, tolerance = entry
    return {"kind": kind, "value": value or "", "tolerance": tolerance}


def _data(categories, rows: dict[str, dict[str, str]], stored: dict, year) -> QueryDict:
    """Form data in today's category order: typed rows where posted, stored otherwise."""
    data = QueryDict(mutable=True)
    data["year"] = str(year.start_year)
    data[f"{PREFIX}-TOTAL_FORMS"] = data[f"{PREFIX}-INITIAL_FORMS"] = str(len(categories))
    for index, category in enumerate(categories):
        row = rows.get(str(category.pk)) or _stored_row(stored.get(str(category.pk)))
        data[f"{PREFIX}-{index}-category"] = str(category.pk)
        for name in ROW_FIELDS:
            data[f"{PREFIX}-{index}-{name}"] = row.get(name, "")
    return data


def _same(typed: dict[str, str], entry) -> bool:
    """Whether a typed row still says what the stored `entry` said (ignoring 5 vs 5.00)."""

    def number(text):
        try:
            return Decimal(text) if text not in (None, "") else None
        except InvalidOperation:
            return text

    stored = _stored_row(entry)
    if (typed.get("kind") or "") != stored["kind"]:
        return False
    return all(number(typed.get(f)) == number(stored[f]) for f in ("value", "tolerance"))


@forms_only
@partnership_view(roles=EDITORS_OF_FIGURES)
def targets(request: HttpRequest, partnership) -> HttpResponse:
    """Each category's target for a financial year."""
    try:
        year = FinancialYear.parse(
            request.GET.get("year") or request.POST.get("year") or FinancialYear.current()
        )
    except ValueError:
        year = FinancialYear.current()
    categories = categories_in_order(partnership)
    stored = services.target_snapshot(partnership, year)
    version = versions.sign(stored)
    initial = [{"category": c.pk, **_stored_row(stored.get(str(c.pk)))} for c in categories]
    conflicts: list[TargetConflict] = []
    problems: list[str] = []
    status = 200
    if request.method != "POST":
        formset = TargetFormSet(initial=initial, prefix=PREFIX)
    else:
        rows, unnamed = _posted_rows(request.POST)
        names = {str(c.pk): c.name for c in categories}
        added = [c.name for c in categories if str(c.pk) not in rows]
        gone = [key for key in rows if key not in names]
        opened = versions.read(request.POST.get("version")) or {}
        if unnamed or added or gone:
            problems.append(
                "The categories changed since this page was opened"
                + (f" (new: {', '.join(added)})" if added else "")
                + (f" ({len(gone)} removed)" if gone else "")
                + ". Nothing was saved; your rows are kept below, with the new categories "
                "as stored. Check them and save again."
            )
        formset = TargetFormSet(_data(categories, rows, stored, year), initial=initial,
                                prefix=PREFIX)  # fmt: skip
        if not problems and formset.is_valid():
            typed = {str(f.cleaned_data["category"]): f.cleaned_data for f in formset.forms}
            try:
                saved, removed = services.save_targets(
                    partnership=partnership,
                    year=year,
                    rows={int(k): v for k, v in typed.items()},
                    opened=opened,
                )
            except versions.StaleVersion as stale:
                for difference in stale.differences:
                    mine = rows.get(difference.key, {})
                    untouched = _same(mine, difference.opened) and not stale.missing
                    if untouched:  # the officer had not changed it: show theirs
                        rows[difference.key] = _stored_row(difference.now)
                    conflicts.append(
                        TargetConflict(
                            names.get(difference.key, "A removed category"),
                            _describe(difference.opened),
                            _describe(difference.now),
                            untouched,
                        )
                    )
                formset = TargetFormSet(_data(categories, rows, stored, year), initial=initial,
                                        prefix=PREFIX)  # fmt: skip
                formset.is_valid()
                status = 409
            else:
                messages.success(request, f"Targets for {year}: {saved} set, {removed} removed.")
                return redirect(
                    reverse("performance:targets", kwargs={"partnership": partnership.slug})
                    + f"?year={year.start_year}"
                )
        elif problems:
            status = 409
        else:
            status = 400
            version = request.POST.get("version", "")  # still the one it was opened on
    return render(
        request,
        "performance/targets.html",
        _context(
            request,
            partnership,
            "targets",
            year=year,
            years=year_choices(),
            formset=formset,
            rows=list(zip(categories, formset.forms, strict=True)),
            version=version,
            conflicts=conflicts,
            problems=problems,
        ),
        status=status,
    )
