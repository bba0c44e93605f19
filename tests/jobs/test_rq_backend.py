"""The same import job on the RQ backend (``TASKS_BACKEND=rq``) against the local Redis.

RQ's own worker runs the task in this process (``SimpleWorker``, burst mode, with
``django_tasks_rq.Job``, as ``rqworker --job-class django_tasks_rq.Job`` does).
"""

import datetime

import pytest
from django.utils import timezone

from jobs.models import Job, JobKind
from jobs.services import job_start_system
from volunteers.models import Volunteer

from .conftest import as_upload, row, upload

redis = pytest.importorskip("redis")
django_rq = pytest.importorskip("django_rq")
django_tasks_rq = pytest.importorskip("django_tasks_rq")

REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379"),
    # One Redis queue: the tests count its tasks, so they run one after another on one worker.
    pytest.mark.xdist_group("rq"),
]


@pytest.fixture
def rq_backend(settings):
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def run_rq_worker():
    from rq import SimpleWorker

    worker = django_rq.get_worker(
        "default", job_class=django_tasks_rq.Job, worker_class=SimpleWorker
    )
    worker.work(burst=True)


def test_an_import_job_runs_on_rq(client, staff, rq_backend):
    client.force_login(staff)
    data = upload([row(seq=1), row(seq=2)]).getvalue()
    response = client.post("/api/v1/imports/volunteers/?async=1", {"file": as_upload(data)})
    assert response.status_code == 202
    pk = response.json()["id"]
    assert rq_backend.count == 1  # queued in Redis, not in the database
    assert Job.objects.get(pk=pk).task_id
    # The same file again while it waits: the same job, no second task.
    again = client.post("/api/v1/imports/volunteers/?async=1", {"file": as_upload(data)})
    assert again.json()["id"] == pk and rq_backend.count == 1

    run_rq_worker()

    job = client.get(f"/api/v1/jobs/{pk}/").json()
    assert job["state"] == "done"
    assert job["progress"] == {"done": 2, "total": 2}
    assert job["result"]["created"] == 2
    assert Volunteer.objects.count() == 2


def test_a_failed_import_on_rq_keeps_its_problems(client, staff, rq_backend):
    client.force_login(staff)
    pk = client.post(
        "/api/v1/imports/volunteers/?async=1", {"file": upload([row(seq=1, gender="x")])}
    ).json()["id"]
    run_rq_worker()
    job = client.get(f"/api/v1/jobs/{pk}/").json()
    assert job["state"] == "failed"
    assert job["result"]["errors"][0]["column"] == "性别"
    assert Job.objects.get(pk=pk).error_workbook
    assert Volunteer.objects.count() == 0


def test_a_job_whose_task_redis_lost_is_queued_again_and_runs(client, staff, rq_backend):
    """Redis keeps nothing on disk: restarted, it has lost the tasks it held. The job shown
    (or ``jobs_schedule``) notices its task is gone and queues it again."""
    client.force_login(staff)
    pk = client.post("/api/v1/imports/volunteers/?async=1", {"file": upload([row(seq=1)])}).json()[
        "id"
    ]
    lost_task = Job.objects.get(pk=pk).task_id
    rq_backend.connection.flushdb()  # what a restarted Redis holds
    assert rq_backend.count == 0
    # Young jobs are not looked for (a task may still be on its way).
    assert client.get(f"/api/v1/jobs/{pk}/").json()["state"] == "queued"
    assert rq_backend.count == 0
    Job.objects.filter(pk=pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert client.get(f"/api/v1/jobs/{pk}/").json()["state"] == "queued"
    job = Job.objects.get(pk=pk)
    assert job.task_id and job.task_id != lost_task and rq_backend.count == 1
    # Shown again, the new task is found: nothing more is queued.
    client.get(f"/api/v1/jobs/{pk}/")
    assert rq_backend.count == 1

    run_rq_worker()
    assert Job.objects.get(pk=pk).state == "done"
    assert Volunteer.objects.count() == 1


def test_a_deferred_job_runs_with_rqs_scheduler(rq_backend):
    """The daily reminders wait for 08:00 in RQ's scheduled registry; ``rqworker
    --with-scheduler`` moves them to the queue when their time comes."""
    from rq.registry import ScheduledJobRegistry

    job, _ = job_start_system(
        JobKind.REMINDERS,
        run_after=timezone.now() - datetime.timedelta(seconds=1),
        params={"date": "2016-01-24"},
    )
    registry = ScheduledJobRegistry(queue=rq_backend)
    assert rq_backend.count == 0 and registry.count == 1  # deferred, not yet queued
    run_rq_worker()  # a worker without the scheduler leaves it waiting
    assert Job.objects.get(pk=job.pk).state == "queued"

    from rq import SimpleWorker

    worker = django_rq.get_worker(
        "default", job_class=django_tasks_rq.Job, worker_class=SimpleWorker
    )
    worker.work(burst=True, with_scheduler=True)
    assert Job.objects.get(pk=job.pk).state == "done"
    # The run queued the next day's, deferred again.
    following = Job.objects.get(kind=JobKind.REMINDERS, state="queued")
    assert following.params["date"] > "2016-01-24"
    assert ScheduledJobRegistry(queue=rq_backend).count == 1
