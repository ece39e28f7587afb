"""MARC import jobs started from the staff pages: create, run (in huey), report."""
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from bkklib.network import access

from .importer import import_marc
from .marc.messages import translated
from .models import ImportJob


def start_import(upload, *, user, format: str = "auto", encoding: str = "auto", branch=None,
                 on_duplicate: str = "skip") -> ImportJob:
    """Save the uploaded file as a queued ImportJob and hand it to the background worker after commit."""
    from .tasks import run_import_job

    if branch is not None:
        access.require(user, "catalog.add_item", at=branch)
    job = ImportJob.objects.create(
        file=upload, filename=getattr(upload, "name", "upload")[:255], format=format, encoding=encoding, branch=branch,
        on_duplicate=on_duplicate, created_by=user, total_bytes=getattr(upload, "size", 0) or 0,
    )
    language = translation.get_language()
    transaction.on_commit(lambda: run_import_job(job.pk, language))
    return job


def run_job(job_id: int, language: str | None = None) -> ImportJob:
    """Run a queued job to its end; a job that crashes is marked failed with the error (never left running).
    Its report is written in ``language`` (default: the site's, Thai)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run_job(job_id)


def _run_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    try:
        with job.file.open("rb") as stream:
            report = import_marc([stream], format=job.format, encoding=job.encoding, branch=job.branch,
                                 on_duplicate=job.on_duplicate, job=job, user=job.created_by)
        report.files[:] = [job.filename]
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, report=report.text(), finished_at=timezone.now(), read=report.read,
            created=report.created, overlaid=report.overlaid, skipped=report.skipped, failed=report.failed,
            items_created=report.items_created, done_bytes=job.total_bytes,
            error="; ".join(translated(e) for e in report.file_errors),
        )
    except Exception as exc:  # the job must end in a state the librarian can read
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}",
                                                  finished_at=timezone.now())
        raise
    job.refresh_from_db()
    return job
