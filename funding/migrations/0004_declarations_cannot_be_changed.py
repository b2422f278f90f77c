"""The database refuses to change or delete a declaration of interest, as for decisions."""

from django.db import migrations

from funding.migrations import _immutable

TABLES = ["funding_declaration"]


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_declarations_and_bid_versions")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: _immutable.create(editor, TABLES),
            lambda apps, editor: _immutable.drop(editor, TABLES),
        )
    ]
