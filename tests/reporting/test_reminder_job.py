"""The daily reminders as a periodic job: queued once for 08:00 Beijing, each run queues the next."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from communities.services import stat_submit
from jobs.models import Job, JobKind, JobState
from jobs.services import job_run, job_start_system, next_reminder_time, reminders_schedule
from reporting.models import Message
from tests.factories import make_stat

pytestmark = pytest.mark.django_db(transaction=True)

BEIJING = ZoneInfo("Asia/Shanghai")


def test_the_next_run_is_the_next_eight_oclock_in_beijing():
    at = datetime.datetime(2016, 1, 24, 7, 59, tzinfo=BEIJING)
    assert next_reminder_time(at) == datetime.datetime(2016, 1, 24, 8, 0, tzinfo=BEIJING)
    at = datetime.datetime(2016, 1, 24, 8, 0, tzinfo=BEIJING)
    assert next_reminder_time(at) == datetime.datetime(2016, 1, 25, 8, 0, tzinfo=BEIJING)
    # 01:00 UTC is 09:00 in Beijing: tomorrow.
    utc = datetime.datetime(2016, 1, 24, 1, 0, tzinfo=datetime.UTC)
    assert next_reminder_time(utc).date() == datetime.date(2016, 1, 25)


def test_scheduling_twice_queues_one_deferred_job(world):
    first, new = reminders_schedule()
    again, new_again = reminders_schedule()
    assert (new, new_again, first.pk) == (True, False, again.pk)
    call_command("jobs_schedule", stdout=open("/dev/null", "w"))
    assert Job.objects.filter(kind=JobKind.REMINDERS).count() == 1
    task = DBTaskResult.objects.get()
    assert task.run_after == next_reminder_time()
    assert (first.started_by, first.scope_code) == (None, "62")


def test_a_run_sends_each_reminder_once_and_queues_the_next_day(world):
    make_stat(world.sibling)  # a draft: its staff is reminded
    stat_submit(stat=make_stat(world.home), user=world.staff)  # submitted: not reminded
    job, _ = job_start_system(JobKind.REMINDERS, params={"date": "2016-01-24"})
    assert job_run(job.pk) == JobState.DONE
    job.refresh_from_db()
    sent = job.result["sent"]
    assert sent == Message.objects.filter(kind="reminder").count() > 0
    assert Message.objects.filter(recipient=world.sibling_staff, kind="reminder").exists()
    assert not Message.objects.filter(recipient=world.staff, kind="reminder").exists()
    assert job.message == f"已发送 {sent} 条填报提醒。"
    # The run queued the next one.
    waiting = Job.objects.get(kind=JobKind.REMINDERS, state=JobState.QUEUED)
    assert waiting.params["date"] == next_reminder_time().date().isoformat()
    # The same day run again (a task delivered twice, a restart) sends nothing more.
    again, _ = job_start_system(JobKind.REMINDERS, params={"date": "2016-01-24"})
    assert job_run(again.pk) == JobState.DONE
    again.refresh_from_db()
    assert again.result["sent"] == 0
    assert Message.objects.filter(kind="reminder").count() == sent


def test_a_run_for_the_next_day_itself_queues_the_day_after(world):
    """A run before its own 08:00 (a worker that took it early, a manual start) would find the
    next run is its own day: it queues the day after its own instead, never itself again."""
    day = next_reminder_time().date()
    job, _ = job_start_system(JobKind.REMINDERS, params={"date": day.isoformat()})
    assert job_run(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert job.dedup_key == f"reminders:{day.isoformat()}:"  # its key is left as it was
    waiting = Job.objects.get(kind=JobKind.REMINDERS, state=JobState.QUEUED)
    assert waiting.params["date"] == (day + datetime.timedelta(days=1)).isoformat()
    task = DBTaskResult.objects.get(args_kwargs__args=[waiting.pk])
    assert task.run_after == datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(8), tzinfo=BEIJING
    )
