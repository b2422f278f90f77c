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

The files are bounded before pandas reads them (performance.upload_limits): size, rows
and columns, a text file in UTF-8, the police.uk header, months like 2022-07 and the 14
crime types; anything else refuses the whole import, naming the file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.models import Beat, CrimeTypeMapping, LsoaBeat, PoliceUkCrimeType
from performance.services import CellKey
from performance.upload_limits import UploadRefused, check_text_file

COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
USED = ["Crime ID", "Month", "Location", "LSOA code", "LSOA name", "Crime type"]
REQUIRED = ["Month", "Location", "LSOA code", "LSOA name", "Crime type"]
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_COUNCIL_SUFFIX = re.compile(
    r"\s+(borough|district|city|county)?\s*council$|\s+council$", re.IGNORECASE
)
CHUNK_ROWS = 50_000

#: The reasons a row is not counted in a beat.
OUTSIDE, NO_LOCATION, UNMAPPED = "outside", "no_location", "unmapped_lsoa"
#: How the import report and the beats page name crimes of ours on no beat.
UNASSIGNED_LABEL = "Not assigned to a beat"
#: (first day of the month, category id, beat id or None = not assigned to a beat)
MonthKey = tuple[dt.date, int, int | None]


class StreetFileError(ValueError):
    """A file that is not a police.uk street-level CSV."""


def district_prefix(partnership: Partnership) -> str:
    """ "Charnwood" from "Charnwood Borough Council": how its LSOA names begin."""
    return _COUNCIL_SUFFIX.sub("", partnership.local_authority.strip()).strip()


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


