"""Generates the demo partnership's figures: fixtures/demo/performance/figures.csv and
family_figures.csv (committed; re-run with `python -m performance.demo_figures`).

The totals the partnership published are fixed to the seeds: 2015/16 and 2016/17 to the
end of Q3 (seed 001 Table 1; Table 2's running totals for 2016/17, and for 2015/16 the
running totals its % changes imply), and 2021/22 and 2022/23 to the end of Q2 (seed
003's table and its three busiest beats). The family group's peers are invented, but so
that Charnwood's ranks in Q3 2016/17 are seed 001's (All Crime 6th of 15, Domestic
Burglary 15th, Theft from Motor Vehicle 15th, Theft of Motor Vehicle 10th, Robbery
6th). All other quarters, beats and peers are plausible, seeded-random figures around
those levels. Beats always add up to the partnership total.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "demo" / "performance"
YEARS = range(2012, 2023)  # 2012/13 … 2022/23 (the last to Q2 only)
LAST = (2022, 2)
BEATS = ["60", "61", "62", "63", "64", "65", "66", "67"]
BEAT_SHARE = [0.09, 0.16, 0.20, 0.10, 0.12, 0.17, 0.08, 0.08]
SEASON = [0.25, 0.27, 0.25, 0.23]
# Quarterly level around 2016 for each recorded category (children of Burglary and
# Vehicle Crime are generated; the parents are their sums).
LEVEL = {
    "ALL": 2450,
    "VWI": 170,
    "BUR-RES": 200,
    "BUR-BUS": 60,
    "TOV": 48,
    "TFV": 300,
    "ROB": 22,
    "CYC": 100,
    "SHOP": 260,
    "ASB": 1350,
}
#: Year-to-date totals as published: (year, quarter) -> {category: count}.
PUBLISHED = {
    (2015, 3): {
        "ALL": 7341, "VWI": 484, "BUR-RES": 596, "TOV": 144, "TFV": 971, "ROB": 77,
        "CYC": 311, "SHOP": 741,
    },
    (2016, 3): {
        "ALL": 7812, "VWI": 566, "BUR-RES": 721, "TOV": 144, "TFV": 811, "ROB": 47,
        "CYC": 281, "SHOP": 934,
    },
    (2021, 2): {
        "ALL": 7124, "VWI": 912, "BUR-RES": 210, "BUR-BUS": 71, "TOV": 105, "TFV": 210,
        "ROB": 45, "CYC": 230, "SHOP": 413,
    },
    (2022, 2): {
        "ALL": 7475, "VWI": 815, "BUR-RES": 241, "BUR-BUS": 149, "TOV": 185, "TFV": 365,
        "ROB": 40, "CYC": 184, "SHOP": 383,
    },
}  # fmt: skip
#: Seed 001 Table 2: running totals of 2016/17 by quarter.
RUNNING_2016 = {
    "ALL": [2465, 5098, 7812],
    "BUR-RES": [207, 433, 721],
    "TFV": [240, 517, 811],
    "TOV": [32, 94, 144],
    "ROB": [19, 31, 47],
}
#: 2015/16's running totals behind Table 2's % changes (the paper gives only the
#: changes): Q1 2,465 is +6.6% on 2,312, Q2 5,098 +6.6% on 4,782; Q3 is Table 1's.
#: Theft of Motor Vehicle Q1: the paper's −12% is not a whole number of crimes (32 on
#: 36 is −11.1%, on 37 −13.5%); 36 is the nearer.
RUNNING_2015 = {
    "ALL": [2312, 4782, 7341],
    "BUR-RES": [168, 364, 596],  # +23.2%, +19.0% (paper: +23%, +19%)
    "TFV": [255, 574, 971],  # −5.9%, −9.9% (paper: −5.9%, −10%)
    "TOV": [36, 93, 144],  # −11.1%, +1.1% (paper: −12%, +1%)
    "ROB": [21, 48, 77],  # −9.5%, −35.4% (paper: −9.5%, −35%)
}
RUNNING = {2015: RUNNING_2015, 2016: RUNNING_2016}
#: Seed 001: Charnwood's family-group positions in Q3 2016/17 (of 15).
RANKS_2016_Q3 = {"ALL": 6, "BUR-RES": 15, "TFV": 15, "TOV": 10, "ROB": 6}
#: The population the seed's rates use for 2016/17 (7,812 crimes = 47.03 per 1,000).
POPULATION_2016 = 166_100
#: Seed 003: All Crime YTD to Q2 for the three busiest beats, 2021/22 and 2022/23.
BEAT_YTD = {
    (2021, 2): {"62": 1446, "65": 1264, "61": 1127},
    (2022, 2): {"62": 1508, "65": 1248, "61": 1203},
}
PEER_CATEGORIES = ["ALL", "BUR-RES", "TFV", "TOV", "ROB"]


def split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to `weights` adding up to `total` exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[i] += 1
    return parts


def quarters():
    for year in YEARS:
        for number in (1, 2, 3, 4):
            if (year, number) <= LAST:
                yield year, number


def partnership_totals(rng: random.Random) -> dict[tuple[int, int, str], int]:
    totals = {}
    for year, number in quarters():
        drift = 1 + (year - 2016) * rng.uniform(-0.01, 0.03)
        for code, level in LEVEL.items():
            totals[(year, number, code)] = max(
                0, round(level * drift * SEASON[number - 1] * 4 * rng.uniform(0.9, 1.1))
            )
    for (year, upto), published in PUBLISHED.items():
        for code, ytd in published.items():
            if code in RUNNING.get(year, {}):
                running = RUNNING[year][code]
                counts = [running[0], running[1] - running[0], running[2] - running[1]]
            else:
                counts = split(ytd, [SEASON[n] * rng.uniform(0.9, 1.1) for n in range(upto)])
            for number, count in enumerate(counts, start=1):
                totals[(year, number, code)] = count
    return totals


def beat_split(rng: random.Random, total: int) -> list[int]:
    return split(total, [s * rng.uniform(0.8, 1.2) for s in BEAT_SHARE])


def beat_counts(rng: random.Random, totals) -> dict[tuple[int, int, str, str], int]:
    counts = {}
    for (year, number, code), total in totals.items():
        for beat, count in zip(BEATS, beat_split(rng, total), strict=True):
            counts[(year, number, code, beat)] = count
    # Pin the three busiest beats' All Crime YTD to seed 003, quarter by quarter in
    # proportion to the partnership's quarters, taking the balance from the other beats.
    for (year, upto), pinned in BEAT_YTD.items():
        quarter_totals = [totals[(year, n, "ALL")] for n in range(1, upto + 1)]
        for beat, ytd in pinned.items():
            for number, count in enumerate(split(ytd, quarter_totals), start=1):
                counts[(year, number, "ALL", beat)] = count
        others = [b for b in BEATS if b not in pinned]
        for number in range(1, upto + 1):
            left = totals[(year, number, "ALL")] - sum(
                counts[(year, number, "ALL", b)] for b in pinned
            )
            shares = [BEAT_SHARE[BEATS.index(b)] for b in others]
            for beat, count in zip(others, split(left, shares), strict=True):
                counts[(year, number, "ALL", beat)] = count
    return counts


def main() -> None:
    rng = random.Random(20221014)
    totals = partnership_totals(rng)
    beats = beat_counts(rng, totals)
    for parent, children in {"BUR": ["BUR-RES", "BUR-BUS"], "VEH": ["TOV", "TFV"]}.items():
        for year, number in quarters():
            totals[(year, number, parent)] = sum(totals[(year, number, c)] for c in children)
            for beat in BEATS:
                beats[(year, number, parent, beat)] = sum(
                    beats[(year, number, c, beat)] for c in children
                )
    with (OUT / "figures.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["financial_year", "quarter", "beat", "category", "count"])
        for (year, number, code), count in sorted(totals.items()):
            fy = f"{year}/{(year + 1) % 100:02d}"
            writer.writerow([fy, number, "", code, count])
            for beat in BEATS:
                writer.writerow([fy, number, beat, code, beats[(year, number, code, beat)]])
    write_family(rng, totals)


def _member_at(row: dict[str, str], day: str) -> bool:
    return (not row["joined"] or row["joined"] <= day) and (not row["left"] or day <= row["left"])


def pin_ranks(counts, populations, members, own_rate, rank: int) -> None:
    """Move peers' counts just enough that exactly rank − 1 of them have a lower rate
    than `own_rate` (count per resident) and the rest a higher one: no ties."""
    ordered = sorted(members, key=lambda m: counts[m] / populations[m])
    for position, csp in enumerate(ordered):
        boundary = own_rate * populations[csp]  # the count at Charnwood's rate
        if position < rank - 1:
            counts[csp] = min(counts[csp], math.ceil(boundary) - 1)
        else:
            counts[csp] = max(counts[csp], math.floor(boundary) + 1)


def write_family(rng: random.Random, totals) -> None:
    with (OUT / "family_members.csv").open(encoding="utf-8") as handle:
        members = [row for row in csv.DictReader(handle) if row["is_self"] != "yes"]
    populations = {m["csp"]: rng.randrange(95_000, 190_000, 100) for m in members}
    # Each peer's crime rate relative to Charnwood's, per category.
    factors = {m["csp"]: {c: rng.uniform(0.6, 1.35) for c in PEER_CATEGORIES} for m in members}
    counts = {}
    for year, number in quarters():
        if year < 2014:
            continue
        for code in PEER_CATEGORIES:
            own_rate = totals[(year, number, code)] / 170_000
            for member in members:
                csp = member["csp"]
                counts[(year, number, code, csp)] = round(
                    own_rate * populations[csp] * factors[csp][code] * rng.uniform(0.92, 1.08)
                )
    quarter_end = "2016-12-31"
    in_group = [m["csp"] for m in members if _member_at(m, quarter_end)]
    for code, rank in RANKS_2016_Q3.items():
        these = {csp: counts[(2016, 3, code, csp)] for csp in in_group}
        pin_ranks(these, populations, in_group, totals[(2016, 3, code)] / POPULATION_2016, rank)
        counts.update({(2016, 3, code, csp): count for csp, count in these.items()})
    with (OUT / "family_figures.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["financial_year", "quarter", "csp", "category", "count", "population"])
        for member in members:
            for year, number in quarters():
                if year < 2014:
                    continue
                fy = f"{year}/{(year + 1) % 100:02d}"
                for code in PEER_CATEGORIES:
                    count = counts[(year, number, code, member["csp"])]
                    writer.writerow([fy, number, member["csp"], code, count,
                                     populations[member["csp"]]])  # fmt: skip


if __name__ == "__main__":
    main()
