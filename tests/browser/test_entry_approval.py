"""Data entry and approval in a real browser: staff enter a 2015 row with an error, correct it
and submit it; the street official approves it; the street dashboard's figure changes."""

import re

import pytest

from communities.models import CommunityStat, StatStatus
from tests.browser.conftest import TABLET, new_context
from tests.entry_data import EntryWorld, fill_community
from tests.factories import make_stat, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

RATE = "rate-party_member_participation"


def accept_dialogs(page):
    """Answer the "确定上报…？" confirmation with OK."""
    page.on("dialog", lambda dialog: dialog.accept())


def sign_out(page):
    """Forget the session; leave the page first so no late request brings the cookie back."""
    page.goto("about:blank")
    page.context.clear_cookies()


def test_staff_enter_and_submit_official_approves_dashboard_changes(
    live_server, page, login, screenshot
):
    world = EntryWorld()
    fill_community(world.home, volunteers=12, stats_years=(2013, 2014))
    # The sibling community complies with the party-member target in 2015: 1 of 2 before.
    make_stat(world.sibling, 2015, status=StatStatus.APPROVED, party_members_volunteering=90)
    accept_dialogs(page)
    base = live_server.url

    # The street official's dashboard before: one of two communities complies.
    login(page, world.street_official.username)
    page.goto(f"{base}/dashboard/620102016/?year=2015")
    before = page.get_by_test_id(RATE).inner_text()
    assert before == "50.00%"
    # The dashboard's own checks live in test_dashboard.py; here only the entry pages count.
    page.problems.clear()
    sign_out(page)

    # Staff land on their community and open the 2015 entry form.
    login(page, world.staff.username)
    assert page.url.endswith(f"/communities/{world.home.code}/")
    assert page.locator("h1").inner_text() == world.home.name
    assert "尚未录入2015年度统计数据" in page.locator("#compliance").inner_text()
    page.get_by_role("link", name="录入2015年统计").click()
    page.wait_for_url(re.compile(r"/stats/new/"))
    assert page.locator("#id_year").input_value() == "2015"
    page.fill("#id_households", "900")
    page.fill("#id_residents", "2500")
    page.fill("#id_party_members", "120")
    page.fill("#id_party_members_volunteering", "130")
    page.fill("#id_residents_volunteering", "800")
    page.get_by_role("button", name="保存").click()
    error = page.locator('[data-error-for="party_members_volunteering"]')
    assert error.inner_text() == "参与志愿活动的党员人数不能超过党员人数。"
    assert "数据尚未保存" in page.get_by_test_id("form-errors").inner_text()
    assert page.locator("#id_party_members_volunteering").input_value() == "130"
    assert not CommunityStat.objects.filter(community=world.home, year=2015).exists()
    screenshot(page, "entry-stats-form-error")

    # Corrected, saved, then submitted from the row's page.
    page.fill("#id_party_members_volunteering", "100")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/stats/\d+/$"))
    assert "已新增" in page.locator(".portal-messages").inner_text()
    page.get_by_role("button", name="上报").click()
    page.wait_for_url(re.compile(r"/stats/\d+/$"))
    assert "已上报" in page.locator(".portal-messages").inner_text()
    stat = CommunityStat.objects.get(community=world.home, year=2015)
    assert stat.status == StatStatus.SUBMITTED
    # Submitted rows are locked for staff: no edit button any more.
    assert page.get_by_role("link", name="修改").count() == 0
    assert page.problems == []
    sign_out(page)

    # The street official approves it from the queue.
    login(page, world.street_official.username)
    page.get_by_test_id("nav-approvals").click()
    page.wait_for_url(re.compile(r"/approvals/"))
    row = page.locator(f'tr[data-stat="{stat.pk}"]')
    assert world.home.name in row.inner_text()
    screenshot(page, "entry-approvals")
    row.get_by_role("button", name="审核通过").click()
    page.wait_for_url(re.compile(r"/approvals/"))
    assert "已审核通过" in page.locator(".portal-messages").inner_text()
    assert "没有待审核的统计" in page.locator("main").inner_text()
    stat.refresh_from_db()
    assert (stat.status, stat.reviewed_by_id) == (StatStatus.APPROVED, world.street_official.pk)

    assert page.problems == []

    # The dashboard now counts the community: both comply.
    page.goto(f"{base}/dashboard/620102016/?year=2015")
    assert page.get_by_test_id(RATE).inner_text() == "100.00%"


