"""Pack and minutes files that no row points at are pruned once older than a day; a file
a published pack or printed minutes names is kept, however old; so is a fresh unnamed one
(a publication may still be committing). Old cached pack builds go."""

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from meetings import cleanup
from meetings.models import PackKind, PackVersion
from meetings.pack_cache import cache_name
from tests.meetings.factories import MeetingFactory, board

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a stand-in: the clean-up never opens the files\n"


def _age(name: str, days: float) -> None:
    path = default_storage.path(name)
    then = time.time() - days * 86400
    os.utime(path, (then, then))


@pytest.fixture
def published(partnership):
    meeting = MeetingFactory(body=board(partnership))
    version = PackVersion(
        meeting=meeting, number=1, kind=PackKind.AGENDA, published_at=timezone.now(), snapshot={}
    )
    version.members_pdf.save("pack-1.pdf", ContentFile(PDF), save=False)
    version.public_pdf.save("pack-1-public.pdf", ContentFile(PDF), save=False)
    version.save()
    meeting.public_minutes_pdf.save("minutes-abc.pdf", ContentFile(PDF), save=True)
    return version


def test_referenced_files_are_kept_unreferenced_old_ones_removed(published):
    meeting = published.meeting
    stray = default_storage.save(f"meetings/packs/{meeting.pk}/pack-2.pdf", ContentFile(PDF))
    old_minutes = default_storage.save(
        f"meetings/minutes/{meeting.pk}/minutes-old.pdf", ContentFile(PDF)
    )
    fresh = default_storage.save(f"meetings/packs/{meeting.pk}/pack-3.pdf", ContentFile(PDF))
    for name in [published.members_pdf.name, published.public_pdf.name, stray, old_minutes]:
        _age(name, 400)
    _age(meeting.public_minutes_pdf.name, 400)
    _age(fresh, 0.5)
    assert cleanup.prune_unreferenced_files(timezone.now()) == 2
    assert not default_storage.exists(stray) and not default_storage.exists(old_minutes)
    for name in [
        published.members_pdf.name,
        published.public_pdf.name,
        meeting.public_minutes_pdf.name,
        fresh,
    ]:
        assert default_storage.exists(name), name


def test_old_cached_builds_go_recent_ones_stay(media_root):
    old, recent = (Path(default_storage.path(cache_name(k * 64))) for k in "ab")
    old.parent.mkdir(parents=True)
    for path in [old, old.with_suffix(".json"), recent, recent.with_suffix(".json")]:
        path.write_bytes(b"{}")
    then = time.time() - 31 * 86400
    for path in [old, old.with_suffix(".json")]:
        os.utime(path, (then, then))
    assert cleanup.prune_pack_cache(timezone.now()) == 1
    assert not old.exists() and not old.with_suffix(".json").exists()
    assert recent.exists() and recent.with_suffix(".json").exists()


def test_nothing_there_nothing_removed(media_root):
    now = timezone.now() + dt.timedelta(days=1)
    assert cleanup.prune_unreferenced_files(now) == 0
    assert cleanup.prune_pack_cache(now) == 0
