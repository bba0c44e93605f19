"""The tasks the workers run (Django's tasks framework: ``db_worker`` or RQ's worker)."""

from django_tasks import task

from . import services


@task()
def run_job(job_id: int) -> str:
    """Run one job by its id; return its final state."""
    return services.job_run(job_id)
