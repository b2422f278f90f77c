"""Races between database connections, for the concurrency tests on PostgreSQL."""

from __future__ import annotations

import threading

from django.db import connection


def race(calls):
    """Run each call in its own thread (its own connection), released together."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # kept to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
