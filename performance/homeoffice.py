"""The Home Office's "recorded crime by Community Safety Partnership" open data tables.

One row per financial year, quarter, CSP and offence: `Financial Year, Financial
Quarter, Force Name, CSP Name, Offence Description, Offence Group, Offence Subgroup,
Offence Code, Number of Offences`. Rows of the partnership itself become its quarterly
partnership totals; rows of its family-group peers become their PeerFigures; rows of
other CSPs are counted and left out. A CSP is matched by name ("Charnwood", or
"Leicestershire – Charnwood" as the family group writes it) or by ONS code (a `CSP
Code` column when the table has one). Offences reach categories through the
partnership's OffenceMapping (by group, subgroup, code or description); a mapped
category with no rows in a quarter the CSP has rows for is 0.

The tables carry no population: a peer's population is taken from its stored figures
(same financial year, else the nearest year), and a peer with none is an error naming it.
Reading never writes; `apply_home_office` writes everything or nothing.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from django.db import transaction

from csp_portal.financial_year import FinancialYear, Quarter
from csp_portal.models import Partnership
from performance import services
from performance.cells import RowError, parse_count
from performance.family import ParsedPeerFigures, PeerKey, apply_peer_figures
from performance.lookups import normalise
from performance.models import (
    CrimeCategory,
    FamilyGroupMember,
    OffenceMapping,
    OffenceMatch,
    PeerFigure,
)
from performance.policeuk import district_prefix
from performance.services import CellKey

if TYPE_CHECKING:
    import pandas as pd


HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "CSP Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
]
CODE_COLUMNS = ("CSP Code", "CSP ONS Code", "ONS Code")
STANDARD_MAPPING = Path(__file__).resolve().parent.parent / "fixtures/demo/performance"
STANDARD_MAPPING = STANDARD_MAPPING / "offence_mapping.csv"
#: Keyed by OffenceMatch (its members are the strings themselves).
_MATCH_COLUMN: dict[str, str] = {
    OffenceMatch.GROUP: "Offence Group",
    OffenceMatch.SUBGROUP: "Offence Subgroup",
    OffenceMatch.CODE: "Offence Code",
    OffenceMatch.DESCRIPTION: "Offence Description",
}
#: Whose row a Home Office row is: the partnership's own ("own") or a family member's.
Target = FamilyGroupMember | Literal["own"]


def is_home_office(columns) -> bool:
    """Whether a sheet's header is the Home Office layout (how import_figures tells)."""
    found = {normalise(c) for c in columns}
    return all(normalise(c) in found for c in HEADER)


@dataclass
class HomeOfficeFigures:
    own: dict[CellKey, int] = field(default_factory=dict)
    peers: ParsedPeerFigures = field(default_factory=ParsedPeerFigures)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    own_rows: int = 0
    peer_rows: Counter = field(default_factory=Counter)  # CSP -> rows
    other_rows: int = 0
    unmapped_offences: Counter = field(default_factory=Counter)  # offence -> rows
    quarters: set[Quarter] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def warnings(self) -> list[str]:
        notes = []
        if self.unmapped_offences:
            shown = ", ".join(f"{o} ({n})" for o, n in self.unmapped_offences.most_common(8))
            notes.append(
                f"{sum(self.unmapped_offences.values()):,} rows of offences feed none of our "
                f"categories: {shown}. Map them below if they should count."
            )
        if not self.own_rows:
            notes.append("The table has no rows for this partnership itself.")
        return notes


def _column(frame: pd.DataFrame, wanted: str) -> str:
    return next(c for c in frame.columns if normalise(c) == normalise(wanted))


def _self_names(partnership: Partnership, members: list[FamilyGroupMember]) -> set[str]:
    names = {normalise(district_prefix(partnership)), normalise(partnership.name)}
    names |= {normalise(m.csp_name) for m in members if m.is_self}
    return names


