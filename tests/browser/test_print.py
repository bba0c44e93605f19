"""Printing the province dashboard: on an A4 page in print media, no navigation, the print
header, and every chart inside the page."""

import pytest

from tests.browser.conftest import dashboard_ready, settle
from tests.factories import make_user
from tests.targets.test_dashboard import build

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

# The printable width of A4 portrait with 10 mm margins: 190 mm at 96 dpi.
A4_PORTRAIT = {"width": 718, "height": 1047}
WIDE = {"width": 1440, "height": 900}


def test_the_province_dashboard_prints_with_every_chart_inside_the_page(
    live_server, browser, screenshot
):
    build()
    make_user("printer", role="admin", scope_code="62")
    # Drawn on a wide screen, then printed: the browser lays the page out at paper width
    # without telling the charts (no resize event reaches them).
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=WIDE)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "printer")
    page.fill("#id_password", "Test-password-2015")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/62/?year=2015")
    dashboard_ready(page)
    settle(page)
    page.evaluate(
        "document.querySelectorAll('.chart-box').forEach(el => {"
        " const chart = echarts.getInstanceByDom(el); if (chart) { chart.resize = () => {}; } })"
    )
    page.set_viewport_size(A4_PORTRAIT)
    page.emulate_media(media="print")

    assert page.locator(".portal-header").is_hidden()
    assert page.locator(".dash-toolbar").first.is_hidden()
    header = page.locator(".print-header")
    assert header.is_visible() and "打印时间" in header.inner_text()
    assert "甘肃省" in page.get_by_test_id("dashboard-title").inner_text()
    width = page.evaluate("document.documentElement.clientWidth")
    boxes = page.evaluate(
        "[...document.querySelectorAll('.chart-box canvas')]"
        ".map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, r.width]; })"
    )
    assert len(boxes) >= 2  # the bar chart and the progress chart
    for left, right, box_width in boxes:
        assert left >= 0 and right <= width and box_width > 0.5 * width
    screenshot(page, "dashboard-print")
    page.close()
    context.close()
