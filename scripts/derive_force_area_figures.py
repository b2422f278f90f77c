"""Derive the force area's demo figures from the police.uk files (run by a developer).

    .venv/bin/python scripts/derive_force_area_figures.py [/work/shared/data]

Reads `<data>/policeuk/YYYY-MM-leicestershire-street.csv` (April 2021 – September 2022)
and `<data>/population/census2021-leicestershire-force-area.csv`, and writes, in
fixtures/county/:

- figures.csv: partnership,financial_year,quarter,category,count — each partnership's
  quarterly counts in the county template's categories (categories.csv; police.uk crime
  types mapped by crime_type_mapping.csv), a row's partnership found by its LSOA name's
  local authority (partnerships.csv: Blaby and Hinckley & Bosworth are one partnership);
- lsoas.csv: lsoa_code,lsoa_name of every LSOA of the force area's local authorities
  (the template's LSOA list for a new partnership);
- populations.csv: the Census 2021 populations by local authority, copied as published;
- and, with --test-sample, tests/performance/data/force_area/: every 20th row of the
  three files of Q2 2022/23, the sample the tests count again on their own.

Neither the demo nor the tests read the shared folder: they read these files.
Source: police.uk street-level crime, Leicestershire Police; ONS Census 2021 (both
Open Government Licence v3.0).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from performance.force_area import count_files, with_zeros  # noqa: E402

OUT = ROOT / "fixtures" / "county"
SAMPLE = ROOT / "tests" / "performance" / "data" / "force_area"
SAMPLE_MONTHS = ("2022-07", "2022-08", "2022-09")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def template() -> tuple[dict[str, str], list[str], dict[str, list[str]]]:
    """(local authority name -> partnership slug, slugs, crime type -> category codes)."""
    prefixes: dict[str, str] = {}
    slugs = []
    for row in read(OUT / "partnerships.csv"):
        slugs.append(row["slug"])
        for name in row["local_authorities"].split(";"):
            prefixes[name] = row["slug"]
    mapping: dict[str, list[str]] = defaultdict(list)
    for row in read(OUT / "crime_type_mapping.csv"):
        mapping[row["crime_type"]].append(row["category"])
    return prefixes, slugs, dict(mapping)


def write_sample(files: list[Path]) -> None:
    SAMPLE.mkdir(parents=True, exist_ok=True)
    for path in files:
        if path.name[:7] not in SAMPLE_MONTHS:
            continue
        with path.open(newline="", encoding="utf-8-sig") as source:
            lines = source.read().splitlines(keepends=True)
        target = SAMPLE / path.name.replace("-street.csv", "-street-sample.csv")
        target.write_text(lines[0] + "".join(lines[1::20]), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="/work/shared/data", type=Path)
    parser.add_argument("--test-sample", action="store_true")
    args = parser.parse_args(argv)
    files = sorted((args.data / "policeuk").glob("*-leicestershire-street.csv"))
    if not files:
        parser.error(f"no police.uk files in {args.data / 'policeuk'}")
    prefixes, slugs, mapping = template()
    codes = [row["code"] for row in read(OUT / "categories.csv")]
    counts = count_files(files, prefixes, mapping)
    with (OUT / "figures.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["partnership", "financial_year", "quarter", "category", "count"])
        writer.writerows(with_zeros(counts, slugs, codes))
    lsoas: dict[str, str] = {}
    for path in files:
        for row in read(path):
            name = row["LSOA name"].strip()
            if any(name.startswith(la + " ") for la in prefixes):
                lsoas[row["LSOA code"].strip()] = name
    with (OUT / "lsoas.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["lsoa_code", "lsoa_name"])
        writer.writerows(sorted(lsoas.items(), key=lambda item: item[1]))
    shutil.copyfile(
        args.data / "population" / "census2021-leicestershire-force-area.csv",
        OUT / "populations.csv",
    )
    if args.test_sample:
        write_sample(files)
    print(f"{len(files)} files, {len(lsoas)} LSOAs, {sum(counts.values())} counted cells → {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
