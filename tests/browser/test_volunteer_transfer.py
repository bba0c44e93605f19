"""志愿者转移 in a real browser: staff of the receiving community ask by ID number and see
nothing of the volunteer; the sending street approves; the volunteer then shows on the request."""

import datetime

import pytest

from tests.factories import make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import Volunteer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_request_and_approval(live_server, page, login, screenshot):
    home = make_hierarchy(communities=1)[0]
    elsewhere = make_hierarchy(
        prefecture="6202", county="620201", street="620201001", communities=1
    )[0]
    number = valid_id_number(serial=71)
    volunteer = Volunteer.objects.create(
        community=elsewhere,
        name="迁居志愿者",
        gender="male",  # the ID number's 17th digit is odd
        id_number=number,
        registered_on=datetime.date(2012, 3, 1),
    )
    staff = make_user("bt_staff", role="staff", scope_code=home.code)
    street = make_user("bt_street", role="official", scope_code="620201001")
    base = live_server.url

    login(page, staff.username)
    page.goto(f"{base}/volunteer-transfers/")
    page.get_by_test_id("transfer-ask").click()
    page.fill("#id_id_number", number)
    page.fill("#id_reason", "已迁入本社区居住")
    with page.expect_navigation():
        page.get_by_test_id("transfer-submit").click()
    assert page.get_by_test_id("transfer-status").inner_text() == "待审核"
    assert "迁居志愿者" not in page.content() and elsewhere.code not in page.content()
    screenshot(page, "volunteer-transfer-requested")

    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, street.username)
    page.goto(f"{base}/volunteer-transfers/")
    assert "迁居志愿者" in page.get_by_test_id("transfer-queue").inner_text()
    page.get_by_test_id("transfer-queue").get_by_role("link").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="同意转移", exact=True).click()
    assert page.get_by_test_id("transfer-status").inner_text() == "已同意"
    screenshot(page, "volunteer-transfer-approved")
    volunteer.refresh_from_db()
    assert volunteer.community_id == home.code