def test_screenshots_of_the_community_page_and_history(
    live_server, page, login, screenshot, browser
):
    world = EntryWorld()
    fill_community(world.home, volunteers=14, stats_years=(2013, 2014, 2015))
    stat = world.home.stats.get(year=2014)
    stat.status = StatStatus.RETURNED
    stat.return_reason = "户数较上年减少过多，请核实后重新上报"
    stat.save()
    admin = make_user("shot-admin", role="admin", scope_code="62")

    login(page, world.staff.username)
    page.goto(f"{live_server.url}/communities/{world.home.code}/?year=2015")
    assert "退回原因：户数较上年减少过多" in page.locator("#stats").inner_text()

    # Volunteers page with htmx: the next page replaces the list in place.
    page.locator("#volunteers").get_by_role("link", name="下一页").click()
    page.locator("#volunteers-list", has_text="第 2/2 页").wait_for()
    assert page.url.endswith(f"/communities/{world.home.code}/?year=2015")
    screenshot(page, "entry-community-page")

    # An edit, then the history page.
    page.goto(f"{live_server.url}/stats/{world.home.stats.get(year=2013).pk}/edit/")
    page.fill("#id_households", "1010")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/stats/\d+/$"))
    page.get_by_role("link", name="历史").first.click()
    page.wait_for_url(re.compile(r"/history/stat/"))
    assert "户数" in page.get_by_test_id("history-table").inner_text()
    screenshot(page, "entry-history")
    assert page.problems == []

    # The community page on a tablet, as an administrator.
    tablet = new_context(browser, TABLET)
    try:
        tab = tablet.new_page()
        login(tab, admin.username)
        tab.goto(f"{live_server.url}/communities/{world.home.code}/")
        assert tab.locator("h1").inner_text() == world.home.name
        screenshot(tab, "entry-community-page-tablet")
    finally:
        tablet.close()


def test_official_approves_a_whole_page_at_once(live_server, page, login):
    world = EntryWorld()
    for community in (world.home, world.sibling):
        make_stat(community, 2015, status=StatStatus.SUBMITTED)
    accept_dialogs(page)
    login(page, world.street_official.username)
    page.goto(f"{live_server.url}/approvals/")
    page.locator("[data-check-all]").check()
    assert page.locator('input[name="stat"]:checked').count() == 2
    page.get_by_test_id("bulk-approve").click()
    page.wait_for_url(re.compile(r"/approvals/"))
    assert "已审核通过 2 条年度统计" in page.locator(".portal-messages").inner_text()
    assert set(CommunityStat.objects.values_list("status", flat=True)) == {StatStatus.APPROVED}
    assert page.problems == []


def visible_in_viewport(page, locator) -> bool:
    """Say whether the element lies wholly inside the window, without any scrolling."""
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


@pytest.mark.parametrize("width", [1440, 768])
def test_the_province_filters_the_queue_and_approves_at_any_width(
    live_server, page, login, screenshot, width
):
    world = EntryWorld()
    world.sibling.name = "东岗西路社区"
    world.sibling.save()
    for community in (world.home, world.sibling, world.other_street_community, world.far):
        make_stat(community, 2015, status=StatStatus.SUBMITTED)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, world.admin.username)
    page.goto(f"{live_server.url}/approvals/")
    count = page.get_by_test_id("approvals-count")
    assert count.inner_text() == "4 条待审核"
    # Each row's 审核通过 and 退回 are on screen, the table's other columns scroll under them.
    for row in page.locator("[data-testid=approvals-table] tbody tr").all():
        actions = row.get_by_test_id("approvals-actions")
        assert visible_in_viewport(page, actions.get_by_role("button", name="审核通过"))
        assert visible_in_viewport(page, actions.get_by_role("link", name="退回"))

    # 市州, then 县区, then 街道: each choice reloads the queue and offers the next menu.
    page.get_by_test_id("filter-prefecture").select_option("6201")
    page.wait_for_url(re.compile(r"prefecture=6201"))
    assert count.inner_text() == "3 条待审核"
    page.get_by_test_id("filter-county").select_option("620102")
    page.wait_for_url(re.compile(r"county=620102"))
    page.get_by_test_id("filter-street").select_option("620102016")
    page.wait_for_url(re.compile(r"street=620102016"))
    assert count.inner_text() == "2 条待审核"
    page.get_by_test_id("filter-name").fill("东岗")
    page.get_by_test_id("filter-name").press("Enter")
    page.wait_for_url(re.compile(r"q="))
    assert count.inner_text() == "1 条待审核"
    rows = page.locator("[data-testid=approvals-table] tbody tr")
    assert rows.count() == 1 and "东岗西路社区" in rows.inner_text()
    approve = rows.get_by_role("button", name="审核通过")
    assert visible_in_viewport(page, approve)
    screenshot(page, f"approvals-{width}")

    approve.click()
    page.wait_for_url(re.compile(r"/approvals/\?"))
    assert "已审核通过东岗西路社区2015年度统计" in page.locator(".portal-messages").inner_text()
    assert (
        "没有符合筛选条件的待审核统计"
        in page.get_by_test_id("approvals-none-filtered").inner_text()
    )
    assert CommunityStat.objects.get(community=world.sibling).status == StatStatus.APPROVED
    assert page.problems == []
