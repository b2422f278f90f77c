"""Tasks the background-job tests run: they write organisations, so a test can see whether
a failed job left anything behind. Module-level, so a real worker can import them."""

from __future__ import annotations

from csp_portal.jobs import RunningJob, job_task
from csp_portal.models import Organisation


@job_task
def create_organisations(
    job: RunningJob, *, names: list[str], refuse: str = "", result_url: str = ""
) -> None:
    job.advance(0, total=len(names), message="Creating the organisations")
    for row, name in enumerate(names, start=1):
        if name == refuse:
            job.fail(f"Row {row}: “{name}” is not allowed; nothing was saved.")
        Organisation.objects.create(name=name)
        job.advance(message=f"Created {name}")
    job.finish(result_url=result_url, message=f"{len(names)} organisations created.")


@job_task
def crash_after_writing(job: RunningJob, *, name: str) -> None:
    Organisation.objects.create(name=name)
    raise RuntimeError("internal detail the starter must not read")
