"""Counting police.uk street-level crime files into quarterly figures.

A force's monthly file (`YYYY-MM-<force>-street.csv`) covers the whole force area. A row
is the partnership's when its LSOA is in the partnership's LSOA → beat lookup (counted in
that beat and the total), or when its LSOA name starts with the partnership's district
name but the lookup lacks it ("unmapped LSOA": counted in the total, in no beat, and
reported so an officer can add it). Rows elsewhere and rows with "No Location" are
counted and reported, never silently dropped. Anti-social behaviour rows have no Crime
ID and identical rows repeat: each row is one incident, so rows are counted, not IDs.

Each crime type feeds the categories it is mapped to (CrimeTypeMapping). The figures of
every quarter the files touch are replaced for the mapped categories (beats with no
rows get 0), so importing the same files twice changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership
from performance.models import Beat, CrimeTypeMapping, LsoaBeat, PoliceUkCrimeType
from performance.services import CellKey

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
USED = ["Month", "Location", "LSOA code", "LSOA name", "Crime type"]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_COUNCIL_SUFFIX = re.compile(
    r"\s+(borough|district|city|county)?\s*council$|\s+council$", re.IGNORECASE
)
CHUNK_ROWS = 50_000

#: The reasons a row is not counted in a beat.
OUTSIDE, NO_LOCATION, UNMAPPED = "outside", "no_location", "unmapped_lsoa"


class StreetFileError(ValueError):
    """A file that is not a police.uk street-level CSV."""


def district_prefix(partnership: Partnership) -> str:
    """ "Charnwood" from "Charnwood Borough Council": how its LSOA names begin."""
    return _COUNCIL_SUFFIX.sub("", partnership.local_authority.strip()).strip()


@dataclass
class StreetCount:
    """The result of counting one or more street-level files (nothing is written)."""

    values: dict[CellKey, int] = field(default_factory=dict)
    rows: int = 0
    files: list[str] = field(default_factory=list)
    #: crime type -> {"file": all rows, "counted": the partnership's, OUTSIDE: …, …}
    by_crime_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    unmapped_lsoas: Counter = field(default_factory=Counter)  # "E01… Charnwood 001A" -> rows
    unknown_crime_types: Counter = field(default_factory=Counter)
    months: dict[Quarter, set[str]] = field(default_factory=lambda: defaultdict(set))
    errors: list[str] = field(default_factory=list)

    def total(self, reason: str) -> int:
        return sum(counts[reason] for counts in self.by_crime_type.values())

    @property
    def counted(self) -> int:
        return self.total("counted")

    @property
    def warnings(self) -> list[str]:
        notes = []
        for quarter, months in sorted(self.months.items()):
            if len(months) < 3:
                notes.append(
                    f"{quarter} has only {len(months)} of its 3 months in these files "
                    f"({', '.join(sorted(months))}): its figures will be part-quarter."
                )
        unmapped_types = [
            t for t, c in self.by_crime_type.items() if c["counted"] and c["no_category"]
        ]
        if unmapped_types:
            notes.append(
                "These crime types feed none of our categories: "
                + ", ".join(sorted(unmapped_types))
            )
        return notes


def _read_chunks(source: str | Path | BinaryIO, name: str):
    import pandas as pd  # here, not at start-up (0.5 s)

    try:
        header = pd.read_csv(source, nrows=0)
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise StreetFileError(f"{name} is empty or not a CSV file.") from error
    missing = [c for c in USED if c not in header.columns]
    if missing:
        raise StreetFileError(
            f"{name} is not a police.uk street-level file: it lacks the column(s) "
            + ", ".join(missing)
            + "."
        )
    if hasattr(source, "seek"):
        source.seek(0)
    return pd.read_csv(
        source,
        usecols=USED,
        dtype=str,
        keep_default_na=False,
        chunksize=CHUNK_ROWS,
    )


def count_street_files(
    partnership: Partnership,
    sources: Iterable[str | Path | BinaryIO],
    *,
    progress: Callable[[int], object] | None = None,
) -> StreetCount:
    """Count the partnership's rows of each file by quarter, category and beat."""
    import pandas as pd  # here, not at start-up (0.5 s)

    result = StreetCount()
    lsoa_beats = dict(
        LsoaBeat.objects.filter(partnership=partnership).values_list("lsoa_code", "beat_id")
    )
    mapping: dict[str, list[int]] = defaultdict(list)
    for crime_type, category_id in CrimeTypeMapping.objects.filter(
        partnership=partnership
    ).values_list("crime_type", "category_id"):
        mapping[crime_type].append(category_id)
    beat_ids = list(Beat.objects.filter(partnership=partnership).values_list("pk", flat=True))
    known_types = set(PoliceUkCrimeType.values)
    prefix = district_prefix(partnership).lower() + " "
    # (quarter, crime type, beat id or None) -> rows counted
    tally: Counter = Counter()
    for source in sources:
        name = Path(str(getattr(source, "name", source))).name
        result.files.append(name)
        try:
            chunks = _read_chunks(source, name)
            for chunk in chunks:
                _count_chunk(chunk, result, tally, lsoa_beats, prefix, known_types, name)
                if progress:
                    progress(len(chunk))
        except StreetFileError as error:
            result.errors.append(str(error))
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
            result.errors.append(f"{name} could not be read as CSV: {error}")
    for crime_type, counts in result.by_crime_type.items():
        if not mapping.get(crime_type):
            counts["no_category"] = counts["counted"]
    for quarter in result.months:
        year = quarter.financial_year.start_year
        categories = {c for ids in mapping.values() for c in ids}
        for category_id in categories:
            for beat_id in [*beat_ids, None]:
                result.values[(year, quarter.number, category_id, beat_id)] = 0
    for (quarter, crime_type, beat_id), rows in tally.items():
        year = quarter.financial_year.start_year
        for category_id in mapping.get(crime_type, []):
            if beat_id is not None:
                result.values[(year, quarter.number, category_id, beat_id)] += rows
            result.values[(year, quarter.number, category_id, None)] += rows
    return result


