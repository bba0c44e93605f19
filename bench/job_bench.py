"""Jobs under load: a large volunteer import and a national workbook run by a real worker.

``job_import``: a ``rows``-row volunteer file is queued as a background import and run by a
``db_worker`` process of its own, while a user (a test client in this process) edits the
yearly statistics of a community the file does not touch, once every 0.2 s, through the
portal's edit form. The same edits are timed first with nothing else running: the floor.
``job_report``: the compliance workbook of a scope queued as a job and run by a worker.
The worker's peak memory is its own (``RUSAGE_CHILDREN`` after it exits: it runs with
``--batch`` and ends when the queue is empty).
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def start_worker() -> subprocess.Popen:
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2", "--batch"]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL)


def worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _draft_stat(code: str):
    """A draft statistic of community ``code`` the editing user may change (made if need be)."""
    from communities.models import CommunityStat
    from core.services import record_save

    stat = CommunityStat.objects.filter(community_id=code, status="draft").first()
    if stat is not None:
        return stat
    taken = set(CommunityStat.objects.filter(community_id=code).values_list("year", flat=True))
    year = next(y for y in range(2015, 2009, -1) if y not in taken)
    return record_save(
        instance=CommunityStat(
            community_id=code,
            year=year,
            households=1000,
            residents=3000,
            party_members=50,
            party_members_volunteering=30,
            residents_volunteering=300,
        ),
        user=None,
    )


def _edited_community() -> str:
    """A community with a draft statistic, or a year without one, for the editing user."""
    from django.db.models import Count

    from communities.models import Community, CommunityStat

    draft = CommunityStat.objects.filter(status="draft").values_list("community_id", flat=True)
    if draft.first():
        return draft.first()
    return (
        Community.objects.annotate(n=Count("stats"))
        .filter(n__lt=6)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )


class Editor:
    """A user editing one statistic through the portal's form, timing each request."""

    def __init__(self, user, code: str):
        from django.test import Client

        self.client = Client()
        self.client.force_login(user)
        self.stat = _draft_stat(code)
        self.times: list[float] = []
        self.failures = 0

    def edit_once(self) -> None:
        from django.urls import reverse

        from communities.models import CommunityStat

        stat = CommunityStat.objects.get(pk=self.stat.pk)
        data = {
            "year": stat.year,
            "households": stat.households + (1 if stat.households % 2 == 0 else -1),
            "residents": stat.residents,
            "party_members": stat.party_members,
            "party_members_volunteering": stat.party_members_volunteering,
            "residents_volunteering": stat.residents_volunteering,
            "version": stat.version,
        }
        started = time.perf_counter()
        response = self.client.post(reverse("stat-edit", args=[stat.pk]), data)
        self.times.append(time.perf_counter() - started)
        if response.status_code != 302:
            self.failures += 1

    def run_while(self, alive) -> None:
        from django.db import connection

        try:
            while alive():
                self.edit_once()
                time.sleep(0.2)
        finally:
            connection.close()


def job_import(*, rows: int, user) -> dict:
    from bench.excel_bench import write_volunteers_file
    from communities.models import Community
    from excel.resources import VOLUNTEERS
    from jobs.models import Job
    from jobs.services import job_start_import

    edited = _edited_community()
    imported = list(
        Community.objects.exclude(code=edited).order_by("code").values_list("code", "name")
    )
    path = Path(tempfile.mkdtemp()) / "volunteers.xlsx"
    write_volunteers_file(path, rows, imported)

    editor = Editor(user, edited)
    for _ in range(30):  # the floor: the same edit with nothing else running
        editor.edit_once()
        time.sleep(0.05)
    idle = editor.times[5:]
    editor.times = []

    with open(path, "rb") as fh:
        job, _ = job_start_import(resource=VOLUNTEERS, upload=fh, user=user)
    started = time.perf_counter()
    worker = start_worker()
    thread = threading.Thread(target=editor.run_while, args=(lambda: worker.poll() is None,))
    thread.start()
    worker.wait()
    wall = time.perf_counter() - started
    thread.join()
    job = Job.objects.defer("upload", "error_workbook", "output").get(pk=job.pk)
    return {
        "rows": rows,
        "state": job.state,
        "created": (job.result or {}).get("created"),
        "message": job.message[:200],
        "seconds": round(wall, 2),
        "job_seconds": round((job.finished_at - job.started_at).total_seconds(), 2)
        if job.finished_at and job.started_at
        else None,
        "worker_peak_mb": round(worker_peak_mb(), 1),
        "bytes": path.stat().st_size,
        "edits": len(editor.times),
        "edit_failures": editor.failures,
        "edit_p95": round(p95(editor.times), 4),
        "edit_median": round(statistics.median(editor.times), 4) if editor.times else None,
        "idle_edit_p95": round(p95(idle), 4),
        "idle_edit_median": round(statistics.median(idle), 4),
    }


def job_report(*, scope: str, year: int, user) -> dict:
    from communities.scopes import resolve_scope
    from jobs.models import Job
    from jobs.services import job_start_report
    from targets.params import ComplianceParams
    from targets.plans import current_plan

    query = ComplianceParams(scope=resolve_scope(scope), year=year, plan=current_plan())
    job, _ = job_start_report(query=query, user=user)
    started = time.perf_counter()
    worker = start_worker()
    worker.wait()
    wall = time.perf_counter() - started
    job = Job.objects.defer("upload", "error_workbook").get(pk=job.pk)
    return {
        "state": job.state,
        "message": job.message[:200],
        "seconds": round(wall, 2),
        "job_seconds": round((job.finished_at - job.started_at).total_seconds(), 2)
        if job.finished_at and job.started_at
        else None,
        "bytes": len(job.output or b""),
        "worker_peak_mb": round(worker_peak_mb(), 1),
    }
