"""A meeting is public once its agenda was published (access.is_public reads
`published_at`). Meetings published before that field was always set (a held meeting
published later kept it empty) take the date of their first pack. Meetings with no pack
were never published: they stay off the public site."""

from django.db import migrations
from django.db.models import Min


def forwards(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    for meeting in Meeting.objects.filter(published_at__isnull=True).annotate(
        first_pack=Min("packs__published_at")
    ):
        if meeting.first_pack is not None:
            Meeting.objects.filter(pk=meeting.pk).update(published_at=meeting.first_pack)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_versions_frozen_minutes_amendment_item")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
