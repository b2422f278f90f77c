"""The daily clean-up of the core's records: finished background jobs and the database
backend's task results older than 30 days go; recent ones, and anything still queued or
running, stay. One failing prune does not stop the others."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from csp_portal import cleanup
from csp_portal.extension_points import Cleanup, register_cleanup, registry
from csp_portal.models import BackgroundJob, DailyRun

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 2, 7, 0))


def _job(user, status, finished_days_ago):
    return BackgroundJob.objects.create(
        started_by=user,
        kind="test",
        label=f"{status} {finished_days_ago}",
        status=status,
        finished_at=None if finished_days_ago is None else NOW - dt.timedelta(finished_days_ago),
    )


def _result(status, finished_days_ago):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="csp_portal.tasks.send_email_task",
        backend_name="default",
        queue_name="default",
        run_after=NOW - dt.timedelta(days=40),
        finished_at=None if finished_days_ago is None else NOW - dt.timedelta(finished_days_ago),
    )


def test_old_finished_jobs_go_recent_and_running_ones_stay(officer):
    old_done = _job(officer, BackgroundJob.Status.DONE, 31)
    old_failed = _job(officer, BackgroundJob.Status.FAILED, 45)
    recent = _job(officer, BackgroundJob.Status.DONE, 29)
    running = _job(officer, BackgroundJob.Status.RUNNING, None)
    assert cleanup.prune_background_jobs(NOW) == 2
    left = set(BackgroundJob.objects.values_list("pk", flat=True))
    assert left == {recent.pk, running.pk}
    assert old_done.pk not in left and old_failed.pk not in left


def test_old_task_results_go_unfinished_ones_stay():
    old = _result("SUCCESSFUL", 31)
    old_failed = _result("FAILED", 60)
    recent = _result("SUCCESSFUL", 2)
    waiting = _result("READY", None)
    assert cleanup.prune_task_results(NOW) == 2
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent.pk, waiting.pk}
    assert old.pk not in left and old_failed.pk not in left


def test_past_daily_runs_go():
    DailyRun.objects.create(day=dt.date(2026, 10, 1))
    DailyRun.objects.create(day=dt.date(2026, 12, 2))
    assert cleanup.prune_daily_runs(NOW) == 1
    assert list(DailyRun.objects.values_list("day", flat=True)) == [dt.date(2026, 12, 2)]


def test_a_failing_prune_is_logged_and_the_others_run(officer, caplog, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    _job(officer, BackgroundJob.Status.DONE, 31)

    def broken(now):
        raise OSError("the disk went away")

    register_cleanup(Cleanup("test.broken", "Broken", broken))
    try:
        counts = cleanup.run_cleanups(NOW)
    finally:
        registry.cleanups.pop("test.broken", None)
    assert counts["test.broken"] == -1 and counts["core.background_jobs"] == 1
    assert "the clean-up test.broken failed" in caplog.text
    # every app's prune is registered
    assert {"performance.pending_imports", "meetings.pack_files", "meetings.pack_cache"} <= set(
        counts
    )


def test_the_command_reports_each_prune(officer, capsys, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    _job(officer, BackgroundJob.Status.DONE, 400)
    call_command("clean_up")
    out = capsys.readouterr().out
    assert "Finished background jobs: 1 removed" in out
    assert "Unconfirmed import previews: 0 removed" in out
