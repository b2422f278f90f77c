"""Writes of performance figures: the entry grid, imports, publishing, corrections,
targets and the beats and categories the dashboards show.

Every function here runs in one transaction: a save or an import either writes all of
its figures or none. Views, management commands, the admin, the demo loader and tests
all call these. They are also the one place that refreshes the dashboards' cache: each
function that writes something the dashboards read ends with
`caching.figures_changed()`, so nothing else (no signal, no flag on an instance) has to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance import versions
from performance.caching import figures_changed
from performance.models import (
    Beat,
    CrimeCategory,
    FigureCorrection,
    PublishedQuarter,
    QuarterlyFigure,
)

#: (financial year start, quarter number, category id, beat id or None for the total)
CellKey = tuple[int, int, int, int | None]


@dataclass
class FigureChanges:
    """What applying a set of figures creates, changes, removes or leaves alone."""

    created: dict[CellKey, int] = field(default_factory=dict)
    changed: dict[CellKey, tuple[int, int]] = field(default_factory=dict)  # (old, new)
    removed: dict[CellKey, int] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.changed) + len(self.removed)

    def quarters(self) -> set[tuple[int, int]]:
        keys = [*self.created, *self.changed, *self.removed]
        return {(key[0], key[1]) for key in keys}


class ReasonRequired(ValidationError):
    """A change to a published quarter was attempted without saying why."""


def _stored(partnership: Partnership, quarters: Iterable[tuple[int, int]], category_ids=None):
    quarters = set(quarters)
    if not quarters:
        return {}
    years = {year for year, _ in quarters}
    rows = QuarterlyFigure.objects.filter(partnership=partnership, financial_year__in=years)
    if category_ids is not None:
        rows = rows.filter(category_id__in=set(category_ids))
    found = {}
    for figure in rows:  # whole rows: the history copies every field
        key = (figure.financial_year.start_year, figure.quarter, figure.category_id, figure.beat_id)
        if (key[0], key[1]) in quarters:
            found[key] = figure
    return found


def compare_figures(
    partnership: Partnership, values: Mapping[CellKey, int | None]
) -> FigureChanges:
    """What `values` would do to the stored figures (None = remove the stored figure)."""
    stored = _stored(
        partnership, {(k[0], k[1]) for k in values}, category_ids={k[2] for k in values}
    )
    return _compare(stored, values)


def _compare(stored, values: Mapping[CellKey, int | None]) -> FigureChanges:
    changes = FigureChanges()
    for key, count in values.items():
        existing = stored.get(key)
        if existing is None:
            if count is not None:
                changes.created[key] = count
        elif count is None:
            changes.removed[key] = existing.count
        elif existing.count != count:
            changes.changed[key] = (existing.count, count)
        else:
            changes.unchanged += 1
    return changes


def published_quarters(partnership: Partnership) -> set[tuple[int, int]]:
    return {
        (int(year), number)
        for year, number in PublishedQuarter.objects.filter(partnership=partnership).values_list(
            "financial_year", "quarter"
        )
    }


@transaction.atomic
def apply_figures(
    *,
    partnership: Partnership,
    values: Mapping[CellKey, int | None],
    user=None,
    reason: str = "",
) -> FigureChanges:
    """Write `values` (None removes a stored figure) in one transaction.

    Changing a published quarter needs a `reason`; it is kept on each figure's history
    and as a FigureCorrection per quarter. Raises ReasonRequired (writing nothing) when a
    published quarter would change without one.
    """
    for key, count in values.items():
        if count is not None and (not isinstance(count, int) or count < 0):
            raise ValidationError(f"{count!r} is not a whole number of 0 or more ({key}).")
    quarters = {(k[0], k[1]) for k in values}
    # Lock the partnership row so two saves of the same figures queue up, not interleave.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    stored = _stored(partnership, quarters, category_ids={k[2] for k in values})
    changes = _compare(stored, values)
    published = published_quarters(partnership) & changes.quarters()
    reason = reason.strip()
    if published and not reason:
        names = ", ".join(str(Quarter.parse(y, q)) for y, q in sorted(published))
        raise ReasonRequired(
            f"{names} is published: say why you are correcting it (the reason is kept "
            "in the figures' history)."
        )
    change_reason = reason[:100] or None
    now = timezone.now()
    if changes.created:
        new = [
            QuarterlyFigure(
                partnership=partnership,
                financial_year=year,
                quarter=number,
                category_id=category_id,
                beat_id=beat_id,
                count=count,
                updated_by=user,
                updated_at=now,
            )
            for (year, number, category_id, beat_id), count in changes.created.items()
        ]
        bulk_create_with_history(
            new,
            QuarterlyFigure,
            batch_size=1000,
            default_user=user,
            default_change_reason=change_reason,
            default_date=now,
        )
    if changes.changed:
        updated = []
        for key, (_, count) in changes.changed.items():
            figure = stored[key]
            figure.count, figure.updated_by, figure.updated_at = count, user, now
            updated.append(figure)
        # One INSERT … ON CONFLICT (id) DO UPDATE per 1,000 figures: every row exists, so
        # each is updated. bulk_update's CASE expression per cell takes ~5× as long.
        QuarterlyFigure.objects.bulk_create(
            updated,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["count", "updated_by", "updated_at"],
            batch_size=1000,
        )
        QuarterlyFigure.history.bulk_history_create(
            updated,
            batch_size=1000,
            update=True,
            default_user=user,
            default_change_reason=change_reason,
            default_date=now,
        )
    for key in changes.removed:
        figure = stored[key]
        figure._change_reason = change_reason
        figure._history_user = user
        figure.delete()
    if changes.total:
        figures_changed(partnership.pk)
    for year, number in sorted(published):
        touched = sum(
            1
            for k in [*changes.created, *changes.changed, *changes.removed]
            if (k[0], k[1]) == (year, number)
        )
        FigureCorrection.objects.create(
            partnership=partnership,
            financial_year=year,
            quarter=number,
            reason=reason,
            cells_changed=touched,
            made_by=user,
        )
    return changes


def grid_key(category_id: int, beat_id: int | None) -> str:
    """A grid cell's key in the grid's version snapshot."""
    return f"{category_id}:{'total' if beat_id is None else beat_id}"


def grid_snapshot(
    partnership: Partnership, quarter: Quarter, cells: Iterable[tuple[int, int | None]]
) -> dict[str, int]:
    """The stored figures of these grid cells (the grid's version, see versions.py)."""
    wanted = set(cells)
    rows = QuarterlyFigure.objects.filter(
        partnership=partnership,
        financial_year=quarter.financial_year.start_year,
        quarter=quarter.number,
        category_id__in={category_id for category_id, _ in wanted},
    ).values_list("category_id", "beat_id", "count")
    return {grid_key(c, b): count for c, b, count in rows if (c, b) in wanted}


@transaction.atomic
def save_grid(
    *,
    partnership: Partnership,
    quarter: Quarter,
    cells: Mapping[tuple[int, int | None], int | None],
    user=None,
    reason: str = "",
    opened: Mapping[str, object] | None = None,
) -> FigureChanges:
    """Save the entry grid of one quarter: cells keyed by (category id, beat id or None).

    `opened`: the snapshot the page was opened on (versions.read of its version; {} for
    a page without one). If another save changed any of these cells since, raises
    versions.StaleVersion and writes nothing. None: no check (imports, tests).
    """
    if opened is not None:
        # Under the same lock apply_figures takes: a save queued behind this one sees
        # this one's figures.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        versions.check(opened, grid_snapshot(partnership, quarter, cells))
    year = quarter.financial_year.start_year
    values = {
        (year, quarter.number, category_id, beat_id): count
        for (category_id, beat_id), count in cells.items()
    }
    return apply_figures(partnership=partnership, values=values, user=user, reason=reason)


@transaction.atomic
def publish_quarter(
    *, partnership: Partnership, quarter: Quarter, user=None, today: dt.date | None = None
) -> PublishedQuarter:
    """Release a quarter to the dashboards; from now on corrections need a reason.

    Refused for a quarter that has not ended (its figures cannot be complete), for one
    with no figures at all (the board would see an empty quarter as "no crime"), and for
    one that is incomplete: an active category without its partnership total, or a month
    of a month-based import not in (performance.completeness), each named.
    """
    from performance.completeness import completeness

    if quarter > Quarter.latest_complete(today or timezone.localdate()):
        raise ValidationError(
            f"{quarter} runs to {quarter.end:%-d %B %Y}: publish it once it has ended and "
            "its figures are in."
        )
    has_figures = QuarterlyFigure.objects.filter(
        partnership=partnership,
        financial_year=quarter.financial_year.start_year,
        quarter=quarter.number,
    ).exists()
    if not has_figures:
        raise ValidationError(f"{quarter} has no figures yet: enter them before publishing.")
    status = completeness(partnership, [quarter]).quarter(quarter)
    if not status.complete:
        raise ValidationError(status.refusal())
    published, created = PublishedQuarter.objects.get_or_create(
        partnership=partnership,
        financial_year=quarter.financial_year,
        quarter=quarter.number,
        defaults={"published_by": user},
    )
    if created:
        figures_changed(partnership.pk)
    return published


def target_snapshot(partnership: Partnership, year) -> dict[str, list]:
    """The year's stored targets, by category id: [kind, value, tolerance] as text (the
    targets page's version, see versions.py)."""
    from performance.models import Target

    return {
        str(t.category_id): [
            t.kind,
            None if t.value is None else str(t.value),
            str(t.tolerance),
        ]
        for t in Target.objects.filter(partnership=partnership, financial_year=year)
    }


@transaction.atomic
def save_targets(
    *,
    partnership: Partnership,
    year,
    rows: Mapping[int, dict | None],
    opened: Mapping[str, object] | None = None,
) -> tuple[int, int]:
    """Set each category's target for `year` (None or no kind removes it).

    `rows` maps category id -> {"kind", "value", "tolerance"}; returns (saved, removed).
    `opened`: the targets page's snapshot (see save_grid); a target saved by someone
    else since raises versions.StaleVersion, writing nothing. None: no check.
    """
    from performance.models import CrimeCategory, Target

    if opened is not None:
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        versions.check(opened, target_snapshot(partnership, year))
    valid_ids = set(
        CrimeCategory.objects.filter(partnership=partnership, pk__in=list(rows)).values_list(
            "pk", flat=True
        )
    )
    saved = removed = 0
    for category_id, row in rows.items():
        if category_id not in valid_ids:
            raise ValidationError("That category is not one of this partnership's.")
        if not row or not row.get("kind"):
            removed += Target.objects.filter(
                partnership=partnership, category_id=category_id, financial_year=year
            ).delete()[0]
            continue
        Target.objects.update_or_create(
            partnership=partnership,
            category_id=category_id,
            financial_year=year,
            defaults={
                "kind": row["kind"],
                "value": row.get("value"),
                "tolerance": row.get("tolerance") if row.get("tolerance") is not None else 5,
            },
        )
        saved += 1
    if saved or removed:
        figures_changed(partnership.pk)
    return saved, removed


#: What the dashboards show of a partnership besides its figures.
ReferenceRecord = TypeVar("ReferenceRecord", Beat, CrimeCategory)


@transaction.atomic
def save_reference(*, record: ReferenceRecord) -> ReferenceRecord:
    """Save a beat or a category (new or changed): the dashboards show it at once."""
    record.save()
    figures_changed(record.partnership_id)
    return record


@transaction.atomic
def delete_reference(*, record: Beat | CrimeCategory) -> None:
    """Delete a beat or a category (refused by PROTECT while figures use it)."""
    partnership_id = record.partnership_id
    record.delete()
    figures_changed(partnership_id)
