"""The compliance workbook and the figures check as background jobs, run by a real worker.

The report job is started from the Excel page (htmx), run by the database backend's worker in
this process, and its workbook downloaded from the job; the check job compares the figures
tables with the raw rows as ``check_figures`` does.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditLog
from jobs.models import Job, JobKind, JobState
from jobs.services import job_run, job_start_system
from targets.figures import recompute
from targets.models import CommunityFigures

from .conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

START = reverse("job-start-report")


def start_report(client, **data):
    return client.post(START, {"year": 2015, **data}, HTTP_HX_REQUEST="true")


def test_a_report_job_makes_the_workbook_the_starter_downloads(client, staff):
    client.force_login(staff)
    response = start_report(client, scope="620102016")
    assert response.status_code == 200
    html = response.content.decode()
    job = Job.objects.get()
    assert (job.kind, job.state, job.started_by) == (JobKind.REPORT, JobState.QUEUED, staff)
    # The panel polls itself while the job waits.
    assert f'hx-get="{reverse("job-detail", args=[job.pk])}"' in html
    assert "达标情况报表" in html

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    panel = client.get(reverse("job-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert reverse("job-output", args=[job.pk]) in panel.content.decode()
    assert "hx-trigger" not in panel.content.decode()  # finished: no more polling
    download = client.get(reverse("job-output", args=[job.pk]))
    assert download.status_code == 200
    assert job.output_name in download["Content-Disposition"] or "filename*" in download[
        "Content-Disposition"
    ]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[0] == "达标汇总"
    summary = " ".join(
        str(c.value) for r in workbook["达标汇总"].iter_rows(max_row=6) for c in r if c.value
    )
    assert "2015" in summary
    audit = AuditLog.objects.get(action=AuditAction.EXPORT, detail__job=job.pk)
    assert (audit.user, audit.scope_code, audit.detail["year"]) == (staff, "620102016", 2015)
    # The Excel page lists the user's report jobs with the download.
    home = client.get(reverse("excel-home")).content.decode()
    assert reverse("job-output", args=[job.pk]) in home


def test_the_same_report_asked_twice_runs_once(client, staff):
    client.force_login(staff)
    start_report(client, scope="620102016")
    start_report(client, scope="620102016")
    assert Job.objects.count() == 1
    start_report(client, scope="620102016", year=2012)
    assert Job.objects.count() == 2


def test_a_report_outside_the_users_scope_is_not_started(client, staff):
    client.force_login(staff)
    assert start_report(client, scope="620201001").status_code == 404
    assert start_report(client, scope="620102016", year="abc").status_code == 400
    assert not Job.objects.exists()


def test_a_report_job_and_its_workbook_are_hidden_outside_the_starters_scope(
    client, staff, other_staff
):
    client.force_login(staff)
    start_report(client, scope="620102016")
    run_worker()
    job = Job.objects.get()
    client.force_login(other_staff)
    assert client.get(reverse("job-output", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("api-job-detail", args=[job.pk])).status_code == 404


def test_the_figures_check_job_reports_each_difference(communities):
    recompute(None)
    job, new = job_start_system(JobKind.CHECK, params={"scope": "62"})
    assert new
    assert job_run(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert (job.result["count"], job.message) == (0, "年度数据与原始记录一致。")

    row = CommunityFigures.objects.filter(community=communities[0], year=2015)
    row.update(residents=(row.get().residents or 0) + 7)
    job, _ = job_start_system(JobKind.CHECK, params={"scope": "62"})
    assert job_run(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert job.result["count"] == 1
    assert communities[0].code in job.result["differences"][0]
    assert job.message == "年度数据与原始记录不一致：1 处。"


# -- exports as jobs -----------------------------------------------------------------------


@pytest.fixture
def volunteers(communities):
    import datetime

    from tests.security.worlds import make_person, phone_for
    from volunteers.models import Volunteer

    return [
        Volunteer.objects.create(
            community=communities[n % 2], name=f"志愿者{n}", phone=phone_for(n),
            registered_on=datetime.date(2014, 3, 1), **make_person(800 + n),
        )
        for n in range(5)
    ] + [
        Volunteer.objects.create(  # the other county: outside the staff's scope
            community=communities[2], name="外县志愿者", registered_on=datetime.date(2014, 3, 1),
            **make_person(899),
        )
    ]


def start_export(client, slug="volunteers", **data):
    return client.post(
        reverse("job-start-export", args=[slug]), {"scope": "620102016", **data},
        HTTP_HX_REQUEST="true",
    )


def exported(client, job) -> list[tuple]:
    download = client.get(reverse("job-output", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def test_an_export_job_writes_the_scopes_records_masked(client, staff, volunteers):
    client.force_login(staff)
    assert start_export(client, unmask="1").status_code == 200  # no permission: masked anyway
    run_worker()
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.state == JobState.DONE, job.message
    rows = exported(client, job)
    assert len(rows) == 5  # the other county's volunteer is not in the staff's scope
    numbers = {v.id_number for v in volunteers}
    assert not numbers & {str(c) for row in rows for c in row}
    assert all("*" in str(row[4]) for row in rows)  # 身份证号码 masked
    assert (job.result["rows"], job.result["masked"]) == (5, True)
    audit = AuditLog.objects.get(action=AuditAction.EXPORT, detail__job=job.pk)
    assert (audit.user, audit.detail["masked"], audit.detail["rows"]) == (staff, True, 5)
    assert "号码已脱敏" in job.message


def test_an_export_job_with_the_permission_writes_full_numbers_and_audits_them(
    client, staff, volunteers
):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(staff)
    start_export(client, unmask="1")
    start_export(client)  # masked: another job
    run_worker()
    full = Job.objects.get(kind=JobKind.EXPORT, params__unmasked=True)
    rows = exported(client, full)
    assert {row[4] for row in rows} == {v.id_number for v in volunteers[:5]}
    assert AuditLog.objects.filter(action="view_personal_data", detail__job=full.pk).exists()
    masked = Job.objects.get(kind=JobKind.EXPORT, params__unmasked=False)
    assert not AuditLog.objects.filter(action="view_personal_data", detail__job=masked.pk).exists()


def test_an_export_larger_than_a_sheet_fails_with_its_reason(client, staff, volunteers, monkeypatch):
    import jobs.models

    monkeypatch.setattr(jobs.models, "EXPORT_JOB_MAX_ROWS", 4)
    client.force_login(staff)
    start_export(client)
    run_worker()
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.state == JobState.FAILED
    assert "共有 5 条记录，超过一个 Excel 工作表能容纳的 4 条" in job.message
    assert not job.output


def test_an_export_outside_the_users_scope_is_not_started(client, staff, volunteers):
    client.force_login(staff)
    response = client.post(
        reverse("job-start-export", args=["volunteers"]), {"scope": "620201001"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert client.post(reverse("job-start-export", args=["nothing"]), {}).status_code == 404
    assert not Job.objects.exists()
