"""Counting police.uk street-level crime files by month, category and beat.

A force's monthly file (`YYYY-MM-<force>-street.csv`) covers the whole force area. A row
is the partnership's when its LSOA is in the partnership's LSOA → beat lookup (counted in
that beat), or when its LSOA name starts with the partnership's district name but the
lookup lacks it: then it is counted as "not assigned to a beat" (in the partnership's
total, in no beat) and reported so an officer can add it. Rows elsewhere and rows with
"No Location" are counted and reported, never silently dropped. Anti-social behaviour
rows have no Crime ID and identical rows repeat: each row is one incident, so rows are
counted, not IDs.

Each crime type feeds the categories it is mapped to (CrimeTypeMapping). The month is the
unit: `StreetCount.monthly` holds each month's counts, and performance.monthly_figures
stores them and recomputes the quarters from every stored month, so importing a month
again replaces that month only. Reading never writes.

The files are read by performance.street_files, bounded before pandas reads them
(csp_portal.upload_checks): size, rows and columns, a text file in UTF-8, the police.uk
header, months like 2022-07 and the 14 crime types; anything else refuses the whole
import, naming the file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from csp_portal.upload_checks import Source, UploadRefused
from performance.models import Beat, CrimeTypeMapping, LsoaBeat
from performance.quarters_from_months import MonthKey, mapping_categories, quarterly_values
from performance.services import CellKey
from performance.street_files import (
    KNOWN_TYPES,
    MONTH,
    StreetFileError,
    categorical,
    read_chunks,
    refuse_unless,
)

_COUNCIL_SUFFIX = re.compile(
    r"\s+(borough|district|city|county)?\s*council$|\s+council$", re.IGNORECASE
)

#: The reasons a row is not counted in a beat.
OUTSIDE, NO_LOCATION, UNMAPPED = "outside", "no_location", "unmapped_lsoa"
_REASONS = ["counted", OUTSIDE, NO_LOCATION, UNMAPPED]
#: How the import report and the beats page name crimes of ours on no beat.
UNASSIGNED_LABEL = "Not assigned to a beat"


def district_prefix(partnership: Partnership) -> str:
    """ "Charnwood" from "Charnwood Borough Council": how its LSOA names begin."""
    return _COUNCIL_SUFFIX.sub("", partnership.local_authority.strip()).strip()


def crime_key(crime_id: str) -> str:
    """The first 16 hex digits of a Crime ID (a 64-digit hash): unique enough among a
    partnership's few hundred thousand crimes, a quarter of the storage."""
    return crime_id.strip()[:16]


