"""`make run` runs scripts/run_dev.py: the development server and the task worker, both
stopped by one Ctrl-C, or both stopped when one of them dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# run_dev.py with its two commands replaced by sleepers that write their process ids
# into PIDS; the second sleeps SECOND seconds.
DRIVER = """
import os, sys
sys.path.insert(0, "scripts")
import run_dev
SLEEPER = (
    "import os, time; open(os.path.join(os.environ['PIDS'], str(os.getpid())), 'w').close();"
    " time.sleep(float(os.environ['SLEEP']))"
)
def sleeper(seconds):
    return ["env", f"SLEEP={seconds}", sys.executable, "-c", SLEEPER]
run_dev.commands = lambda address: [sleeper(120), sleeper(os.environ["SECOND"])]
sys.exit(run_dev.run([]))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _start(tmp_path: Path, second: str) -> subprocess.Popen:
    env = {**os.environ, "PIDS": str(tmp_path), "SECOND": second}
    return subprocess.Popen([sys.executable, "-c", DRIVER], cwd=ROOT, env=env)


def _children(tmp_path: Path, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < count:
        assert time.monotonic() < deadline, "the children did not start"
        time.sleep(0.05)
    return [int(path.name) for path in tmp_path.iterdir()]


def test_ctrl_c_stops_the_server_and_the_worker(tmp_path):
    script = _start(tmp_path, second="120")
    children = _children(tmp_path, 2)
    assert all(_alive(pid) for pid in children)
    script.send_signal(signal.SIGINT)
    assert script.wait(timeout=30) == 0
    assert not any(_alive(pid) for pid in children)


def test_when_one_stops_the_other_is_stopped_too(tmp_path):
    script = _start(tmp_path, second="0.5")  # the "worker" exits at once
    children = _children(tmp_path, 2)
    script.wait(timeout=30)
    assert not any(_alive(pid) for pid in children)
