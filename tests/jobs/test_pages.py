"""The Excel import page's background upload: the job's panel, the recent jobs, the errors.

The upload's task runs on the database backend with its worker run in this process.
"""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from volunteers.models import Volunteer

from .conftest import row, run_worker, upload

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/excel/import/volunteers/"


def post(client, rows, **extra):
    return client.post(PAGE, {"file": upload(rows), "background": "1", **extra})


def test_a_background_upload_returns_to_the_page_with_the_job_polling(client, staff):
    client.force_login(staff)
    response = post(client, [row(seq=1)])
    assert response.status_code == 302 and response["Location"] == PAGE
    job = Job.objects.get()
    page = client.get(PAGE).content.decode()
    assert 'data-job-state="queued"' in page
    assert f'hx-get="{reverse("job-detail", args=[job.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "<script>" not in page  # the CSP allows no inline script

    run_worker()
    panel = client.get(reverse("job-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = panel.content.decode()
    assert 'data-job-state="done"' in text and "hx-trigger" not in text  # polling stops
    assert "导入成功：共 1 行，新增 1 条" in text
    assert Volunteer.objects.count() == 1
    # Leaving and coming back: the page still lists the job with its result.
    assert "导入成功：共 1 行，新增 1 条" in client.get(PAGE).content.decode()


def test_a_failed_import_offers_its_error_workbook(client, staff):
    client.force_login(staff)
    post(client, [row(seq=1, gender="x"), row(seq=2, name="")])
    run_worker()
    job = Job.objects.get()
    assert job.state == "failed"
    page = client.get(PAGE).content.decode()
    url = reverse("job-errors", args=[job.pk])
    assert url in page and "下载问题清单（2 处）" in page
    response = client.get(url)
    assert response.status_code == 200
    assert quote("志愿者_问题清单.xlsx") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["行号", "列", "问题"],
        [2, "性别", "“x”不是有效选项，可选：男、女。"],
        [3, "姓名", "必填，不能为空。"],
    ]
    assert Volunteer.objects.count() == 0


def test_the_job_panel_and_errors_are_hidden_outside_the_starters_scope(client, staff, other_staff):
    client.force_login(staff)
    post(client, [row(seq=1, gender="x")])
    run_worker()
    job = Job.objects.get()
    client.force_login(other_staff)
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-errors", args=[job.pk])).status_code == 404
    assert "recent-jobs" not in client.get(PAGE).content.decode()
