"""The 资金投入 page in headless Chromium: the nav link, the cards, the chart over the years,
the falling children listed, drill-down to a county and the year selector."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from tests.funding.helpers import line, world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def funding_ready(page):
    page.wait_for_selector("#funding-chart[data-ready]", timeout=30_000)


def test_prefecture_official_reads_the_funding_page(live_server, page, login, screenshot):
    world()
    for year, amount in ((2011, "80"), (2012, "100"), (2013, "90")):
        line("620102", year, budgeted=amount)  # 城关 falls in 2013
    for year in (2011, 2012, 2013):
        line("620103", year, budgeted=str(40 + year - 2011))  # rising
        line("6201", year, "worker_pay", budgeted=str(200 + 10 * (year - 2011)))
    line("620102001", 2013, "informatisation", "social", budgeted="12", allocated="12", spent="8")
    make_user("lz-official", role="official", scope_code="6201")
    login(page, "lz-official")

    page.click("[data-testid=nav-plan]")  # the plan tasks menu
    page.click("[data-testid=nav-funding]")
    page.wait_for_url("**/funding/6201/**")
    page.goto(f"{live_server.url}/funding/6201/?year=2013")
    funding_ready(page)
    expect(page.get_by_test_id("funding-title")).to_contain_text("资金投入")
    expect(page.get_by_test_id("special-fund")).to_have_text("220.00")
    expect(page.get_by_test_id("special-fund-trend")).to_have_text("逐年增长")
    expect(page.get_by_test_id("cost-worker_pay")).to_contain_text("220.00")
    expect(page.get_by_test_id("source-social")).to_contain_text("12.00")
    falling = page.get_by_test_id("falling-list")
    expect(falling).to_contain_text("县620102")
    expect(falling).to_contain_text("100.00 → 90.00")
    expect(page.get_by_test_id("child-620103")).to_contain_text("逐年增长")
    points = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('funding-chart'))"
        ".getOption().series[0].data"
    )
    assert points == [200, 210, 220]  # 兰州's own budget 2011–2013
    screenshot(page, "funding-prefecture")

    # Drill down to the county, then change the year.
    page.get_by_test_id("child-620102").get_by_role("link").click()
    page.wait_for_url("**/funding/620102/?year=2013")
    funding_ready(page)
    expect(page.get_by_test_id("special-fund-trend")).to_have_text("低于上年")
    expect(page.get_by_test_id("child-620102001")).to_be_visible()
    page.select_option("#year-select", "2012")
    page.wait_for_url("**/funding/620102/?year=2012")
    funding_ready(page)
    expect(page.get_by_test_id("special-fund")).to_have_text("100.00")
    expect(page.get_by_test_id("special-fund-trend")).to_have_text("逐年增长")
    assert page.problems == []