def parse_home_office(partnership: Partnership, frame: pd.DataFrame) -> HomeOfficeFigures:
    parsed = HomeOfficeFigures(rows=len(frame))
    if not is_home_office(frame.columns):
        missing = [c for c in HEADER if normalise(c) not in {normalise(x) for x in frame.columns}]
        parsed.errors.append(
            RowError(None, "", "Not the Home Office layout: it lacks " + ", ".join(missing) + ".")
        )
        return parsed
    col = {name: _column(frame, name) for name in HEADER}
    code_column = next((c for c in frame.columns if c.strip() in CODE_COLUMNS), None)
    members = list(FamilyGroupMember.objects.filter(family_group__partnership=partnership))
    own_names = _self_names(partnership, members)
    own_codes = {partnership.ons_code} | {m.ons_code for m in members if m.is_self}
    own_codes.discard("")
    peers_by_name = {normalise(m.csp_name): m for m in members if not m.is_self}
    peers_by_code = {m.ons_code: m for m in members if not m.is_self and m.ons_code}
    mapping = defaultdict(set)  # (match_on, normalised value) -> category ids
    for match_on, value, category_id in OffenceMapping.objects.filter(
        partnership=partnership
    ).values_list("match_on", "value", "category_id"):
        mapping[(match_on, normalise(value))].add(category_id)
    mapped_categories = {c for ids in mapping.values() for c in ids}
    # Who each row is (distinct force, CSP and code first: a national table is big).
    who_columns = [col["Force Name"], col["CSP Name"], *([code_column] if code_column else [])]
    targets: dict[tuple, Target | None] = {}
    for key in frame[who_columns].drop_duplicates().itertuples(index=False):
        force, csp = normalise(key[0]), normalise(key[1])
        code = str(key[2]).strip() if code_column else ""
        upper_codes = {c.upper() for c in own_codes}
        if (
            csp in own_names
            or f"{force}-{csp}" in own_names
            or (code and code in own_codes)
            or csp.upper() in upper_codes
        ):
            targets[tuple(key)] = "own"
        else:
            member = (
                peers_by_code.get(code)
                or peers_by_code.get(str(key[1]).strip())
                or peers_by_name.get(f"{force}-{csp}")
                or peers_by_name.get(csp)
            )
            targets[tuple(key)] = member
    sums: dict[tuple, int] = defaultdict(int)  # (target, year, quarter, category) -> count
    seen_quarters: dict[Target, set[tuple[int, int]]] = defaultdict(set)
    periods: dict[tuple[str, str], Quarter | None] = {}
    offence_categories: dict[tuple, set[int]] = {}
    records = frame.to_dict("records")
    for index, record in enumerate(records):
        row = index + 2
        target = targets[tuple(record[c] for c in who_columns)]
        if target is None:
            parsed.other_rows += 1
            continue
        period_key = (record[col["Financial Year"]], record[col["Financial Quarter"]])
        if period_key not in periods:
            periods[period_key] = _period(parsed, row, col, *period_key)
        period = periods[period_key]
        text = str(record[col["Number of Offences"]]).strip()
        negative = text.startswith("-")
        count, problem = parse_count(text[1:] if negative else text)
        if count is None:
            parsed.errors.append(RowError(row, col["Number of Offences"], problem or text))
            continue
        if period is None:
            continue
        offence = tuple(record[_MATCH_COLUMN[m]] for m in OffenceMatch.values)
        if offence not in offence_categories:
            offence_categories[offence] = set().union(
                *(
                    mapping.get((match_on, normalise(value)), set())
                    for match_on, value in zip(OffenceMatch.values, offence, strict=True)
                )
            )
        categories = offence_categories[offence]
        if isinstance(target, FamilyGroupMember):
            parsed.peer_rows[target.csp_name] += 1
        else:
            parsed.own_rows += 1
        year, number = period.financial_year.start_year, period.number
        parsed.quarters.add(period)
        seen_quarters[target].add((year, number))
        if not categories:
            parsed.unmapped_offences[str(record[col["Offence Description"]]).strip()] += 1
        for category_id in categories:
            # The Home Office revises counts with negative rows: they are subtracted.
            sums[(target, year, number, category_id)] += -count if negative else count
    if parsed.errors:
        return parsed
    names = dict(CrimeCategory.objects.filter(partnership=partnership).values_list("pk", "name"))
    totals: dict[tuple, int] = {}
    for target, quarters in seen_quarters.items():
        for year, number in quarters:
            for category_id in mapped_categories:
                totals[(target, year, number, category_id)] = sums.get(
                    (target, year, number, category_id), 0
                )
    for (target, year, number, category_id), count in totals.items():
        if count < 0:
            who = target.csp_name if isinstance(target, FamilyGroupMember) else "this partnership"
            parsed.errors.append(
                RowError(
                    None,
                    "",
                    f"{names.get(category_id)} for {who} in {Quarter(FinancialYear(year), number)} "
                    f"adds up to {count} (negative).",
                )
            )
    if parsed.errors:
        return parsed
    parsed.own = {
        (year, number, category_id, None): count
        for (target, year, number, category_id), count in totals.items()
        if target == "own"
    }
    _peer_values(parsed, totals)
    return parsed


