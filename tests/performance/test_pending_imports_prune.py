"""Import previews nobody confirmed are pruned after a day; a fresh one is kept (and still
confirms), an old one's session finds its files gone."""

import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from performance import pending_imports

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_with_session(settings, tmp_path):
    from django.contrib.sessions.backends.db import SessionStore

    settings.MEDIA_ROOT = tmp_path
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def _keep(request, partnership, name="figures.csv"):
    upload = SimpleUploadedFile(name, b"Category,Count\nAll crime,900\n")
    return pending_imports.keep(request, partnership=partnership, kind="grid", files=[upload])


def _folder(token) -> Path:
    return Path(default_storage.path(f"{pending_imports.FOLDER}/{token}"))


def _age(token, hours):
    folder = _folder(token)
    then = time.time() - hours * 3600
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (then, then))


def test_an_old_preview_goes_and_a_fresh_one_stays(request_with_session, partnership):
    old = _keep(request_with_session, partnership, "old.csv")
    fresh = _keep(request_with_session, partnership, "fresh.csv")
    _age(old, 25)
    _age(fresh, 23)
    assert pending_imports.prune(timezone.now()) == 1
    assert not any(_folder(old).iterdir())
    assert (
        pending_imports.fetch(request_with_session, old, partnership=partnership, kind="grid")
        is None
    )
    paths, _ = pending_imports.fetch(
        request_with_session, fresh, partnership=partnership, kind="grid"
    )
    assert [pending_imports.original_name(p) for p in paths] == ["fresh.csv"]


def test_nothing_to_prune(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert pending_imports.prune(timezone.now()) == 0
