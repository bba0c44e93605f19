"""A real ``db_worker`` process killed (SIGKILL) in the middle of an import (PostgreSQL only).

The worker runs as its own process against the test database, so the database must be one
that another process can open: SQLite's in-memory test database cannot be.
"""

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

from .conftest import many_rows, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker process needs a database of its own process (PostgreSQL)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000


def start_worker() -> subprocess.Popen:
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
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return None


def test_a_worker_killed_mid_import_writes_no_row_and_its_job_fails(client, staff, settings):
    client.force_login(staff)
    pk = client.post(
        "/api/v1/imports/volunteers/?async=1", {"file": upload(many_rows(ROWS))}
    ).json()["id"]
    worker = start_worker()
    try:
        # Wait for the check to end (progress at 100 %): the rows are being written now.
        written = wait_for(
            lambda: Job.objects.filter(
                pk=pk, state="running", progress_total=ROWS, progress_done=ROWS
            ).exists(),
            120,
        )
        assert written, Job.objects.values("state", "progress_done", "progress_total").get(pk=pk)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert Job.objects.get(pk=pk).state == "running"  # as the dead worker left it
    assert Volunteer.objects.count() == 0  # one transaction: all rows or none

    settings.JOBS_STALE_SECONDS = 1
    time.sleep(1.5)
    job = client.get(f"/api/v1/jobs/{pk}/").json()
    assert job["state"] == "failed"
    assert "后台处理进程已中断" in job["result"]["detail"]


def test_a_job_queued_while_no_worker_runs_starts_when_one_comes(client, staff):
    client.force_login(staff)
    pk = client.post("/api/v1/imports/volunteers/?async=1", {"file": upload(many_rows(3))}).json()[
        "id"
    ]
    time.sleep(1)
    assert Job.objects.get(pk=pk).state == "queued"
    worker = start_worker()
    try:
        assert wait_for(lambda: Job.objects.filter(pk=pk, state="done").exists(), 60)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)
    assert Volunteer.objects.count() == 3
