"""A 60,000-row volunteer import through the API as a job, run by a real worker process on
each backend (``db_worker``; RQ's ``rqworker`` over the local Redis), its progress read from
this process while it runs (PostgreSQL; opt in with ``JOBS_LARGE_ROWS=60000``, as it takes a
minute or more per backend)."""

import os
import time

import pytest

from volunteers.models import Volunteer

from .conftest import as_upload, many_rows, upload
from .test_worker_killed import start_worker, stop_worker

ROWS = int(os.environ.get("JOBS_LARGE_ROWS", "0"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ROWS or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="opt in with JOBS_LARGE_ROWS on PostgreSQL",
    ),
]


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def test_a_large_import_reports_progress_to_100_percent(client, staff, settings, backend):
    settings.IMPORT_MAX_BYTES = 50 * 1024 * 1024
    client.force_login(staff)
    data = upload(many_rows(ROWS)).getvalue()
    worker = start_worker(backend)
    try:
        time.sleep(3)  # the worker is up: the time measured is the job's
        started = time.monotonic()
        response = client.post("/api/v1/imports/volunteers/?async=1", {"file": as_upload(data)})
        assert response.status_code == 202, response.content
        pk = response.json()["id"]
        samples = []
        while time.monotonic() - started < 600:
            job = client.get(f"/api/v1/jobs/{pk}/").json()
            sample = (job["state"], job["progress"]["done"], job["progress"]["total"])
            if not samples or samples[-1] != sample:
                samples.append(sample)
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        peak = peak_rss_mb(worker.pid)
    finally:
        stop_worker(worker)
    print(
        f"\n{backend}, {ROWS} rows: {elapsed:.1f} s, worker peak RSS {peak:.0f} MB (RQ: the parent's)"
    )
    print(samples[:3], "…", samples[-3:])
    assert job["state"] == "done", job["result"]
    assert job["progress"] == {"done": ROWS, "total": ROWS}
    assert Volunteer.objects.count() == ROWS
    running = [s for s in samples if s[0] == "running"]
    assert any(0 < done < total for _, done, total in running)  # seen while it ran
    assert ("running", ROWS, ROWS) in samples  # 100 % before the write ends
