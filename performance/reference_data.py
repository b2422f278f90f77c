"""The partnership's reference data for imports: the LSOA → beat lookup officers
upload and edit, and the police.uk crime type → category mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.forms import BaseModelFormSet

from csp_portal.models import Partnership
from performance.cells import RowError, missing_columns
from performance.lookups import Resolver, normalise
from performance.models import CrimeTypeMapping, LsoaBeat, PoliceUkCrimeType

if TYPE_CHECKING:
    import pandas as pd

LSOA_COLUMNS = ["lsoa_code", "beat"]
_LSOA_CODE = r"^[EW]01\d{6}$"


@dataclass
class ParsedLookup:
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> (name, beat id)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_lsoa_lookup(partnership: Partnership, frame: pd.DataFrame) -> ParsedLookup:
    """Rows `lsoa_code,lsoa_name,beat` (lsoa_name optional; beat by code or name)."""
    import pandas as pd  # here, not at start-up (0.5 s)

    parsed = ParsedLookup()
    columns = {normalise(c).replace(" ", "_"): c for c in frame.columns}
    needs = "it needs lsoa_code,lsoa_name,beat"
    if lacking := missing_columns(frame.columns, columns, LSOA_COLUMNS, needs=needs):
        parsed.errors.append(lacking)
        return parsed
    resolver = Resolver(partnership)
    codes = frame[columns["lsoa_code"]].astype(str).str.strip().str.upper()
    names = frame[columns["lsoa_name"]] if "lsoa_name" in columns else pd.Series("", frame.index)
    for index, (code, name, beat_text) in enumerate(
        zip(codes, names, frame[columns["beat"]], strict=True)
    ):
        row = index + 2
        if not pd.Series([code]).str.match(_LSOA_CODE).iloc[0]:
            parsed.errors.append(
                RowError(row, "lsoa_code", f"“{code}” is not an LSOA code (like E01025692).")
            )
            continue
        beat = resolver.beat(beat_text)
        if beat is None:
            parsed.errors.append(RowError(row, "beat", f"“{beat_text}” is not one of our beats."))
            continue
        if code in parsed.rows:
            parsed.errors.append(RowError(row, "lsoa_code", f"{code} is listed twice."))
            continue
        parsed.rows[code] = (str(name).strip(), beat.pk)
    return parsed


@transaction.atomic
def apply_lsoa_lookup(*, partnership: Partnership, parsed: ParsedLookup) -> tuple[int, int]:
    """Add or re-point the uploaded LSOAs (others are kept); returns (added, changed)."""
    if parsed.errors:
        raise ValueError("Refusing to write a lookup that has errors.")
    stored = {row.lsoa_code: row for row in LsoaBeat.objects.filter(partnership=partnership)}
    added = changed = 0
    for code, (name, beat_id) in parsed.rows.items():
        row = stored.get(code)
        if row is None:
            LsoaBeat.objects.create(
                partnership=partnership, lsoa_code=code, lsoa_name=name, beat_id=beat_id
            )
            added += 1
        elif row.beat_id != beat_id or (name and row.lsoa_name != name):
            row.beat_id, row.lsoa_name = beat_id, name or row.lsoa_name
            row.save()
            changed += 1
    return added, changed


@transaction.atomic
def set_crime_type_mapping(
    *, partnership: Partnership, pairs: list[tuple[str, str]]
) -> list[CrimeTypeMapping]:
    """Replace the mapping with `pairs` of (police.uk crime type, category code or name)."""
    resolver = Resolver(partnership)
    wanted = []
    for crime_type, category_text in pairs:
        if crime_type not in PoliceUkCrimeType.values:
            raise ValueError(f"“{crime_type}” is not a police.uk crime type.")
        category = resolver.category(category_text)
        if category is None:
            raise ValueError(f"“{category_text}” is not one of our categories.")
        wanted.append((crime_type, category))
    CrimeTypeMapping.objects.filter(partnership=partnership).exclude(
        pk__in=[
            m.pk
            for m in CrimeTypeMapping.objects.filter(partnership=partnership)
            if (m.crime_type, m.category_id) in {(t, c.pk) for t, c in wanted}
        ]
    ).delete()
    return [
        CrimeTypeMapping.objects.get_or_create(
            partnership=partnership, crime_type=crime_type, category=category
        )[0]
        for crime_type, category in wanted
    ]


def save_reference_rows(*, partnership: Partnership, formset: BaseModelFormSet) -> int:
    """Save a valid formset of the partnership's rows edited on a page (the LSOA lookup,
    the offence mapping). Returns how many rows were written or deleted."""
    saved, deleted = save_edited_rows(formset=formset, owner={"partnership": partnership})
    return saved + deleted


@transaction.atomic
def save_edited_rows(*, formset: BaseModelFormSet, owner: dict[str, object]) -> tuple[int, int]:
    """Save a valid model formset edited on a page: its new and changed rows only (an
    unchanged save writes nothing, not even history), each given the `owner` fields
    (e.g. {"partnership": …}), and its deletions. Returns (saved, deleted)."""
    rows = formset.save(commit=False)
    for row in rows:
        for name, value in owner.items():
            setattr(row, name, value)
        row.save()
    for row in formset.deleted_objects:
        row.delete()
    return len(rows), len(formset.deleted_objects)