def _count_chunk(chunk, result, tally, lsoa_beats, prefix, known_types, name) -> None:
    import pandas as pd  # here, not at start-up (0.5 s)

    result.rows += len(chunk)
    chunk = chunk.assign(
        _code=chunk["LSOA code"].str.strip(),
        _name=chunk["LSOA name"].str.strip(),
        _type=chunk["Crime type"].str.strip(),
        _month=chunk["Month"].str.strip(),
    )
    bad_month = ~chunk["_month"].str.match(_MONTH)
    if bad_month.any():
        first = int(bad_month.to_numpy().nonzero()[0][0])
        value = chunk["_month"].iloc[first]
        raise StreetFileError(
            f"{name}: a row has Month “{value}”; police.uk months look like 2022-07."
        )
    no_location = (chunk["_code"] == "") | chunk["Location"].str.strip().str.lower().eq(
        "no location"
    )
    beat = chunk["_code"].map(lsoa_beats)
    mapped = beat.notna() & ~no_location
    unmapped = ~mapped & ~no_location & chunk["_name"].str.lower().str.startswith(prefix)
    reason = pd.Series(OUTSIDE, index=chunk.index)
    reason[no_location] = NO_LOCATION
    reason[unmapped] = UNMAPPED
    reason[mapped] = "counted"
    for (crime_type, why), rows in chunk.groupby(["_type", reason]).size().items():
        result.by_crime_type[crime_type]["file"] += int(rows)
        result.by_crime_type[crime_type][why] += int(rows)
        if why == UNMAPPED:
            result.by_crime_type[crime_type]["counted"] += int(rows)
        if crime_type not in known_types:
            result.unknown_crime_types[crime_type] += int(rows)
    if unmapped.any():
        labels = chunk.loc[unmapped, "_code"] + " " + chunk.loc[unmapped, "_name"]
        result.unmapped_lsoas.update(labels.value_counts().to_dict())
    ours = chunk[mapped | unmapped]
    for month in chunk["_month"].unique():
        year, number = int(month[:4]), int(month[5:7])
        quarter = Quarter.for_date(pd.Timestamp(year=year, month=number, day=1).date())
        result.months[quarter].add(month)
    if ours.empty:
        return
    quarters = {
        month: Quarter.for_date(pd.Timestamp(f"{month}-01").date())
        for month in ours["_month"].unique()
    }
    beats = beat[mapped | unmapped].astype("Int64")
    grouped = ours.assign(_beat=beats).groupby(["_month", "_type", "_beat"], dropna=False).size()
    for (month, crime_type, beat_id), rows in grouped.items():
        key_beat = None if pd.isna(beat_id) else int(beat_id)
        tally[(quarters[month], crime_type, key_beat)] += int(rows)
