"""Django's `flush`, able to empty the tables whose rows the database keeps immutable.

Decisions, transitions and declarations of interest are guarded by database triggers
(funding/migrations/_immutable.py). PostgreSQL's flush truncates, which row triggers do
not see; SQLite's deletes row by row, which they refuse, so `manage.py flush` (and every
transactional test's clean-up) failed on the quick start's database. On SQLite the
triggers are therefore dropped for the flush and put back after it, in one place with the
migrations' definitions, so the guard is never missing outside a flush.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from funding.migrations import _immutable

#: Every table the funding migrations make immutable (0002 and 0004).
IMMUTABLE_TABLES = ["funding_decision", "funding_transition", "funding_declaration"]


class _Executor:
    """The one method of a schema editor that the trigger helpers use."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        existing = set(connection.introspection.table_names())
        guarded = [table for table in IMMUTABLE_TABLES if table in existing]
        executor = _Executor(connection)
        _immutable.drop(executor, guarded)
        try:
            return super().handle(**options)
        finally:
            _immutable.create(executor, guarded)