def _period(parsed: HomeOfficeFigures, row: int, col: dict, year_text, quarter_text):
    try:
        year = FinancialYear.parse(str(year_text).strip())
    except ValueError as error:
        parsed.errors.append(RowError(row, col["Financial Year"], str(error)))
        return None
    try:
        return Quarter.parse(year, str(quarter_text).strip())
    except ValueError as error:
        parsed.errors.append(RowError(row, col["Financial Quarter"], str(error)))
        return None


def _peer_values(parsed: HomeOfficeFigures, totals: dict[tuple, int]) -> None:
    members = {t for (t, *_rest) in totals if t != "own"}
    populations: dict[int, dict[int, int]] = defaultdict(dict)  # member -> year -> population
    for member_id, year, population in PeerFigure.objects.filter(
        member__in=[m.pk for m in members]
    ).values_list("member_id", "financial_year", "population"):
        populations[member_id][int(year)] = population
    missing = set()
    stored = {
        (f.member_id, f.financial_year.start_year, f.quarter, f.category_id): f
        for f in PeerFigure.objects.filter(member__in=[m.pk for m in members])
    }
    for (target, year, number, category_id), count in totals.items():
        if target == "own":
            continue
        known = populations.get(target.pk)
        if not known:
            missing.add(target.csp_name)
            continue
        nearest = min(known, key=lambda y: (abs(y - year), -y))
        key: PeerKey = (target.pk, year, number, category_id)
        value = (count, known[nearest])
        parsed.peers.values[key] = value
        old = stored.get(key)
        if old is None:
            parsed.peers.created += 1
        elif (old.count, old.population) != value:
            parsed.peers.changed += 1
        else:
            parsed.peers.unchanged += 1
    for name in sorted(missing):
        parsed.errors.append(
            RowError(
                None,
                "",
                f"No population is known for {name}: the Home Office table has none. Upload "
                "one quarter of its figures with its population on the family-group page "
                "first.",
            )
        )


@transaction.atomic
def apply_home_office(
    *, partnership: Partnership, parsed: HomeOfficeFigures, user=None, reason: str = ""
) -> tuple[services.FigureChanges, int]:
    """Write the partnership's totals and the peers' figures, all or nothing."""
    if parsed.errors:
        raise ValueError("Refusing to write figures that have errors.")
    changes = services.apply_figures(
        partnership=partnership, values=parsed.own, user=user, reason=reason
    )
    written = apply_peer_figures(partnership=partnership, parsed=parsed.peers, user=user)
    return changes, written


@transaction.atomic
def load_standard_mapping(*, partnership: Partnership) -> int:
    """Add the shipped offence mapping for the categories whose codes it names (ALL,
    VWI, BUR, …: the demo's); returns how many mappings were added."""
    categories = {c.code: c for c in CrimeCategory.objects.filter(partnership=partnership)}
    added = 0
    with STANDARD_MAPPING.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            category = categories.get(row["category"])
            if category is None:
                continue
            _, created = OffenceMapping.objects.get_or_create(
                partnership=partnership,
                match_on=row["match_on"],
                value=row["value"],
                category=category,
            )
            added += created
    return added