def month_start(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


@dataclass
class StreetCount:
    """The result of counting one or more street-level files (nothing is written)."""

    #: The quarterly figures of these files alone (every beat of a touched quarter, 0 if
    #: no rows); the import itself stores `monthly` and recomputes the quarters.
    values: dict[CellKey, int] = field(default_factory=dict)
    monthly: dict[MonthKey, int] = field(default_factory=dict)
    month_rows: Counter = field(default_factory=Counter)  # month -> the partnership's rows
    month_files: dict[dt.date, str] = field(default_factory=dict)
    crime_ids: dict[dt.date, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (Crime ID, month, the month it was already counted in) within these files
    repeated_ids: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    rows: int = 0
    files: list[str] = field(default_factory=list)
    #: crime type -> {"file": all rows, "counted": the partnership's, OUTSIDE: …, …}
    by_crime_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    unmapped_lsoas: Counter = field(default_factory=Counter)  # "E01… Charnwood 001A" -> rows
    months: dict[Quarter, set[str]] = field(default_factory=lambda: defaultdict(set))
    errors: list[str] = field(default_factory=list)

    def total(self, reason: str) -> int:
        return sum(counts[reason] for counts in self.by_crime_type.values())

    @property
    def counted(self) -> int:
        return self.total("counted")

    @property
    def unassigned(self) -> int:
        """The partnership's rows in LSOAs the lookup puts on no beat."""
        return self.total(UNMAPPED)

    @property
    def warnings(self) -> list[str]:
        notes = []
        for quarter, months in sorted(self.months.items()):
            if len(months) < 3:
                notes.append(
                    f"{quarter} has only {len(months)} of its 3 months in these files "
                    f"({', '.join(sorted(months))})."
                )
        unmapped_types = [
            t for t, c in self.by_crime_type.items() if c["counted"] and c["no_category"]
        ]
        if unmapped_types:
            notes.append(
                "These crime types feed none of our categories: "
                + ", ".join(sorted(unmapped_types))
            )
        if self.unassigned:
            notes.append(
                f"{self.unassigned:,} of our crimes and incidents are in LSOAs the lookup "
                "puts on no beat: they count in the partnership total as "
                f"“{UNASSIGNED_LABEL.lower()}”."
            )
        notes += repeated_id_notes(self.repeated_ids)
        return notes


def repeated_id_notes(repeated: list[tuple[str, dt.date, dt.date]], limit: int = 5) -> list[str]:
    """Warnings naming Crime IDs counted in two months (the first few, then how many)."""
    if not repeated:
        return []
    shown = "; ".join(
        f"{crime_id[:12]}… in {month:%B %Y} was already counted in {earlier:%B %Y}"
        for crime_id, month, earlier in repeated[:limit]
    )
    more = f" (and {len(repeated) - limit:,} more)" if len(repeated) > limit else ""
    return [
        f"{len(repeated):,} Crime ID{'s' if len(repeated) != 1 else ''} already counted in "
        f"another month: {shown}{more}. They are counted again; check with the force."
    ]


def category_mapping(partnership: Partnership) -> dict[str, list[int]]:
    mapping: dict[str, list[int]] = defaultdict(list)
    for crime_type, category_id in CrimeTypeMapping.objects.filter(
        partnership=partnership
    ).values_list("crime_type", "category_id"):
        mapping[crime_type].append(category_id)
    return mapping


def count_street_files(
    partnership: Partnership,
    sources: Iterable[Source],
    *,
    progress: Callable[[int], object] | None = None,
) -> StreetCount:
    """Count the partnership's rows of each file by month, category and beat."""
    import pandas as pd  # here, not at start-up

    result = StreetCount()
    lsoa_beats = dict(
        LsoaBeat.objects.filter(partnership=partnership).values_list("lsoa_code", "beat_id")
    )
    mapping = category_mapping(partnership)
    beat_ids = list(Beat.objects.filter(partnership=partnership).values_list("pk", flat=True))
    prefix = district_prefix(partnership).lower() + " "
    # (month, crime type, beat id or None) -> rows counted
    tally: Counter = Counter()
    for source in sources:
        name = Path(str(getattr(source, "name", None) or source)).name
        result.files.append(name)
        file_months: set[dt.date] = set()
        try:
            offset = 0
            for chunk in read_chunks(source, name):
                chunk.columns = [str(c).strip() for c in chunk.columns]
                _count_chunk(chunk, offset, result, tally, file_months, lsoa_beats, prefix, name)
                offset += len(chunk)
                if progress:
                    progress(len(chunk))
        except (StreetFileError, UploadRefused) as error:
            result.errors.append(str(error))
            continue
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
            result.errors.append(f"{name} could not be read as a UTF-8 CSV file: {error}")
            continue
        if offset == 0:
            result.errors.append(f"{name} has a header but no rows.")
        for month in sorted(file_months):
            if month in result.month_files:
                result.errors.append(
                    f"{month:%B %Y} is in both {result.month_files[month]} and {name}: "
                    "import each month once."
                )
            result.month_files.setdefault(month, name)
    if result.errors:
        return result
    _repeats_within(result)
    for crime_type, counts in result.by_crime_type.items():
        if not mapping.get(crime_type):
            counts["no_category"] = counts["counted"]
    monthly: Counter = Counter()
    for (month, crime_type, beat_id), rows in tally.items():
        for category_id in mapping.get(crime_type, []):
            monthly[(month, category_id, beat_id)] += rows
    result.monthly = dict(monthly)
    result.values = quarterly_values(
        monthly, months=list(result.month_files), categories=mapping_categories(mapping),
        beat_ids=beat_ids,
    )  # fmt: skip
    return result


def _repeats_within(result: StreetCount) -> None:
    first_seen: dict[str, dt.date] = {}
    for month in sorted(result.crime_ids):
        for crime_id in result.crime_ids[month]:
            earlier = first_seen.setdefault(crime_id, month)
            if earlier != month:
                result.repeated_ids.append((crime_id, month, earlier))


def _count_chunk(chunk, offset, result, tally, file_months, lsoa_beats, prefix, name) -> None:
    """Count one chunk, working on each column's distinct values (a file has one or two
    months, 14 crime types and a few hundred LSOAs) and integer codes per row."""
    import numpy as np  # here, not at start-up

    result.rows += len(chunk)
    month_codes, month_values = categorical(chunk["Month"])
    refuse_unless(
        [bool(MONTH.match(m)) for m in month_values], month_codes, month_values,
        where=(name, offset, "Month"), says="; police.uk months look like 2022-07.",
    )  # fmt: skip
    type_codes, type_values = categorical(chunk["Crime type"])
    refuse_unless(
        [t in KNOWN_TYPES for t in type_values], type_codes, type_values,
        where=(name, offset, "Crime type"), says=" is not one of police.uk's 14 crime types.",
    )  # fmt: skip
    lsoa_codes, lsoa_values = categorical(chunk["LSOA code"])
    # An LSOA code has one name: read the name of each distinct code once.
    first_rows = np.unique(lsoa_codes, return_index=True)[1]
    name_of_code = [""] * len(lsoa_values)
    first_names = chunk["LSOA name"].iloc[first_rows].tolist()
    for row, lsoa_name in zip(first_rows, first_names, strict=True):
        name_of_code[lsoa_codes[row]] = str(lsoa_name).strip()
    # Per distinct LSOA code: its beat (-1: none), blank (no location), a name of ours.
    beat_of_code = np.array([lsoa_beats.get(c, -1) for c in lsoa_values], dtype=np.int64)
    blank_code = np.array([c == "" for c in lsoa_values], dtype=bool)
    ours_by_name = np.array([n.lower().startswith(prefix) for n in name_of_code], dtype=bool)
    beat = beat_of_code[lsoa_codes]
    no_location = blank_code[lsoa_codes]
    mapped = (beat >= 0) & ~no_location
    unmapped = ~mapped & ~no_location & ours_by_name[lsoa_codes]
    reason = np.full(len(chunk), _REASONS.index(OUTSIDE), dtype=np.int64)
    reason[no_location] = _REASONS.index(NO_LOCATION)
    reason[unmapped] = _REASONS.index(UNMAPPED)
    reason[mapped] = _REASONS.index("counted")
    by_type_reason = np.bincount(
        type_codes * len(_REASONS) + reason, minlength=len(type_values) * len(_REASONS)
    )
    for index in np.flatnonzero(by_type_reason):
        crime_type = type_values[index // len(_REASONS)]
        why, rows = _REASONS[index % len(_REASONS)], int(by_type_reason[index])
        result.by_crime_type[crime_type]["file"] += rows
        result.by_crime_type[crime_type][why] += rows
        if why == UNMAPPED:
            result.by_crime_type[crime_type]["counted"] += rows
    months = [month_start(m) for m in month_values]
    for text, month in zip(month_values, months, strict=True):
        file_months.add(month)
        result.months[Quarter.for_date(month)].add(text)
    if unmapped.any():
        found, counts = np.unique(lsoa_codes[unmapped], return_counts=True)
        for code_index, rows in zip(found, counts, strict=True):
            label = f"{lsoa_values[code_index]} {name_of_code[code_index]}"
            result.unmapped_lsoas[label] += int(rows)
    ours = mapped | unmapped
    if not ours.any():
        return
    # One integer per (month, crime type, beat or none) of our rows, counted at once.
    beat_slot = np.where(mapped, beat, -1)
    distinct_beats = np.unique(beat_slot[ours])
    slot = np.searchsorted(distinct_beats, beat_slot[ours])
    keys = (month_codes[ours] * len(type_values) + type_codes[ours]) * len(distinct_beats) + slot
    found, counts = np.unique(keys, return_counts=True)
    for key, rows in zip(found, counts, strict=True):
        month_type, beat_index = divmod(int(key), len(distinct_beats))
        month_index, type_index = divmod(month_type, len(type_values))
        beat_id = int(distinct_beats[beat_index])
        month = months[month_index]
        tally[(month, type_values[type_index], None if beat_id < 0 else beat_id)] += int(rows)
        result.month_rows[month] += int(rows)
    if "Crime ID" in chunk.columns:
        ids = chunk["Crime ID"].to_numpy()[ours]
        id_months = month_codes[ours]
        for month_index, month in enumerate(months):
            wanted = ids[id_months == month_index]
            result.crime_ids[month].update(crime_key(i) for i in wanted if i and i.strip())
