"""Derives the demo's LSOA → beat lookup (fixtures/demo/performance/lsoa_beats.csv) from
where police.uk puts Charnwood's crimes.

    python scripts/derive_lsoa_beats.py /path/to/policeuk/*-leicestershire-street.csv

Step 1 (needs the police.uk files): every row whose LSOA name starts "Charnwood" gives
a point; each LSOA's point is the median longitude and latitude of its rows. Written to
fixtures/demo/performance/lsoa_points.csv (code, name, latitude, longitude, rows).
Step 2 (needs only that file; `--from-points` re-runs it alone): each LSOA goes to the
beat of the nearest of the places the beats are named after (PLACES below). Beats 61,
62, 64 and 65 and their places are as the seeds name them (seed 001: Beat 62
Loughborough town centre, the Ashby Road and Storer Road area and the University; 61
Charnwood East, Syston and Thurmaston; 64 Loughborough West; 65 Loughborough East, Peel
Drive); 60, 63, 66 and 67 are inferred from the demo's beat names.

Source: police.uk street-level crime, Leicestershire Police, April 2021 to September 2022
(Open Government Licence v3.0). The lookup is the demo's, not the police's own beat
boundaries: it is plausible (town-centre crime falls in Beat 62), not official.
"""

from __future__ import annotations

import csv
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "fixtures" / "demo" / "performance"
POINTS = FOLDER / "lsoa_points.csv"
LOOKUP = FOLDER / "lsoa_beats.csv"
SOURCE = (
    "police.uk street-level crime, Leicestershire Police, 2021-04 to 2022-09 "
    "(Open Government Licence v3.0)"
)

#: beat code -> the places it is named after: (place, latitude, longitude).
PLACES: dict[str, list[tuple[str, float, float]]] = {
    "62": [
        ("Loughborough town centre (Market Place)", 52.7719, -1.2063),
        ("Storer Road and Ashby Road area", 52.7708, -1.2160),
        ("Loughborough University", 52.7645, -1.2287),
    ],
    "65": [
        ("Loughborough East: Hastings and Lemyngton", 52.7748, -1.1935),
        ("Peel Drive area", 52.7810, -1.1960),
    ],
    "64": [
        ("Loughborough West: Thorpe Acre", 52.7768, -1.2428),
        ("Dishley and Garendon", 52.7880, -1.2395),
    ],
    "63": [
        ("Shelthorpe", 52.7580, -1.2030),
        ("Nanpantan and the Outwoods", 52.7500, -1.2330),
    ],
    "61": [
        ("Syston", 52.6990, -1.0790),
        ("Thurmaston", 52.6720, -1.0920),
        ("East Goscote", 52.7160, -1.0560),
        ("Queniborough", 52.7010, -1.0450),
    ],
    "60": [
        ("Birstall", 52.6760, -1.1210),
        ("Anstey", 52.6730, -1.1900),
        ("Thurcaston and Cropston", 52.6950, -1.1650),
        ("Newtown Linford", 52.6990, -1.2270),
    ],
    "66": [
        ("Sileby", 52.7310, -1.1090),
        ("Barrow upon Soar", 52.7530, -1.1480),
        ("Quorn", 52.7440, -1.1690),
        ("Mountsorrel", 52.7230, -1.1420),
        ("Rothley", 52.7100, -1.1350),
        ("Woodhouse Eaves", 52.7240, -1.2140),
        ("Wymeswold", 52.8050, -1.1100),
    ],
    "67": [
        ("Shepshed", 52.7680, -1.2950),
        ("Hathern", 52.7960, -1.2570),
    ],
}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough across one district."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371 * math.hypot(x, y)


def nearest_place(latitude: float, longitude: float) -> tuple[str, str]:
    """(beat, place) of the place nearest the point."""
    _, beat, place = min(
        (distance_km(latitude, longitude, lat, lon), beat, place)
        for beat, places in PLACES.items()
        for place, lat, lon in places
    )
    return beat, place


def points_from_policeuk(paths: list[Path]) -> list[dict[str, str]]:
    """Each Charnwood LSOA's median crime location over the files."""
    found: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["LSOA name"].startswith("Charnwood") and row["Latitude"]:
                    found[(row["LSOA code"], row["LSOA name"])].append(
                        (float(row["Latitude"]), float(row["Longitude"]))
                    )
    return [
        {
            "lsoa_code": code,
            "lsoa_name": name,
            "latitude": f"{statistics.median(p[0] for p in points):.5f}",
            "longitude": f"{statistics.median(p[1] for p in points):.5f}",
            "rows": str(len(points)),
        }
        for (code, name), points in sorted(found.items(), key=lambda kv: kv[0][1])
    ]


def lookup_from_points(points: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for point in points:
        beat, place = nearest_place(float(point["latitude"]), float(point["longitude"]))
        rows.append({"lsoa_code": point["lsoa_code"], "lsoa_name": point["lsoa_name"],
                     "beat": beat, "nearest_place": place})  # fmt: skip
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_points(path: Path = POINTS) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(args: list[str]) -> int:
    if args == ["--from-points"]:
        points = read_points()
    elif args:
        points = points_from_policeuk([Path(a) for a in args])
        _write(POINTS, points)
    else:
        print(__doc__)
        return 2
    lookup = lookup_from_points(points)
    _write(LOOKUP, lookup)
    counts = defaultdict(int)
    for row in lookup:
        counts[row["beat"]] += 1
    print(f"{len(lookup)} LSOAs from {SOURCE}:")
    for beat in sorted(counts):
        print(f"  beat {beat}: {counts[beat]} LSOAs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
