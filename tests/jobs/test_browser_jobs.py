"""In a real browser: a background import on the Excel page, its progress bar polled by htmx,
the result after leaving and coming back, a failed import's error workbook.

The task runs on the database backend; its worker runs in the test's own thread (the live
server answers the page meanwhile).
"""

import os

import pytest
from django.utils import timezone

from jobs.models import Job
from tests.browser import conftest as browser_fixtures
from tests.excel.conftest import xlsx
from tests.excel.test_import_volunteers import HEADER, row
from tests.factories import make_hierarchy, make_user
from volunteers.models import Volunteer

from .conftest import run_worker

globals().update(
    {
        name: getattr(browser_fixtures, name)
        for name in (
            "playwright_instance",
            "browser",
            "context",
            "page",
            "login",
            "screenshot",
            "current_plan_row",
        )
    }
)
CHROMIUM = browser_fixtures.CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


def test_a_background_import_shows_its_progress_and_its_result(
    live_server, page, login, screenshot, tmp_path
):
    home = make_hierarchy(communities=1)[0]
    staff = make_user("shequ_jobs", role="staff", scope_code=home.code)
    url = f"{live_server.url}/excel/import/volunteers/"
    login(page, staff.username)
    page.goto(url)

    good = tmp_path / "志愿者.xlsx"
    good.write_bytes(
        xlsx(HEADER, [row(code=home.code, seq=1), row(code=home.code, seq=2)], title="注册志愿者")
    )
    page.set_input_files("#job-file", str(good))
    page.get_by_test_id("job-submit").click()
    page.wait_for_url(url)
    panel = page.get_by_test_id("job")
    assert panel.get_attribute("data-job-state") == "queued"
    assert "等待后台处理进程接手" in panel.inner_text()

    # The page asks again every second: progress written by a worker shows without a reload.
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(
        state="running", progress_done=1, progress_total=2, heartbeat_at=timezone.now()
    )
    page.get_by_test_id("job-percent").wait_for(timeout=10_000)
    assert "已检查 1 / 2 行（50%）" in page.get_by_test_id("job-percent").inner_text()
    assert page.get_by_test_id("job-progress").get_attribute("value") == "1"
    screenshot(page, "excel-job-progress")

    # The user leaves; the worker takes the job; the user comes back to the result.
    page.goto(f"{live_server.url}/excel/")
    Job.objects.filter(pk=job.pk).update(state="queued", progress_done=0, progress_total=0)
    run_worker()
    page.goto(url)
    panel = page.get_by_test_id("job")
    assert panel.get_attribute("data-job-state") == "done"
    assert "导入成功：共 2 行，新增 2 条" in panel.inner_text()
    assert Volunteer.objects.count() == 2

    # A file with problems: the panel turns to 失败 by itself and offers the error workbook.
    bad = tmp_path / "有问题.xlsx"
    bad.write_bytes(xlsx(HEADER, [row(code=home.code, seq=3, gender="x")], title="注册志愿者"))
    page.set_input_files("#job-file", str(bad))
    page.get_by_test_id("job-submit").click()
    page.wait_for_url(url)
    assert page.get_by_test_id("job").first.get_attribute("data-job-state") == "queued"
    run_worker()
    link = page.get_by_test_id("job-errors")
    link.wait_for(timeout=10_000)
    assert "下载问题清单（1 处）" in link.inner_text()
    screenshot(page, "excel-job-failed")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "有问题_问题清单.xlsx"
    assert Volunteer.objects.count() == 2
    assert not [p for p in page.problems if "Content Security Policy" in p]


def test_a_report_made_in_the_background_is_downloaded_from_its_panel(
    live_server, page, login, tmp_path
):
    make_hierarchy(communities=2)
    official = make_user("jiedao_jobs", role="official", scope_code="620102016")
    login(page, official.username)
    page.goto(f"{live_server.url}/excel/")
    page.get_by_test_id("report-job").click()  # 后台生成 (htmx: the panel comes in place)
    panel = page.get_by_test_id("report-jobs").get_by_test_id("job")
    panel.wait_for(timeout=10_000)
    assert panel.get_attribute("data-job-state") == "queued"
    assert Job.objects.get().kind == "report"

    run_worker()  # the page keeps asking; the finished panel brings the download
    link = page.get_by_test_id("job-output")
    link.wait_for(timeout=15_000)
    assert panel.get_attribute("data-job-state") == "done"
    with page.expect_download() as download:
        link.click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name.endswith("达标情况.xlsx") and "2015" in target.name
    from openpyxl import load_workbook

    assert load_workbook(target).sheetnames[0] == "达标汇总"
    # Back later: the Excel page still lists it.
    page.goto(f"{live_server.url}/excel/")
    assert page.get_by_test_id("job-output").is_visible()
