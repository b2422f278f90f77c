"""`make run`'s last step: the development server and the background-task worker side by
side, both stopped by one Ctrl-C (or when either of them stops).

Usage: python scripts/run_dev.py HOST:PORT
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands(address: str, python: str = sys.executable) -> list[list[str]]:
    manage = str(ROOT / "manage.py")
    return [[python, manage, "runserver", address], [python, manage, "run_worker"]]


def stop(processes: list[subprocess.Popen], grace: float = 10.0) -> None:
    """Ask each process still running to stop (SIGTERM to its group), then kill what is
    left after `grace` seconds."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(argv: list[str]) -> int:
    address = argv[0] if argv else "127.0.0.1:8000"
    # Each child in its own process group: Ctrl-C reaches this script only, and it stops
    # both children in order (the worker finishes or abandons its task cleanly).
    processes = [subprocess.Popen(command, start_new_session=True) for command in commands(address)]
    stopping = False

    def on_signal(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        stop(processes)
    if stopping:
        return 0
    return next((p.returncode for p in processes if p.returncode), 0)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
