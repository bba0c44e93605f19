"""A waiting job whose task the queue has lost is queued again (the database backend here;
the RQ run, a Redis restarted without its data, is in ``test_rq_backend``)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from volunteers.models import Volunteer

from .conftest import row, run_worker, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_jobs_schedule_queues_again_a_job_whose_task_is_gone(client, staff):
    client.force_login(staff)
    pk = client.post("/api/v1/imports/volunteers/?async=1", {"file": upload([row(seq=1)])}).json()[
        "id"
    ]
    DBTaskResult.objects.all().delete()  # the queue lost it
    Job.objects.filter(pk=pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    out = io.StringIO()
    call_command("jobs_schedule", stdout=out)
    assert "1 个等待中的任务已从队列中丢失" in out.getvalue()
    assert DBTaskResult.objects.filter(args_kwargs__args=[pk]).count() == 1
    call_command("jobs_schedule", stdout=io.StringIO())  # found now: not queued twice
    assert DBTaskResult.objects.filter(args_kwargs__args=[pk]).count() == 1
    run_worker()
    assert Job.objects.get(pk=pk).state == "done"
    assert Volunteer.objects.count() == 1


def test_the_job_page_of_a_lost_job_queues_it_again(client, staff):
    client.force_login(staff)
    pk = client.post("/api/v1/imports/volunteers/?async=1", {"file": upload([row(seq=1)])}).json()[
        "id"
    ]
    DBTaskResult.objects.all().delete()
    Job.objects.filter(pk=pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert client.get(f"/jobs/{pk}/").status_code == 200
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert Job.objects.get(pk=pk).state == "done"
