"""The dashboards' maps: the province by prefecture and 兰州市 by county, coloured by the chosen
indicator, a click on an area drilling down like the bar chart."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import dashboard_ready, settle
from tests.factories import make_user
from tests.targets.test_dashboard import build

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def click_area(page, code: str):
    """Click the centre point of the map area of unit ``code`` (again if the chart was still
    settling: a busy machine may draw it late)."""
    dashboard_ready(page)
    settle(page)
    page.locator("#map-chart").scroll_into_view_if_needed()
    page.wait_for_timeout(600)
    for attempt in range(3):
        point = area_point(page, code)
        try:
            with page.expect_navigation(timeout=5_000):
                page.mouse.click(point["x"], point["y"])
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.wait_for_timeout(1_000)
    dashboard_ready(page)


def area_point(page, code: str) -> dict:
    return page.evaluate(
        """(code) => {
            const el = document.getElementById('map-chart');
            const chart = echarts.getInstanceByDom(el);
            const name = JSON.parse(document.getElementById('map-data').textContent).map;
            const feature = echarts.getMap(name).geoJSON.features.find(f => f.properties.name === code);
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, feature.properties.cp);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        code,
    )


def area_colours(page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
            const out = {};
            chart.getOption().series[0].data.forEach(d => { if (d.itemStyle) { out[d.name] = d.itemStyle.areaColor; } });
            return out;
        }"""
    )


def test_the_province_map_colours_prefectures_and_drills_down_to_a_county_map(
    live_server, page, login, screenshot
):
    build()
    make_user("map-admin", role="admin", scope_code="62")
    login(page, "map-admin")
    page.goto(f"{live_server.url}/dashboard/62/?year=2015&indicator=community_station")
    dashboard_ready(page)
    assert page.get_by_test_id("map-card").is_visible()
    assert "达标率100%" in page.get_by_test_id("map-legend").inner_text()
    colours = area_colours(page)
    # Half of each prefecture's communities have a 300 ㎡ station: both red (50 %).
    assert colours == {"6201": "#c0392b", "6202": "#c0392b"}
    screenshot(page, "dashboard-map-province")

    click_area(page, "6201")
    assert re.search(r"/dashboard/6201/\?year=2015&indicator=community_station$", page.url)
    colours = area_colours(page)
    assert colours == {"620102": "#c0392b"}
    click_area(page, "620102")
    assert re.search(r"/dashboard/620102/\?year=2015&indicator=community_station$", page.url)
    # Below a prefecture, the bar chart alone.
    assert page.get_by_test_id("map-card").count() == 0
    assert not page.problems
