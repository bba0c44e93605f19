"""The dashboards in headless Chromium: each role's landing page, drill-down to a community,
the htmx indicator switch and the year selector, figures checked against the engine."""

import re

import pytest
from playwright.sync_api import expect

from targets.engine import compute_region
from targets.payload import region_payload
from targets.plans import current_plan
from tests.browser.conftest import dashboard_ready
from tests.factories import make_user
from tests.targets.test_dashboard import build

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def engine_rate(code: str, indicator: str, year: int = 2015) -> str:
    """Return the engine's rate of one indicator, as the dashboard prints it ("50.00%")."""
    plan = current_plan()
    body = region_payload(compute_region(scope_code=code, year=year, plan=plan), plan)
    rate = next(i["rate"] for i in body["indicators"] if i["code"] == indicator)
    return f"{float(rate) * 100:.2f}%"


def click_bar(page, code: str):
    """Click the middle of the bar of unit ``code`` on the ECharts canvas."""
    dashboard_ready(page)
    page.locator("#bar-chart").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # let the bars finish growing in
    point = page.evaluate(
        """(code) => {
            const el = document.getElementById('bar-chart');
            const chart = echarts.getInstanceByDom(el);
            const bars = JSON.parse(document.getElementById('bar-data').textContent).bars;
            const i = bars.findIndex(b => b.code === code);
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [bars[i].value / 2, i]);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        code,
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    dashboard_ready(page)


def click_row(page, code: str):
    dashboard_ready(page)
    with page.expect_navigation():
        page.click(f'tr[data-code="{code}"] td:nth-child(2)')
    dashboard_ready(page)


def test_admin_drills_down_from_the_province_to_a_community(live_server, page, login):
    build()
    make_user("prov-admin", role="admin", scope_code="62")
    login(page, "prov-admin")
    assert page.url == f"{live_server.url}/dashboard/62/"
    expect(page.get_by_test_id("dashboard-title")).to_have_text("甘肃省社区服务体系建设达标情况")
    expect(page.get_by_test_id("rate-community_station")).to_have_text(
        engine_rate("62", "community_station")
    )

    page.wait_for_selector("#progress-chart[data-ready]")  # the progress line loads after the page
    click_bar(page, "6201")  # a bar on the canvas
    assert re.search(r"/dashboard/6201/\?year=2015&indicator=community_station$", page.url)
    expect(page.get_by_test_id("rate-community_station")).to_have_text(
        engine_rate("6201", "community_station")
    )

    click_row(page, "620102")  # a row of the table
    assert "/dashboard/620102/" in page.url
    click_bar(page, "620102016")
    assert "/dashboard/620102016/" in page.url
    expect(page.get_by_test_id("rate-community_station")).to_have_text("50.00%")
    expect(page.locator(".portal-breadcrumbs")).to_contain_text("甘肃省")

    click_bar(page, "620102016001")
    assert page.url.endswith("/communities/620102016001/?year=2015")
    expect(page.locator("body")).to_contain_text("社区620102016001")
    assert page.problems == []


def test_breadcrumbs_lead_back_up(live_server, page, login):
    build()
    make_user("prov-admin", role="admin", scope_code="62")
    login(page, "prov-admin")
    page.goto(f"{live_server.url}/dashboard/620102016/?year=2015")
    dashboard_ready(page)
    with page.expect_navigation():
        page.locator(".portal-breadcrumbs a", has_text="市6201").click()
    dashboard_ready(page)
    assert "/dashboard/6201/" in page.url


def test_prefecture_official_lands_on_own_prefecture_and_nothing_else(live_server, page, login):
    build()
    make_user("lanzhou", role="official", scope_code="6201")
    login(page, "lanzhou")
    assert page.url == f"{live_server.url}/dashboard/6201/"
    expect(page.get_by_test_id("community-count")).to_have_text("2")
    expect(page.locator(".portal-breadcrumbs")).not_to_contain_text("甘肃省")
    bars = page.evaluate(
        "JSON.parse(document.getElementById('bar-data').textContent).bars.map(b => b.code)"
    )
    assert bars == ["620102"]
    response = page.goto(f"{live_server.url}/dashboard/6202/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")


def test_street_staff_land_on_their_street_and_community_staff_on_their_community(
    live_server, page, login
):
    build()
    make_user("street-staff", role="staff", scope_code="620102016")
    login(page, "street-staff")
    assert page.url == f"{live_server.url}/dashboard/620102016/"
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()
    page.click(".portal-user-btn")
    page.click('[data-testid="logout"]')
    page.wait_for_url(re.compile(r"/login/"))

    make_user("community-staff", role="staff", scope_code="620102016001")
    login(page, "community-staff")
    assert page.url == f"{live_server.url}/communities/620102016001/"
    expect(page.get_by_test_id("nav-community")).to_be_visible()
    expect(page.get_by_test_id("nav-dashboard")).to_have_count(0)
    assert page.goto(f"{live_server.url}/dashboard/620102016/").status == 404


def test_choosing_another_indicator_swaps_the_chart_without_reloading(live_server, page, login):
    build()
    make_user("prov-admin", role="admin", scope_code="62")
    progress_requests = []
    page.on("request", lambda r: progress_requests.append(r.url) if "/progress/" in r.url else None)
    login(page, "prov-admin")
    page.wait_for_selector("#bar-chart[data-ready]")
    page.wait_for_selector("#progress-chart[data-ready]")
    page.evaluate("window.notReloaded = true")
    page.select_option("#indicator-select", "street_centre")
    expect(page.locator("#indicator-panel")).to_have_attribute("data-indicator", "street_centre")
    page.wait_for_selector("#bar-chart[data-ready]")
    assert page.evaluate("window.notReloaded") is True
    labels = page.evaluate(
        "JSON.parse(document.getElementById('bar-data').textContent).bars.map(b => b.label)"
    )
    assert labels == ["100.00%", "0.00%"]
    expect(page.get_by_test_id("card-street_centre")).to_have_class(re.compile("is-selected"))
    assert page.url.endswith("/dashboard/62/?year=2015&indicator=street_centre")

    # "查看分布" on a card does the same.
    page.get_by_test_id("card-social_organizations").get_by_text("查看分布").click()
    expect(page.locator("#indicator-panel")).to_have_attribute(
        "data-indicator", "social_organizations"
    )
    assert page.evaluate("window.notReloaded") is True
    # The progress line is redrawn for the new indicator from the data fetched once.
    page.wait_for_selector('#progress-chart[data-ready][data-indicator="social_organizations"]')
    assert len(progress_requests) == 1
    assert page.problems == []


def test_year_selector_shows_a_year_without_statistics(live_server, page, login):
    build()
    make_user("prov-admin", role="admin", scope_code="62")
    login(page, "prov-admin")
    with page.expect_navigation():
        page.select_option("#year-select", "2013")
    dashboard_ready(page)
    assert "year=2013" in page.url
    expect(page.get_by_test_id("stats-missing")).to_contain_text("2013年尚无年度统计数据")


def test_failing_list_sorts_and_opens_a_community(live_server, page, login):
    build(per_street=3)
    make_user("prov-admin", role="admin", scope_code="62")
    login(page, "prov-admin")
    page.get_by_test_id("nav-failing").click()
    expect(page.get_by_test_id("failing-count")).to_have_text("4")
    with page.expect_navigation():
        page.click('a[data-sort="gap"]')  # largest first is the default: now smallest first
    assert "sort=gap" in page.url
    first = page.locator("[data-testid=failing-table] tbody tr").first
    code = first.get_attribute("data-code")
    with page.expect_navigation():
        first.locator("td").nth(3).click()
    assert page.url.endswith(f"/communities/{code}/?year=2015")


def test_tablet_layout_collapses_the_navigation(live_server, browser, login):
    from tests.browser.conftest import TABLET, new_context, settle

    build()
    make_user("prov-admin", role="admin", scope_code="62")
    context = new_context(browser, TABLET)
    page = context.new_page()
    try:
        login(page, "prov-admin")
        nav = page.get_by_test_id("nav-dashboard")
        expect(nav).to_be_hidden()
        page.click(".navbar-toggler")
        expect(nav).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 768  # nothing sticks out sideways
    finally:
        settle(page)
        context.close()
