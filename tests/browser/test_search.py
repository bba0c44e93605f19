"""The header's search box in Chromium: 东关街道 with its county shown, a volunteer by the
last four ID characters, at laptop and tablet width."""

import datetime

import pytest

from streets.models import Street
from tests.browser.conftest import TABLET, new_context
from tests.factories import PASSWORD, make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import Volunteer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def world():
    lanzhou = make_hierarchy(prefecture="6201", county="620102", street="620102016")
    make_hierarchy(prefecture="6205", county="620502", street="620502001")
    Street.objects.filter(code__in=["620102016", "620502001"]).update(name="东关街道")
    return Volunteer.objects.create(
        community=lanzhou[0],
        name="李娜",
        gender="female",
        id_number=valid_id_number(region="620102", serial=417),
        registered_on=datetime.date(2014, 3, 1),
    )


@pytest.mark.parametrize("viewport", [None, TABLET], ids=["laptop", "tablet"])
def test_search_finds_both_dongguan_streets_and_a_volunteer_by_id_tail(
    live_server, browser, viewport, screenshot
):
    volunteer = world()
    make_user("search-admin", role="admin", scope_code="62")
    context = new_context(browser, viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "search-admin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if viewport:
        page.locator(".navbar-toggler").click()
    box = page.get_by_test_id("search-input")
    box.fill("东关街道")
    with page.expect_navigation():
        box.press("Enter")
    regions = page.get_by_test_id("search-区划").inner_text()
    assert "县620102" in regions and "县620502" in regions
    page.get_by_test_id("search-page-input").fill(volunteer.id_number[-4:])
    with page.expect_navigation():
        page.get_by_test_id("search-page-input").press("Enter")
    found = page.get_by_test_id("search-志愿者")
    assert "李娜" in found.inner_text()
    assert volunteer.id_number not in found.inner_text()
    screenshot(page, f"search-{'tablet' if viewport else 'laptop'}")
    with page.expect_navigation():
        found.get_by_role("link", name="李娜").click()
    assert f"/communities/{volunteer.community_id}/" in page.url
    context.close()
