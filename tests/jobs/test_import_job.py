"""An Excel import as a background job through the API: queued, run by a worker, read back.

The tasks run for real on the database backend (``django_tasks_db``): the request queues the
task in the database and ``run_worker`` runs the backend's own worker in this process.
"""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from volunteers.models import Volunteer

from .conftest import as_upload, row, run_worker, upload

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/imports/volunteers/?async=1"


def job_url(pk):
    return reverse("api-job-detail", args=[pk])


def start(client, rows, **kwargs):
    # The bytes of one workbook (openpyxl writes the time of writing into each file).
    data = rows if isinstance(rows, bytes) else upload(rows, **kwargs).getvalue()
    return client.post(URL, {"file": as_upload(data)})


def test_async_import_answers_202_and_a_worker_applies_it(client, staff):
    client.force_login(staff)
    response = start(client, [row(seq=1), row(seq=2)])
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "kind", "state", "progress", "started_at", "finished_at", "result"}
    assert (body["kind"], body["state"], body["progress"]) == (
        "import",
        "queued",
        {"done": 0, "total": 0},
    )
    assert response["Location"] == job_url(body["id"])
    # Queued while no worker runs: nothing is written yet, the job waits.
    assert Volunteer.objects.count() == 0
    assert client.get(job_url(body["id"])).json()["state"] == "queued"

    run_worker()

    job = client.get(job_url(body["id"])).json()
    assert job["state"] == "done"
    assert job["progress"] == {"done": 2, "total": 2}
    assert job["started_at"] and job["finished_at"]
    assert (job["result"]["ok"], job["result"]["applied"], job["result"]["created"]) == (
        True,
        True,
        2,
    )
    assert Volunteer.objects.count() == 2
    assert Job.objects.get().upload is None  # the file does not outlive its job


def test_failed_import_saves_nothing_and_keeps_every_problem(client, staff):
    client.force_login(staff)
    rows = [row(seq=1), row(seq=2, gender="x"), row(seq=3, reg="昨天")]
    pk = start(client, rows).json()["id"]
    run_worker()
    job = client.get(job_url(pk)).json()
    assert job["state"] == "failed"
    assert job["result"]["applied"] is False
    assert [(e["row"], e["column"]) for e in job["result"]["errors"]] == [
        (3, "性别"),
        (4, "注册日期"),
    ]
    assert Volunteer.objects.count() == 0


def test_the_same_file_started_twice_runs_once(client, staff):
    client.force_login(staff)
    rows = upload([row(seq=1), row(seq=2)]).getvalue()
    first = start(client, rows).json()
    second = start(client, rows)
    assert second.status_code == 202
    assert second.json()["id"] == first["id"]
    assert Job.objects.count() == 1
    run_worker()
    assert Volunteer.objects.count() == 2
    # Once the first run is over, the same file may be imported again (nothing changes).
    third = start(client, rows).json()
    assert third["id"] != first["id"]
    run_worker()
    assert client.get(job_url(third["id"])).json()["result"]["unchanged"] == 2


def test_a_check_and_an_import_of_the_same_file_are_two_jobs(client, staff):
    client.force_login(staff)
    rows = upload([row(seq=1)]).getvalue()
    checked = client.post(URL + "&dry_run=1", {"file": as_upload(rows)}).json()
    applied = start(client, rows).json()
    assert checked["id"] != applied["id"]
    run_worker()
    assert client.get(job_url(checked["id"])).json()["result"]["applied"] is False
    assert client.get(job_url(applied["id"])).json()["result"]["applied"] is True
    assert Volunteer.objects.count() == 1


@override_settings(IMPORT_MAX_ROWS=2, IMPORT_WEB_MAX_ROWS=1)
def test_the_row_limit_of_a_job_is_import_max_rows(client, staff):
    client.force_login(staff)
    ok = start(client, [row(seq=1), row(seq=2)]).json()["id"]
    too_many = start(client, [row(seq=3), row(seq=4), row(seq=5)]).json()["id"]
    run_worker()
    assert client.get(job_url(ok)).json()["state"] == "done"
    failed = client.get(job_url(too_many)).json()
    assert failed["state"] == "failed"
    assert "最多 2 行" in failed["result"]["file"][0]


def test_a_running_job_whose_worker_is_gone_is_marked_failed(client, staff, settings):
    settings.JOBS_STALE_SECONDS = 60
    client.force_login(staff)
    pk = start(client, [row(seq=1)]).json()["id"]
    # The worker took the job, then died: the heartbeat stopped two minutes ago.
    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    Job.objects.filter(pk=pk).update(state="running", started_at=long_ago, heartbeat_at=long_ago)
    job = client.get(job_url(pk)).json()
    assert job["state"] == "failed"
    assert job["result"]["detail"].startswith("后台处理进程已中断（超过 60 秒没有响应），")
    assert "未写入任何数据" in job["result"]["detail"]
    # Its task is not run again by the next worker.
    run_worker()
    assert Volunteer.objects.count() == 0
    assert client.get(job_url(pk)).json()["state"] == "failed"


def test_a_recent_heartbeat_keeps_a_running_job_running(client, staff):
    client.force_login(staff)
    pk = start(client, [row(seq=1)]).json()["id"]
    now = timezone.now()
    Job.objects.filter(pk=pk).update(state="running", started_at=now, heartbeat_at=now)
    assert client.get(job_url(pk)).json()["state"] == "running"


def test_a_job_is_seen_inside_its_starters_scope_only(client, staff, other_staff, official):
    client.force_login(staff)
    pk = start(client, [row(seq=1)]).json()["id"]
    assert [j["id"] for j in client.get("/api/v1/jobs/").json()["results"]] == [pk]

    client.force_login(other_staff)  # another county: as if the job did not exist
    assert client.get(job_url(pk)).status_code == 404
    assert client.get("/api/v1/jobs/").json()["results"] == []

    client.force_login(official)  # the prefecture above: sees it, but lists only its own
    assert client.get(job_url(pk)).status_code == 200
    assert client.get("/api/v1/jobs/").json()["results"] == []


def test_an_official_may_not_start_an_import(client, official):
    client.force_login(official)
    assert start(client, [row(seq=1)]).status_code == 403
    assert Job.objects.count() == 0


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/jobs/").status_code == 401
