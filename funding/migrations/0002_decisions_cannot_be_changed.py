"""The database itself refuses to change or delete a decision or a transition.

Model.save() and the admin already refuse; this catches queryset.update(), raw SQL and
any future code path, on PostgreSQL (production, CI) and SQLite (make run).
"""

from django.db import migrations

TABLES = ["funding_decision", "funding_transition"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_immutable() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{table} rows are never changed or deleted';
                END;
                $$ LANGUAGE plpgsql;
                """
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_immutable();"
            )
        elif vendor == "sqlite":
            for event in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or deleted'); END;"
                )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_immutable();")
        elif vendor == "sqlite":
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event};")


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
