"""Reading one police.uk street-level file: bounded before pandas reads it
(csp_portal.upload_checks), in UTF-8, with the police.uk header, read in chunks of
categorical columns; and the checks of a chunk's months and crime types, naming the file,
row and column of the first bad value. performance.policeuk counts what is read."""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from csp_portal.upload_checks import Source, check_csv_bytes, read_bytes
from performance.models import PoliceUkCrimeType

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


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
USED = ["Crime ID", "Month", "LSOA code", "LSOA name", "Crime type"]
REQUIRED = ["Month", "Location", "LSOA code", "LSOA name", "Crime type"]
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CHUNK_ROWS = 120_000
KNOWN_TYPES = frozenset(PoliceUkCrimeType.values)


class StreetFileError(ValueError):
    """A file that is not a police.uk street-level CSV."""


def read_chunks(source: Source, name: str):
    import pandas as pd  # here, not at start-up

    data = read_bytes(source, name)
    if not data or data.isspace():
        raise StreetFileError(f"{name} is empty.")
    rows = check_csv_bytes(data, name, max_columns=len(COLUMNS) + 8)
    if not data.isascii():  # police.uk files are ASCII but for a few place names
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise StreetFileError(
                f"{name} could not be read as a UTF-8 CSV file: line {line} has bytes that "
                "are not UTF-8."
            ) from None
    end = data.find(b"\n")
    header_bytes = data[: end if end >= 0 else len(data)]
    first_line = header_bytes.decode("utf-8-sig", errors="replace")
    columns = [c.strip() for c in next(csv.reader([first_line]), [])]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise StreetFileError(
            f"{name} is not a police.uk street-level file: it lacks the column(s) "
            + ", ".join(missing)
            + "."
        )
    raw = next(csv.reader([header_bytes.decode("utf-8", errors="replace")]))
    usecols = [raw[i] for i, c in enumerate(columns) if c in USED]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # pandas reads plain UTF-8 faster than "utf-8-sig"
    # Few distinct values but the Crime ID: read as categories, counted per value. One
    # chunk for a month of a force (8,000–100,000 rows); bigger files in chunks.
    dtype = {c: (str if c.strip() == "Crime ID" else "category") for c in usecols}
    options = {"usecols": usecols, "dtype": dtype, "keep_default_na": False, "encoding": "utf-8"}
    if rows <= CHUNK_ROWS:
        return [pd.read_csv(io.BytesIO(data), **options)]
    return pd.read_csv(io.BytesIO(data), chunksize=CHUNK_ROWS, **options)


def first_bad_row(mask, offset: int) -> int:
    """The spreadsheet row (header = 1) of the first True in `mask`."""
    import numpy as np  # here, not at start-up

    return offset + int(np.flatnonzero(mask)[0]) + 2


def refuse_unless(
    valid: list[bool], codes: np.ndarray, values: list[str], *, where: tuple[str, int, str],
    says: str,
) -> None:  # fmt: skip
    """StreetFileError naming the first row whose value (of a categorical column: `codes`
    index `values`) is not `valid`, and what is wrong with it (`says`)."""
    import numpy as np  # here, not at start-up

    ok = np.array(valid, dtype=bool)
    if ok.all():
        return
    name, offset, column = where
    bad = ~ok[codes]
    value = values[codes[bad][0]]
    raise StreetFileError(
        f"{name}, row {first_bad_row(bad, offset)}, column “{column}”: “{value[:40]}”{says}"
    )


def categorical(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's code and the stripped distinct values: work per value, not per row.

    Stripping may make two distinct values equal; they then keep two codes with the same
    text, which every use below (look-ups and counts keyed by the text) allows.
    """
    import pandas as pd  # here, not at start-up

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series)
    return codes, [str(value).strip() for value in uniques.tolist()]
