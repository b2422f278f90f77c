"""The Most Similar Family Group: ranking its members, checking its size, and the
figures upload `financial_year,quarter,csp,category,count,population` (written in one
transaction).

A CSP must already be a member of the group (membership is dated and kept on the family
group page); figures for a CSP that is not are an error, not a silent new member.

Ranks are decided on exact rates (count × 1,000 ÷ population as a fraction), never on
the two-decimal rates shown: 0.1227 and 0.1199 both print as 0.12 but are not equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db import transaction
from django.forms import BaseModelFormSet
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance.cells import RowError, missing_columns, parse_count
from performance.lookups import Resolver, normalise
from performance.models import FamilyGroup, FamilyGroupMember, PeerFigure
from performance.reference_data import save_edited_rows

#: A Most Similar Family Group has fifteen CSPs, the partnership included.
GROUP_SIZE = 15
if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["financial_year", "quarter", "csp", "category", "count", "population"]
#: (member id, year, quarter, category id) -> (count, population)
PeerKey = tuple[int, int, int, int]


@dataclass
class ParsedPeerFigures:
    values: dict[PeerKey, tuple[int, int]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def exact_rate(count: int, population: int) -> Fraction:
    """Crimes per 1,000 residents, unrounded: what ranks are decided on."""
    return Fraction(count * 1000, population)


def competition_ranks(rates: Sequence[Fraction]) -> list[int]:
    """Rank of each rate, 1 = the lowest; equal rates share a rank and the next rank
    skips ("competition" ranking: 1, 2, 2, 4)."""
    return [1 + sum(1 for other in rates if other < rate) for rate in rates]


def members_on(members: Iterable[FamilyGroupMember], day: dt.date) -> int:
    """How many CSPs the dated membership has on `day`."""
    return sum(1 for member in members if member.member_on(day))


def wrong_sizes(
    members: Sequence[FamilyGroupMember], days: Iterable[dt.date]
) -> list[tuple[dt.date, int]]:
    """The days on which the dated membership does not have GROUP_SIZE members."""
    sizes = [(day, members_on(members, day)) for day in sorted(set(days))]
    return [(day, size) for day, size in sizes if size != GROUP_SIZE]


@transaction.atomic
def save_membership(*, group: FamilyGroup, formset: BaseModelFormSet) -> tuple[int, int]:
    """Save a valid membership formset: only the rows the user changed are written (an
    unchanged save writes nothing, not even history). Returns (saved, removed)."""
    return save_edited_rows(formset=formset, owner={"family_group": group})


def family_group_for(partnership: Partnership) -> FamilyGroup:
    group, _ = FamilyGroup.objects.get_or_create(partnership=partnership)
    return group


def parse_peer_figures(partnership: Partnership, frame: pd.DataFrame) -> ParsedPeerFigures:
    parsed = ParsedPeerFigures()
    columns = {normalise(c).replace(" ", "_"): c for c in frame.columns}
    needs = f"it needs {','.join(COLUMNS)}"
    if lacking := missing_columns(frame.columns, columns, COLUMNS, needs=needs):
        parsed.errors.append(lacking)
        return parsed
    members = {
        normalise(m.csp_name): m
        for m in FamilyGroupMember.objects.filter(family_group__partnership=partnership)
    }
    resolver = Resolver(partnership)
    seen: dict[PeerKey, int] = {}
    records = frame.rename(columns={v: k for k, v in columns.items()}).to_dict("records")
    for index, record in enumerate(records):
        row = index + 2
        quarter = None
        try:
            quarter = Quarter.parse(
                FinancialYear.parse(record["financial_year"]), record["quarter"]
            )
        except ValueError as error:
            column = "quarter" if "quarter" in str(error).lower() else "financial_year"
            parsed.errors.append(RowError(row, column, str(error)))
        member = members.get(normalise(record["csp"]))
        if member is None:
            parsed.errors.append(
                RowError(row, "csp", f"“{record['csp']}” is not in the family group; add it first.")
            )
        category = resolver.category(record["category"])
        if category is None:
            parsed.errors.append(
                RowError(row, "category", f"“{record['category']}” is not one of our categories.")
            )
        count, problem = parse_count(record["count"])
        if problem:
            parsed.errors.append(RowError(row, "count", problem))
        population, problem = parse_count(record["population"])
        if problem or population == 0:
            parsed.errors.append(
                RowError(row, "population", problem or "the population must be more than 0.")
            )
        if quarter and member and category and count is not None and population:
            key = (member.pk, quarter.financial_year.start_year, quarter.number, category.pk)
            if key in seen:
                parsed.errors.append(RowError(row, "csp", f"repeats row {seen[key]}."))
            else:
                seen[key] = row
                parsed.values[key] = (count, population)
    if not parsed.errors:
        stored = _stored(partnership)
        for key, value in parsed.values.items():
            old = stored.get(key)
            if old is None:
                parsed.created += 1
            elif (old.count, old.population) != value:
                parsed.changed += 1
            else:
                parsed.unchanged += 1
    return parsed


def _stored(partnership: Partnership) -> dict[PeerKey, PeerFigure]:
    return {
        (f.member_id, f.financial_year.start_year, f.quarter, f.category_id): f
        for f in PeerFigure.objects.filter(member__family_group__partnership=partnership)
    }


@transaction.atomic
def apply_peer_figures(*, partnership: Partnership, parsed: ParsedPeerFigures, user=None) -> int:
    """Write parsed peer figures (all or nothing); returns how many were written."""
    if parsed.errors:
        raise ValueError("Refusing to write figures that have errors.")
    stored = _stored(partnership)
    new, changed = [], []
    for (member_id, year, number, category_id), (count, population) in parsed.values.items():
        old = stored.get((member_id, year, number, category_id))
        if old is None:
            new.append(
                PeerFigure(
                    member_id=member_id,
                    financial_year=year,
                    quarter=number,
                    category_id=category_id,
                    count=count,
                    population=population,
                    updated_by=user,
                )
            )
        elif (old.count, old.population) != (count, population):
            old.count, old.population, old.updated_by = count, population, user
            changed.append(old)

    if new:
        bulk_create_with_history(new, PeerFigure, batch_size=1000, default_user=user)
    if changed:
        bulk_update_with_history(
            changed, PeerFigure, ["count", "population", "updated_by"], default_user=user
        )
    return len(new) + len(changed)
