"""`make backup` and `make restore` round-trip the demo data exactly, media files included.

The demo partnership is loaded into the test database, backed up with scripts/backup.sh
(one archive, mode 0600, holding the database dump and the media files), restored with
scripts/restore.sh into a new database (and over a changed copy of the original), and
every table is compared: row count and an md5 of its rows in order, plus every
sequence's position (so rows added after a restore get fresh ids). A portal started on
the restored database and media folder then serves a paper and the published pack.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

from tests.conftest import postgres_only

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def url_for(name: str) -> str:
    s = connection.settings_dict
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def connect(name: str):
    s = connection.settings_dict
    return psycopg2.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=name,
    )


def drop_database(name: str) -> None:
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    admin.close()


@pytest.fixture
def fresh_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    drop_database(name)
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    yield name
    drop_database(name)


def snapshot(name: str) -> dict[str, tuple]:
    """Per table: (row count, md5 of all rows in order); per sequence: its position."""
    contents: dict[str, tuple] = {}
    db = connect(name)
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text),"
                    " '')) FROM {} AS t"
                ).format(sql.Identifier(table))
            )
            contents[table] = cursor.fetchone()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        for sequence, last_value in cursor.fetchall():
            contents[f"sequence {sequence}"] = (last_value,)
    db.close()
    return contents


def run_script(script: str, *args: str, database: str, **env: str):
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url_for(database), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def differences(before: dict, after: dict) -> list[str]:
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """The media folder load_demo writes to, and that backup.sh reads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_backup_then_restore_reproduces_every_table(tmp_path, fresh_database, media):
    call_command("load_demo", force=True, verbosity=0)
    source = connection.settings_dict["NAME"]
    connection.close()  # nothing of ours open on the source while it is dumped
    original = snapshot(source)
    assert original["auth_user"][0] >= 10, "the demo users are there to compare"
    assert sum(rows[0] for key, rows in original.items() if not key.startswith("seq")) > 100

    backup = run_script(
        "backup.sh", database=source, BACKUP_DIR=str(tmp_path), MEDIA_ROOT=str(media)
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.name.endswith(".tar.gz") and dump.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))

    restored = run_script(
        "restore.sh", str(dump), database=fresh_database, MEDIA_ROOT=str(tmp_path / "m2")
    )
    assert restored.returncode == 0, restored.stderr
    assert differences(original, snapshot(fresh_database)) == []

    # Restoring over a database that has changed since puts it back as it was.
    get_user_model().objects.filter(username="partner").update(first_name="Changed")
    get_user_model().objects.create(username="added-after-the-backup")
    connection.close()
    assert differences(original, snapshot(source)) != []
    again = run_script("restore.sh", str(dump), database=source, MEDIA_ROOT=str(media))
    assert again.returncode == 0, again.stderr
    assert differences(original, snapshot(source)) == []


def test_the_archive_holds_the_media_files_and_only_its_owner_reads_it(tmp_path, media):
    call_command("load_demo", force=True, verbosity=0)
    source = connection.settings_dict["NAME"]
    connection.close()
    backup = run_script(
        "backup.sh", database=source, BACKUP_DIR=str(tmp_path / "out"), MEDIA_ROOT=str(media)
    )
    assert backup.returncode == 0, backup.stderr
    archive = Path(backup.stdout.strip())
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    assert any(name.endswith(".pdf") for name in files), "the demo has papers and a pack"
    with tarfile.open(archive) as packed:
        names = set(packed.getnames())
    assert {"BACKUP", "database.dump"} <= names
    assert {f"media/{name}" for name in files} <= names


#: Run in a portal started on the restored database and media folder: a clerk downloads
#: an uploaded paper and the members' pack; anyone downloads the published public pack.
DOWNLOADS = """
from django.test import Client
from django.urls import reverse
from django.contrib.auth import get_user_model
from meetings.models import Paper, Meeting
paper = Paper.objects.exclude(file="").select_related("item__meeting__body__partnership").first()
meeting = Meeting.objects.filter(packs__isnull=False).select_related("body__partnership").first()
slug = meeting.body.partnership.slug
clerk = Client()
clerk.force_login(get_user_model().objects.get(username="clerk"))
for url, client in [
    (reverse("meetings:paper", args=[slug, paper.pk]), clerk),
    (reverse("meetings:pack", args=[slug, meeting.pk]), clerk),
    (reverse("public:pack", args=[slug, meeting.body.slug, meeting.date.isoformat()]), Client()),
]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print(url, response.status_code, body[:5].decode("latin-1"))
"""


def test_after_a_restore_into_a_fresh_database_papers_and_packs_download(
    tmp_path, fresh_database, media
):
    call_command("load_demo", force=True, verbosity=0)
    source = connection.settings_dict["NAME"]
    connection.close()
    backup = run_script(
        "backup.sh", database=source, BACKUP_DIR=str(tmp_path / "out"), MEDIA_ROOT=str(media)
    )
    assert backup.returncode == 0, backup.stderr
    fresh_media = tmp_path / "restored-media"  # a folder that does not exist yet
    restored = run_script(
        "restore.sh",
        backup.stdout.strip(),
        database=fresh_database,
        MEDIA_ROOT=str(fresh_media),
    )
    assert restored.returncode == 0, restored.stderr
    served = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DOWNLOADS],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": url_for(fresh_database),
            "MEDIA_ROOT": str(fresh_media),
            "CACHE_DIR": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in served.stdout.splitlines() if line.startswith("/")]
    assert len(lines) == 3, served.stdout + served.stderr
    for line in lines:
        url, status, start = line.split(" ", 2)
        assert (status, start) == ("200", "%PDF-"), line


def test_restore_refuses_a_missing_file_and_changes_nothing(tmp_path):
    source = connection.settings_dict["NAME"]
    connection.close()
    before = snapshot(source)
    result = run_script("restore.sh", str(tmp_path / "nope.dump"), database=source)
    assert result.returncode == 2
    assert "no backup file at" in result.stderr
    assert snapshot(source) == before


def test_a_broken_backup_file_is_refused_and_changes_nothing(tmp_path, media):
    source = connection.settings_dict["NAME"]
    call_command("load_demo", force=True, verbosity=0)
    connection.close()
    before = snapshot(source)
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP not really a dump")
    result = run_script("restore.sh", str(broken), database=source)
    assert result.returncode != 0
    assert snapshot(source) == before
