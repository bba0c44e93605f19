"""The reporting cycle in a real browser: the 填报进度 chart and drill-down, a submission that
shows a data-quality warning, the inbox and its unread count."""

import datetime

import pytest

from communities.models import CommunityStat
from communities.services import stat_return, stat_submit
from reporting.models import ReportingPeriod
from tests.entry_data import EntryWorld
from tests.factories import make_hierarchy, make_stat, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def world_2015():
    world = EntryWorld()
    world.county_official = make_user("county-b", role="official", scope_code="620102")
    ReportingPeriod.objects.create(
        year=2015, opens_on=datetime.date(2015, 12, 1), due_on=datetime.date(2016, 1, 31)
    )
    return world


def test_the_progress_page_draws_the_children_and_drills_down(live_server, page, login):
    world = world_2015()
    make_hierarchy(street="620102017", communities=3)
    stat_submit(stat=make_stat(world.home), user=world.admin)
    login(page, world.county_official.username)
    page.goto(f"{live_server.url}/reporting/620102/?year=2015")
    assert page.get_by_test_id("expected").inner_text() == "5"
    page.wait_for_selector("#progress-bars[data-ready] canvas")
    assert page.get_by_test_id("late-row").count() == 5  # 4 without a row, 1 submitted late (today)
    page.get_by_test_id("children-table").get_by_role("link").first.click()
    page.wait_for_url("**/reporting/620102016/?year=2015")
    page.wait_for_load_state("networkidle")
    assert "620102016" in page.url
    assert not page.problems, page.problems


def test_a_submission_with_a_warning_asks_for_confirmation(live_server, page, login):
    world = world_2015()
    stat = make_stat(world.home, party_members=800, party_members_volunteering=80)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, world.staff.username)
    page.goto(f"{live_server.url}/stats/{stat.pk}/")
    page.get_by_role("button", name="上报").click()
    warnings = page.get_by_test_id("quality-warnings")
    warnings.wait_for()
    assert "党员占居民比例过高" in warnings.inner_text()
    stat.refresh_from_db()
    assert stat.status == "draft"
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state()
    stat.refresh_from_db()
    assert stat.status == "submitted"
    assert not page.problems, page.problems


def test_the_inbox_shows_a_returned_row(live_server, page, login):
    world = world_2015()
    stat = stat_submit(stat=make_stat(world.home), user=world.staff)
    stat_return(stat=stat, user=world.street_official, reason="户数请按年末数填报")
    login(page, world.staff.username)
    page.goto(f"{live_server.url}/communities/{world.home.code}/")
    badge = page.get_by_test_id("unread-count")
    badge.wait_for()
    assert badge.inner_text() == "1"
    page.get_by_test_id("nav-inbox").click()
    item = page.get_by_test_id("inbox-item").first
    assert "户数请按年末数填报" in item.inner_text()
    item.get_by_role("button", name="查看").click()
    page.wait_for_url(f"**/stats/{stat.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("unread-count").count() == 0
    assert CommunityStat.objects.get(pk=stat.pk).status == "returned"
    assert not page.problems, page.problems
