"""The load driver `make load` relies on counts, times and reports errors correctly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from load_driver import percentile  # noqa: E402


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]  # 1 .. 100
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([3.0, 1.0, 2.0], 0.95) == 3.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.95) == 0.0


@pytest.mark.django_db(transaction=True)
def test_driver_counts_requests_and_errors_against_a_live_server(live_server):
    plan = {
        "base": live_server.url,
        "clients": 3,
        "requests": 30,
        "seconds": 30,
        "targets": [
            {"label": "health", "path": "/healthz", "cookie": ""},
            {"label": "missing", "path": "/no-such-page/", "cookie": ""},
        ],
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_driver.py")],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    overall = json.loads(result.stdout.strip().splitlines()[-1])
    assert overall["requests"] == 30
    assert overall["errors"] == 15  # every request to the missing page, none to /healthz
    assert overall["p95_ms"] >= overall["median_ms"] > 0
    assert "e.g. HTTP 404" in result.stdout  # the report says what went wrong
    health = next(line for line in result.stdout.splitlines() if line.startswith("health"))
    assert health.split()[1:2] == ["15"] and health.split()[-1] == "0"


def test_driver_counts_a_refused_connection_as_an_error():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    plan = {
        "base": f"http://127.0.0.1:{port}",
        "clients": 2,
        "requests": 4,
        "seconds": 10,
        "targets": [{"label": "nobody", "path": "/", "cookie": ""}],
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_driver.py")],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    overall = json.loads(result.stdout.strip().splitlines()[-1])
    assert overall["requests"] == 4 and overall["errors"] == 4
    assert "ConnectionRefusedError" in result.stdout
