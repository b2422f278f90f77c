"""Reads of performance figures for pages, reports and the other apps.

Other apps (plans, meetings) call these functions; they never query performance
tables themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.change import YearOnYear
from performance.change import change_pct as change_pct  # for the other apps (plans, meetings)
from performance.models import CrimeCategory, QuarterlyFigure


def categories_of(partnership: Partnership) -> QuerySet[CrimeCategory]:
    """The partnership's crime categories, in their reporting order: what a plan's
    measure or a county indicator may be measured on."""
    return CrimeCategory.objects.filter(partnership=partnership)


def category_named(partnership: Partnership, name: str) -> CrimeCategory | None:
    """The partnership's category of this name (case aside), if it has one."""
    return categories_of(partnership).filter(name__iexact=name).first()


@dataclass(frozen=True)
class YearToDate(YearOnYear):
    category: CrimeCategory
    quarter: Quarter
    previous: int | None  # 1 April to the end of the same quarter last year
    current: int | None  # 1 April to the end of `quarter`
    complete: bool = True  # (a year to date read here is not checked for gaps)


def _ytd_totals(partnership: Partnership, quarter: Quarter, categories) -> dict[int, int]:
    rows = (
        QuarterlyFigure.objects.filter(
            partnership=partnership,
            financial_year=quarter.financial_year.start_year,
            quarter__lte=quarter.number,
            beat__isnull=True,
            category__in=categories,
        )
        .values("category_id")
        .annotate(total=Sum("count"))
    )
    return {row["category_id"]: row["total"] for row in rows}


def year_to_date(partnership: Partnership, quarter: Quarter, categories=None) -> list[YearToDate]:
    """Partnership-total YTD counts for `quarter` and the same point a year earlier.

    Two queries whatever the number of categories or years stored.
    """
    if categories is None:
        categories = list(CrimeCategory.objects.filter(partnership=partnership))
    categories = list(categories)
    current = _ytd_totals(partnership, quarter, categories)
    previous = _ytd_totals(partnership, quarter.same_quarter_last_year, categories)
    return [
        YearToDate(category, quarter, previous.get(category.pk), current.get(category.pk))
        for category in categories
    ]


def complete_ytd_categories(
    partnership: Partnership, quarter: Quarter, categories: Iterable[CrimeCategory]
) -> set[int]:
    """Ids of `categories` whose year to date at `quarter`, and the same point a year
    earlier, rest only on complete quarters (performance.completeness): others must not
    be rated, wherever they are shown. Two queries."""
    from performance.completeness import completeness

    categories = list(categories)
    now_quarters = quarter.year_to_date
    behind = now_quarters + [q.same_quarter_last_year for q in now_quarters]
    complete_of = completeness(partnership, behind, categories)
    return {c.pk for c in categories if complete_of.complete(c, behind)}


def performance_summary_html(partnership: Partnership, quarter: Quarter) -> str:
    """The YTD table and a % change chart as static HTML/SVG, for the agenda pack."""
    from performance.summary import performance_summary_html as render

    return render(partnership, quarter)


def quarter_status(partnership: Partnership, quarter: Quarter, *, today=None):
    """The one status of a quarter (performance.completeness.QuarterStatus): in progress,
    incomplete (naming what is missing), provisional or published. The home page, the
    dashboards and the officer's tasks all show this."""
    from performance.completeness import quarter_status as status

    return status(partnership, quarter, today=today)


def figures_due(user, today=None) -> list:
    """Home-page lines: the latest ended quarter's status in each of the user's
    partnerships, from quarter_status(). Officers get a task to enter and publish it
    (due six weeks after the quarter ends) until it is published; everyone else (and an
    officer once it is published) a line linking to its dashboard with the same status.
    """
    import datetime as dt

    from django.urls import reverse

    from csp_portal.access import EDITORS_OF_FIGURES, READERS, has_role, member_partnerships
    from csp_portal.extension_points import HomeEntry
    from performance.completeness import QuarterState, quarter_statuses
    from performance.links import grid_url

    today = today or dt.date.today()
    quarter = Quarter.latest_complete(today)
    entries = []
    readers = [p for p in member_partnerships(user) if has_role(user, p, READERS)]
    statuses = quarter_statuses(readers, quarter, today=today)
    for partnership in readers:
        editor = has_role(user, partnership, EDITORS_OF_FIGURES)
        status = statuses[partnership.pk]
        if editor and status.state != QuarterState.PUBLISHED:
            entries.append(
                HomeEntry(
                    title=f"Enter and publish the {quarter} figures",
                    url=grid_url(partnership, quarter),
                    partnership=partnership.name,
                    detail=status.sentence,
                    due=status.due,
                    overdue=status.overdue(today),
                )
            )
        else:
            url = reverse("performance:index", kwargs={"partnership": partnership.slug})
            entries.append(
                HomeEntry(
                    title=f"{quarter} figures: {status.state.label.lower()}",
                    url=f"{url}?year={quarter.financial_year.start_year}&quarter={quarter.number}",
                    partnership=partnership.name,
                    detail=status.sentence,
                )
            )
    return entries


def unassigned_ytd(partnership: Partnership, quarter: Quarter) -> dict[int, tuple[int | None, int]]:
    """Per category, the crimes of ours "not assigned to a beat", year to date to `quarter`
    and the same period a year before: (previous or None, current).

    They come from month-based imports (police.uk rows in LSOAs the lookup puts on no
    beat); a period with no imported month has none (None). Only categories with such
    crimes in the current period are listed.
    """
    from performance.models import MonthlyFigure

    this_year, last_year = quarter.financial_year, quarter.financial_year.previous
    current_range = (this_year.start, quarter.end)
    previous_range = (last_year.start, Quarter(last_year, quarter.number).end)
    months = MonthlyFigure.objects.filter(partnership=partnership)
    sums = (
        months.filter(beat__isnull=True)
        .filter(
            Q(month__range=current_range) | Q(month__range=previous_range),
        )
        .values("month", "category_id")
        .annotate(total=Sum("count"))
        .values_list("month", "category_id", "total")
    )
    current: dict[int, int] = {}
    previous: dict[int, int] = {}
    for month, category_id, total in sums:
        into = current if month >= this_year.start else previous
        into[category_id] = into.get(category_id, 0) + total
    had_months = months.filter(month__range=previous_range).exists()
    return {
        category_id: (previous.get(category_id, 0) if had_months else None, count)
        for category_id, count in current.items()
    }


def ytd_by_code(partnerships, code: str, quarter: Quarter) -> dict:
    """Each partnership's year-to-date count, rate and completeness of the category with
    `code` (performance.partnership_totals): for the county pages."""
    from performance.partnership_totals import ytd_by_code as totals

    return totals(partnerships, code, quarter)


def latest_quarter_with(partnerships, code: str) -> Quarter | None:
    """The latest quarter any of `partnerships` has a total of the category `code` for."""
    from performance.partnership_totals import latest_quarter_with as latest

    return latest(partnerships, code)
