"""Storing police.uk months and recomputing the quarters from them.

A police.uk import is a set of calendar months. Each month's counts are stored as
MonthlyFigure rows (replacing that month's rows when it is imported again), the months
recorded as ImportedMonth, and the quarterly figures of every quarter the months touch
recomputed from all of that quarter's stored months. So importing months one at a time,
in any order, gives the figures of importing them together, and importing a month again
changes that month only. Categories no month-based source feeds (typed in the grid or
uploaded) are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance import services
from performance.caching import figures_changed
from performance.models import (
    Beat,
    ImportedCrimeIds,
    ImportedMonth,
    MonthlyFigure,
    MonthSource,
)
from performance.policeuk import StreetCount, category_mapping, repeated_id_notes
from performance.quarters_from_months import MonthKey, mapping_categories, quarterly_values


@dataclass
class MonthPlan:
    """What importing counted months would do (the preview) or did (the report)."""

    added: list[dt.date] = field(default_factory=list)
    replaced: list[dt.date] = field(default_factory=list)
    values: dict[services.CellKey, int] = field(default_factory=dict)
    changes: services.FigureChanges = field(default_factory=services.FigureChanges)
    #: (Crime ID, month being imported, the stored month it is already counted in); the
    #: repeats within the files themselves are in StreetCount.repeated_ids
    repeated_ids: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return repeated_id_notes(self.repeated_ids)

    def describe_months(self) -> str:
        def names(months):
            return ", ".join(f"{m:%B %Y}" for m in months) or "none"

        return f"Months added: {names(self.added)}. Months replaced: {names(self.replaced)}."


def _months_of(quarters: Iterable[Quarter]) -> set[dt.date]:
    months = set()
    for quarter in quarters:
        start = quarter.start
        for step in range(3):
            month = start.month + step
            year = start.year + (month - 1) // 12
            months.add(dt.date(year, (month - 1) % 12 + 1, 1))
    return months


def _stored_monthly(partnership: Partnership, months: set[dt.date]) -> dict[MonthKey, int]:
    rows = MonthlyFigure.objects.filter(partnership=partnership, month__in=months).values_list(
        "month", "category_id", "beat_id", "count"
    )
    return {(month, category_id, beat_id): count for month, category_id, beat_id, count in rows}


def _repeated_ids(partnership: Partnership, result: StreetCount) -> list:
    new = set(result.month_files)
    repeated = []
    stored = ImportedCrimeIds.objects.filter(partnership=partnership).exclude(month__in=new)
    seen: dict[str, dt.date] = {}
    for month, text in stored.order_by("month").values_list("month", "crime_ids"):
        for crime_id in text.split():
            seen.setdefault(crime_id, month)
    if seen:
        for month in sorted(result.crime_ids):
            for crime_id in sorted(result.crime_ids[month] & seen.keys()):
                repeated.append((crime_id, month, seen[crime_id]))
    return repeated


def plan_months(
    partnership: Partnership, result: StreetCount, *, compare: bool = True
) -> MonthPlan:
    """The months added and replaced, and the quarterly figures they would give (and,
    with `compare`, what they would change)."""
    new = set(result.month_files)
    imported = set(
        ImportedMonth.objects.filter(
            partnership=partnership, source=MonthSource.POLICEUK, month__in=new
        ).values_list("month", flat=True)
    )
    plan = MonthPlan(added=sorted(new - imported), replaced=sorted(new & imported))
    quarters = {Quarter.for_date(month) for month in new}
    merged = _stored_monthly(partnership, _months_of(quarters) - new)
    merged.update(result.monthly)
    plan.values = quarterly_values(
        merged,
        months=new,
        categories=mapping_categories(category_mapping(partnership)),
        beat_ids=Beat.objects.filter(partnership=partnership).values_list("pk", flat=True),
    )
    if compare:
        plan.changes = services.compare_figures(partnership, plan.values)
    plan.repeated_ids = _repeated_ids(partnership, result)
    return plan


@transaction.atomic
def record_imported_months(
    *,
    partnership: Partnership,
    months: Mapping[dt.date, int],
    source: str = MonthSource.POLICEUK,
    user=None,
) -> None:
    """Record the calendar months a month-based import stored ({first day: the
    partnership's rows counted}): completeness reads these.

    A month imported again replaces its record (rows, when, by whom). Call it in the
    importer's transaction, beside the figures it writes.
    """
    for month in months:
        if month.day != 1:
            raise ValidationError(f"{month} is not the first day of a month.")
    now = timezone.now()
    existing = {
        m.month: m
        for m in ImportedMonth.objects.filter(
            partnership=partnership, source=source, month__in=list(months)
        )
    }
    changed = []
    for month, row in existing.items():
        row.rows, row.imported_at, row.imported_by = months[month], now, user
        changed.append(row)
    if changed:
        bulk_update_with_history(
            changed, ImportedMonth, ["rows", "imported_at", "imported_by"], default_user=user
        )
    new = [
        ImportedMonth(
            partnership=partnership,
            month=month,
            source=source,
            rows=rows,
            imported_at=now,
            imported_by=user,
        )
        for month, rows in sorted(months.items())
        if month not in existing
    ]
    if new:
        bulk_create_with_history(new, ImportedMonth, default_user=user)
    if months:
        figures_changed(partnership.pk)


def _insert_monthly(partnership: Partnership, rows: list[tuple]) -> None:
    """One multi-row INSERT per 500 monthly figures.

    bulk_create builds a model instance and an expression per value, a third of a whole
    import's time; these rows have no history or signals, so a plain statement (valid on
    PostgreSQL and SQLite, values as parameters) does the same work.
    """
    table = connection.ops.quote_name(MonthlyFigure._meta.db_table)
    columns = "partnership_id, month, category_id, beat_id, count"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            params = [v for row in batch for v in (partnership.pk, *row)]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {placeholders}", params)


@transaction.atomic
def import_months(
    *, partnership: Partnership, result: StreetCount, user=None, reason: str = ""
) -> MonthPlan:
    """Store the counted months and recompute their quarters, all or nothing.

    Raises services.ReasonRequired (writing nothing) when a published quarter would
    change without a reason, and ValueError for a count with errors.
    """
    if result.errors:
        raise ValueError("Refusing to import files that have errors.")
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    plan = plan_months(partnership, result, compare=False)  # apply_figures compares
    months = set(result.month_files)
    MonthlyFigure.objects.filter(partnership=partnership, month__in=months).delete()
    _insert_monthly(
        partnership,
        [(month, category_id, beat_id, count) for (month, category_id, beat_id), count in sorted(
            result.monthly.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)
        ) if count],
    )  # fmt: skip
    ImportedCrimeIds.objects.filter(partnership=partnership, month__in=months).delete()
    ImportedCrimeIds.objects.bulk_create(
        ImportedCrimeIds(
            partnership=partnership,
            month=month,
            crime_ids="\n".join(sorted(result.crime_ids.get(month, ()))),
        )
        for month in sorted(months)
    )
    record_imported_months(
        partnership=partnership,
        months={month: result.month_rows.get(month, 0) for month in months},
        user=user,
    )
    plan.changes = services.apply_figures(
        partnership=partnership, values=plan.values, user=user, reason=reason
    )
    return plan
