"""Background half of the staff MARC upload: run an ImportJob in the huey consumer."""
from huey.contrib.djhuey import db_task


@db_task()
def run_import_job(job_id: int, language: str | None = None) -> None:
    """Import the uploaded file of ImportJob ``job_id`` (its progress and report are saved on the job, the
    report in ``language``: the one of the page that started it)."""
    from .jobs import run_job

    run_job(job_id, language=language)
