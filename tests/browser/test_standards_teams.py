"""The service standards' self-check and the teams list in a real browser."""

import re

import pytest

from standards.models import StandardCheck
from tests.factories import make_facility, make_hierarchy, make_user
from tests.teams.world import committees, ensure_catalogue, full_team

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def sign_out(page):
    page.goto("about:blank")
    page.context.clear_cookies()


def test_staff_check_an_item_and_the_street_reviews_it(
    live_server, page, login, tmp_path, settings, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_catalogue()
    home, _ = make_hierarchy(communities=2)
    station = make_facility(community=home, name="团结新村社区服务站")
    staff = make_user("b_staff", role="staff", scope_code=home.code)
    official = make_user("b_street", role="official", scope_code="620102016")
    photo = tmp_path / "公示栏.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    base = live_server.url

    login(page, staff.username)
    page.get_by_test_id("nav-plan").click()  # the plan tasks menu
    page.get_by_test_id("nav-standards").click()
    page.wait_for_url(re.compile(r"/standards/"))
    page.goto(f"{base}/standards/facilities/{station.pk}/?year=2015")
    assert page.get_by_test_id("provided-count").inner_text() == "0"
    page.locator('tr[data-standard="employment-01"]').get_by_test_id("add-check").click()
    page.wait_for_url(re.compile(r"/checks/new/"))
    assert page.locator("#id_standard").input_value() == "employment-01"
    page.get_by_label("部分达标").check()
    page.fill("#id_note", "岗位信息更新不及时")
    page.set_input_files("#id_attachment", str(photo))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/standards/facilities/{station.pk}/"))
    row = page.locator('tr[data-standard="employment-01"]')
    assert row.get_by_test_id("result").inner_text() == "部分达标"
    assert "待街道审核" in row.inner_text()
    assert page.get_by_test_id("provided-count").inner_text() == "1"
    screenshot(page, "standards-self-check")
    check = StandardCheck.objects.get()
    assert check.attachment.name.endswith(".png")
    assert not page.problems, page.problems
    sign_out(page)

    login(page, official.username)
    page.goto(f"{base}/standards/reviews/?year=2015")
    queue = page.get_by_test_id("review-table")
    assert "团结新村社区服务站" in queue.inner_text()
    page.locator(f'tr[data-check="{check.pk}"]').get_by_role("button", name="审核通过").click()
    page.wait_for_url(re.compile(r"/standards/reviews/"))
    assert "已审核通过" in page.locator(".portal-messages").inner_text()
    check.refresh_from_db()
    assert check.status == "reviewed" and check.reviewed_by == official
    page.goto(f"{base}/standards/?scope=620102016&year=2015")
    assert page.get_by_test_id("facilities").inner_text() == "1"
    assert page.get_by_test_id("meeting-share").inner_text() == "0.00%"
    assert not page.problems, page.problems


def test_the_street_sees_which_community_misses_its_director(live_server, page, login, screenshot):
    complete, lacking = make_hierarchy(communities=2)
    full_team(complete)
    committees(complete)
    full_team(lacking, director=False)
    committees(lacking, kinds=("mediation", "security"))
    official = make_user("b_street2", role="official", scope_code="620102016")
    base = live_server.url

    login(page, official.username)
    page.get_by_test_id("nav-plan").click()
    page.get_by_test_id("nav-teams").click()
    page.wait_for_url(re.compile(r"/teams/"))
    assert page.get_by_test_id("complete-count").inner_text() == "1"
    assert page.get_by_test_id("community-count").inner_text() == "2"
    assert page.get_by_test_id("complete-rate").inner_text() == "50.00%"
    listed = page.get_by_test_id("teams-list").locator("tbody tr")
    assert listed.count() == 1
    assert listed.first.get_attribute("data-community") == lacking.code
    assert (
        "居委会主任" in listed.first.inner_text() and "公共卫生委员会" in listed.first.inner_text()
    )
    screenshot(page, "teams-list")
    listed.first.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/teams/communities/{lacking.code}/"))
    assert page.get_by_test_id("teams-status").inner_text() == "不健全"
    assert "缺" in page.locator('[data-rule="director"]').inner_text()
    assert "已配齐" in page.locator('[data-rule="secretary"]').inner_text()
    # The community page loads the same section when it comes into view.
    page.goto(f"{base}/communities/{lacking.code}/?year=2015")
    page.locator("#teams").scroll_into_view_if_needed()
    page.wait_for_selector("#teams [data-testid=teams-status]")
    assert page.locator("#teams [data-testid=teams-status]").inner_text() == "不健全"
    assert not page.problems, page.problems
