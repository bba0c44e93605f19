"""In a real browser: community staff download the volunteers template, import a file with
errors, read them by row and column, fix the file, import again and see the volunteers on
their community's page. Screenshots of the Excel pages go to docs/screenshots/."""

import datetime
import os

import pytest

from tests.browser import conftest as browser_fixtures
from tests.excel.conftest import xlsx
from tests.excel.test_import_volunteers import HEADER, row
from tests.factories import make_hierarchy, make_user

# The portal's browser fixtures (headless system Chromium, Chinese locale, login, screenshots)
# live in tests/browser/conftest.py; make them visible to this module.
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


def test_staff_import_volunteers_fix_errors_and_see_them_on_their_page(
    live_server, page, login, screenshot, tmp_path
):
    home = make_hierarchy(communities=2)[0]
    staff = make_user(
        "shequ_staff", role="staff", scope_code=home.code, first_name="李", last_name=""
    )
    base = live_server.url

    login(page, staff.username)
    page.goto(f"{base}/excel/")
    assert page.locator("h1").inner_text() == "Excel 导入导出"
    screenshot(page, "excel-home")
    page.get_by_test_id("excel-resources").get_by_role("link", name="导入").nth(3).click()
    page.wait_for_url("**/excel/import/volunteers/")

    with page.expect_download() as download:
        page.get_by_test_id("download-template").click()
    assert download.value.suggested_filename == "注册志愿者导入模板.xlsx"

    bad = tmp_path / "志愿者.xlsx"
    rows = [
        row(code=home.code, name="王小明", seq=1),
        row(code=home.code, name="赵丽", seq=2, gender="女", id="620102198001010000"),
        row(code=home.code, name="孙强", seq=3, reg=None),
    ]
    bad.write_bytes(xlsx(HEADER, rows, title="注册志愿者"))
    page.set_input_files("#import-file", str(bad))
    page.get_by_test_id("import-submit").click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "发现 2 处问题，未导入任何数据" in text
    assert "第3行" in text and "身份证号码校验位错误" in text
    assert "第4行" in text and "注册日期" in text and "必填，不能为空" in text
    screenshot(page, "excel-import-errors")

    rows[1] = row(code=home.code, name="赵丽", seq=2, gender="女")
    rows[2] = row(code=home.code, name="孙强", seq=3, reg=datetime.date(2015, 5, 4))
    good = tmp_path / "志愿者-改.xlsx"
    good.write_bytes(xlsx(HEADER, rows, title="注册志愿者"))
    page.set_input_files("#import-file", str(good))
    page.get_by_test_id("import-submit").click()
    summary = page.get_by_test_id("import-summary")
    summary.wait_for()
    assert "导入成功：共 3 行，新增 3 条" in summary.inner_text()

    page.set_viewport_size({"width": 768, "height": 1024})
    screenshot(page, "excel-import-done-tablet")
    page.get_by_role("link", name="到我的社区查看").click()
    page.wait_for_url(f"**/communities/{home.code}/")
    volunteers = page.locator("#volunteers").inner_text()
    for name in ("王小明", "赵丽", "孙强"):
        assert name in volunteers
    assert not page.problems
