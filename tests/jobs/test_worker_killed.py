"""A real worker process killed (SIGKILL) in the middle of an import (PostgreSQL only), on
both backends: ``db_worker`` (the tasks in the database) and RQ's ``rqworker --job-class
django_tasks_rq.Job`` (the tasks in the local Redis).

The worker runs as its own process against the test database, so the database must be one
that another process can open: SQLite's in-memory test database cannot be. It is killed with
every process under it (RQ runs each task in a forked work horse), as a machine that is lost.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from jobs.models import Job
from volunteers.models import Volunteer

from .conftest import REDIS_URL, many_rows, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker process needs a database of its own process (PostgreSQL)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000


def start_worker(backend: str = "db") -> subprocess.Popen:
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "gansu_community.test_settings",
        "PYTHONPATH": str(ROOT),
    }
    if backend == "rq":
        env.update(TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
        command = [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job"]
        command += ["default"]
    else:
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        command += ["--interval", "0.2"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def descendants(pid: int) -> list[int]:
    """The processes under ``pid`` (RQ's work horse leaves its parent's session, so a signal
    to the worker's process group does not reach it)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop_worker(worker: subprocess.Popen, sig=signal.SIGTERM, seconds: float = 30) -> None:
    """Signal the worker and every process under it (RQ's work horse too), and wait for it.

    SIGKILL is a machine lost: the work horse dies with its worker. SIGTERM is a stop: the
    worker ends its task and its work horse itself.
    """
    if worker.poll() is not None:
        return
    if sig == signal.SIGKILL:
        for pid in descendants(worker.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    worker.send_signal(sig)
    try:
        worker.wait(seconds)
    except subprocess.TimeoutExpired:
        stop_worker(worker, signal.SIGKILL, 10)


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return None


def test_a_worker_killed_mid_import_writes_no_row_and_its_job_fails(
    client, staff, settings, backend
):
    client.force_login(staff)
    pk = client.post(
        "/api/v1/imports/volunteers/?async=1", {"file": upload(many_rows(ROWS))}
    ).json()["id"]
    worker = start_worker(backend)
    try:
        # Wait for the check to end (progress at 100 %): the rows are being written now.
        written = wait_for(
            lambda: Job.objects.filter(
                pk=pk, state="running", progress_total=ROWS, progress_done=ROWS
            ).exists(),
            120,
        )
        assert written, Job.objects.values("state", "progress_done", "progress_total").get(pk=pk)
        stop_worker(worker, signal.SIGKILL, 10)
    finally:
        stop_worker(worker, signal.SIGKILL, 10)
    assert Job.objects.get(pk=pk).state == "running"  # as the dead worker left it
    assert Volunteer.objects.count() == 0  # one transaction: all rows or none

    settings.JOBS_STALE_SECONDS = 1
    time.sleep(1.5)
    job = client.get(f"/api/v1/jobs/{pk}/").json()
    assert job["state"] == "failed"
    assert "后台处理进程已中断" in job["result"]["detail"]


def test_a_job_queued_while_no_worker_runs_starts_when_one_comes(client, staff, backend):
    client.force_login(staff)
    pk = client.post("/api/v1/imports/volunteers/?async=1", {"file": upload(many_rows(3))}).json()[
        "id"
    ]
    time.sleep(1)
    assert Job.objects.get(pk=pk).state == "queued"
    worker = start_worker(backend)
    try:
        assert wait_for(lambda: Job.objects.filter(pk=pk, state="done").exists(), 60)
    finally:
        stop_worker(worker)
    assert Volunteer.objects.count() == 3
