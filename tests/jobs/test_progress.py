"""A job's progress is committed while the import runs, so another connection sees it."""

import pytest
from django.db import connection

from jobs import services
from jobs.models import Job

from .conftest import many_rows, run_worker, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_progress_is_committed_as_the_rows_are_read_and_checked(
    client, staff, settings, monkeypatch
):
    settings.JOBS_PROGRESS_SECONDS = 0
    monkeypatch.setattr("excel.importers.PROGRESS_EVERY", 10)
    seen = []
    write = services._Progress.__call__

    def watched(self, done, total):
        write(self, done, total)
        # Outside any transaction: what was written is committed, visible to the page.
        assert not connection.in_atomic_block
        seen.append(Job.objects.values_list("progress_done", "progress_total").get(pk=self.job_id))

    monkeypatch.setattr(services._Progress, "__call__", watched)
    client.force_login(staff)
    pk = client.post("/api/v1/imports/volunteers/?async=1", {"file": upload(many_rows(40))}).json()[
        "id"
    ]
    run_worker()
    reading = [done for done, total in seen if total == 0]
    checking = [done for done, total in seen if total == 40]
    assert reading == [10, 20, 30, 40]
    assert checking == [0, 10, 20, 30, 40]
    job = client.get(f"/api/v1/jobs/{pk}/").json()
    assert job["state"] == "done" and job["progress"] == {"done": 40, "total": 40}
