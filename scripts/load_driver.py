"""The load generator `make load` runs in its own process (standard library only).

Reads a JSON plan on standard input:
    {"base": "http://127.0.0.1:PORT", "clients": 50, "requests": 2000, "seconds": 60,
     "bases": ["http://127.0.0.1:PORT", "http://127.0.0.1:PORT2"] (optional: servers),
     "targets": [{"label": "dashboard", "path": "/p/...", "cookie": "sessionid=..."}]}
and runs `clients` threads, each with its own connection, taking the targets in turn
until `requests` have been sent in all or `seconds` have passed. A response other than
200, or a failed connection, is an error. Prints a table per target and overall
(requests per second, median and 95th-percentile latency, errors) and, on the last line,
the overall figures as JSON for the caller.
"""

from __future__ import annotations

import http.client
import itertools
import json
import math
import statistics
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0..1) of values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def run(plan: dict) -> dict:
    # Several servers (LOAD_SERVERS=2): client n talks to server n mod their number.
    bases = [urlsplit(url) for url in plan.get("bases") or [plan["base"]]]
    targets = plan["targets"]
    deadline = time.monotonic() + plan["seconds"]
    tickets = itertools.count()  # next() on itertools.count is atomic under the GIL
    budget = plan["requests"]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()

    def client(number: int) -> None:
        base = bases[number % len(bases)]
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
        for turn in itertools.count(number):
            if next(tickets) >= budget or time.monotonic() > deadline:
                break
            target = targets[turn % len(targets)]
            headers = {"Cookie": target["cookie"]} if target.get("cookie") else {}
            started = time.perf_counter()
            try:
                connection.request("GET", target["path"], headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                problem = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                problem = f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - started
            with lock:
                if problem:
                    errors[target["label"]].append(problem)
                else:
                    latencies[target["label"]].append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(plan["clients"])]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    rows = []
    for label in [t["label"] for t in targets] + ["all"]:
        if label == "all":
            times = [t for values in latencies.values() for t in values]
            failed = [e for values in errors.values() for e in values]
        else:
            times, failed = latencies[label], errors[label]
        rows.append(
            {
                "target": label,
                "requests": len(times) + len(failed),
                "rps": (len(times) + len(failed)) / wall,
                "median_ms": statistics.median(times) * 1000 if times else 0.0,
                "p95_ms": percentile(times, 0.95) * 1000,
                "errors": len(failed),
                "examples": sorted(set(failed))[:3],
            }
        )
    return {"wall_seconds": wall, "clients": plan["clients"], "rows": rows}


def print_table(result: dict) -> None:
    print(f"{result['clients']} concurrent clients, {result['wall_seconds']:.1f} s")
    print(f"{'target':<16}{'requests':>9}{'req/s':>9}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
    for row in result["rows"]:
        print(
            f"{row['target']:<16}{row['requests']:>9}{row['rps']:>9.1f}"
            f"{row['median_ms']:>11.1f}{row['p95_ms']:>9.1f}{row['errors']:>8}"
        )
        for example in row["examples"]:
            print(f"    e.g. {example}")


if __name__ == "__main__":
    outcome = run(json.load(sys.stdin))
    print_table(outcome)
    print(json.dumps(outcome["rows"][-1]))