def _header_and_chunks(source: str | Path | BinaryIO, name: str):
    check_text_file(source, name, max_columns=len(COLUMNS) + 8)
    try:
        header = pd.read_csv(source, nrows=0, encoding="utf-8")
    except (pd.errors.EmptyDataError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise StreetFileError(f"{name} is empty or not a CSV file.") from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    columns = [str(c).strip() for c in header.columns]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise StreetFileError(
            f"{name} is not a police.uk street-level file: it lacks the column(s) "
            + ", ".join(missing)
            + "."
        )
    usecols = [c for c in header.columns if str(c).strip() in USED]
    return pd.read_csv(
        source,
        usecols=usecols,
        dtype=str,
        keep_default_na=False,
        chunksize=CHUNK_ROWS,
        encoding="utf-8",
    )


def _mapping(partnership: Partnership) -> dict[str, list[int]]:
    mapping: dict[str, list[int]] = defaultdict(list)
    for crime_type, category_id in CrimeTypeMapping.objects.filter(
        partnership=partnership
    ).values_list("crime_type", "category_id"):
        mapping[crime_type].append(category_id)
    return mapping


def count_street_files(
    partnership: Partnership,
    sources: Iterable[str | Path | BinaryIO],
    *,
    progress: Callable[[int], object] | None = None,
) -> StreetCount:
    """Count the partnership's rows of each file by month, category and beat."""
    result = StreetCount()
    lsoa_beats = dict(
        LsoaBeat.objects.filter(partnership=partnership).values_list("lsoa_code", "beat_id")
    )
    mapping = _mapping(partnership)
    beat_ids = list(Beat.objects.filter(partnership=partnership).values_list("pk", flat=True))
    prefix = district_prefix(partnership).lower() + " "
    # (month, crime type, beat id or None) -> rows counted
    tally: Counter = Counter()
    for source in sources:
        name = Path(str(getattr(source, "name", source))).name
        result.files.append(name)
        file_months: set[dt.date] = set()
        try:
            offset = 0
            for chunk in _header_and_chunks(source, name):
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


def mapping_categories(mapping: dict[str, list[int]]) -> set[int]:
    return {category_id for ids in mapping.values() for category_id in ids}


def quarterly_values(
    monthly: dict[MonthKey, int],
    *,
    months: Iterable[dt.date],
    categories: Iterable[int],
    beat_ids: Iterable[int],
) -> dict[CellKey, int]:
    """The quarterly figures of the quarters `months` touch, from monthly counts.

    Each beat is the sum of its months (0 when none), the partnership total the sum of
    every row of the category, on a beat or not assigned to one.
    """
    values: dict[CellKey, int] = {}
    categories, beat_ids = set(categories), list(beat_ids)
    categories |= {category_id for _, category_id, _ in monthly}
    for quarter in {Quarter.for_date(month) for month in months}:
        year = quarter.financial_year.start_year
        for category_id in categories:
            for beat_id in [*beat_ids, None]:
                values[(year, quarter.number, category_id, beat_id)] = 0
    for (month, category_id, beat_id), count in monthly.items():
        quarter = Quarter.for_date(month)
        year = quarter.financial_year.start_year
        if beat_id is not None:
            values[(year, quarter.number, category_id, beat_id)] += count
        values[(year, quarter.number, category_id, None)] += count
    return values


def _repeats_within(result: StreetCount) -> None:
    first_seen: dict[str, dt.date] = {}
    for month in sorted(result.crime_ids):
        for crime_id in result.crime_ids[month]:
            earlier = first_seen.setdefault(crime_id, month)
            if earlier != month:
                result.repeated_ids.append((crime_id, month, earlier))


def _first_bad(mask: pd.Series, offset: int) -> int:
    """The spreadsheet row (header = 1) of the first True in `mask`."""
    return offset + int(mask.to_numpy().nonzero()[0][0]) + 2


def _count_chunk(chunk, offset, result, tally, file_months, lsoa_beats, prefix, name) -> None:
    result.rows += len(chunk)
    months = chunk["Month"].str.strip()
    bad_month = ~months.str.match(_MONTH)
    if bad_month.any():
        row = _first_bad(bad_month, offset)
        value = months[bad_month].iloc[0]
        raise StreetFileError(
            f"{name}, row {row}, column “Month”: “{value[:40]}”; police.uk months look "
            "like 2022-07."
        )
    types = chunk["Crime type"].str.strip()
    unknown = ~types.isin(PoliceUkCrimeType.values)
    if unknown.any():
        row = _first_bad(unknown, offset)
        value = types[unknown].iloc[0]
        raise StreetFileError(
            f"{name}, row {row}, column “Crime type”: “{value[:40]}” is not one of "
            "police.uk's 14 crime types."
        )
    codes = chunk["LSOA code"].str.strip()
    names = chunk["LSOA name"].str.strip()
    no_location = (codes == "") | chunk["Location"].str.strip().str.lower().eq("no location")
    beat = codes.map(lsoa_beats)
    mapped = beat.notna() & ~no_location
    unmapped = ~mapped & ~no_location & names.str.lower().str.startswith(prefix)
    reason = pd.Series(OUTSIDE, index=chunk.index)
    reason[no_location] = NO_LOCATION
    reason[unmapped] = UNMAPPED
    reason[mapped] = "counted"
    for (crime_type, why), rows in pd.DataFrame({"t": types, "r": reason}).value_counts().items():
        result.by_crime_type[crime_type]["file"] += int(rows)
        result.by_crime_type[crime_type][why] += int(rows)
        if why == UNMAPPED:
            result.by_crime_type[crime_type]["counted"] += int(rows)
    for text in months.unique():
        month = month_start(text)
        file_months.add(month)
        result.months[Quarter.for_date(month)].add(text)
    if unmapped.any():
        labels = codes[unmapped] + " " + names[unmapped]
        result.unmapped_lsoas.update(labels.value_counts().to_dict())
    ours = mapped | unmapped
    if not ours.any():
        return
    frame = pd.DataFrame({"m": months[ours], "t": types[ours], "b": beat[ours].astype("Int64")})
    for (text, crime_type, beat_id), rows in frame.value_counts(dropna=False).items():
        month = month_start(text)
        key_beat = None if pd.isna(beat_id) else int(beat_id)
        tally[(month, crime_type, key_beat)] += int(rows)
        result.month_rows[month] += int(rows)
    if "Crime ID" in chunk.columns:
        ids = chunk["Crime ID"].str.strip()
        with_id = ours & (ids != "")
        for text, group in ids[with_id].groupby(months[with_id]):
            result.crime_ids[month_start(text)].update(group.tolist())
