"""民情流水线 in a real browser: the desk registers a request by phone and gets its number, the
street signs for it and resolves it, the desk records the 回访, the dashboard counts it."""

import re

import pytest

from casework.models import Case, HandlingUnit
from tests.factories import make_hierarchy, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def sign_out(page):
    page.goto("about:blank")
    page.context.clear_cookies()


def test_registration_to_rating(live_server, page, login, screenshot):
    (community,) = make_hierarchy()
    HandlingUnit.objects.create(code="620102016", name="街道620102016")
    desk = make_user("cw_desk", role="staff", scope_code=community.code)
    street = make_user("cw_street", role="staff", scope_code="620102016")
    base = live_server.url

    # The desk: 受理登记 from the nav, by phone; the number and due date come at once.
    login(page, desk.username)
    page.get_by_test_id("nav-casework").click()
    page.wait_for_url(re.compile(r"/casework/dashboard/"))
    page.goto(f"{base}/casework/new/")
    page.get_by_label("求助（5个工作日）").check()
    page.get_by_label("电话受理").check()
    page.fill("#id_description", "三号楼楼道灯不亮，老人夜间出行不便")
    page.fill("#id_resident_name", "王秀兰")
    page.fill("#id_resident_phone", "13812345678")
    page.fill("#id_address", "建设路12号3单元")
    page.fill("#id_accepted_on", "2015-09-30")
    screenshot(page, "casework-register")
    page.get_by_test_id("register-submit").click()
    page.wait_for_url(re.compile(r"/casework/cases/\d+/"))
    number = f"{community.code}20150930001"
    assert page.get_by_test_id("case-number").inner_text() == number
    assert "2015年10月13日" in page.get_by_test_id("due-on").inner_text()
    assert page.get_by_test_id("resident").inner_text() == "王** 138****5678"
    page.get_by_test_id("dispatch-unit").select_option(label="街道620102016")
    page.get_by_test_id("step-dispatch").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "已分派"
    sign_out(page)

    # The street: its queue shows the request under 待签收; sign for it, resolve it.
    login(page, street.username)
    page.goto(f"{base}/casework/queue/")
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("step-accept").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "办理中"
    page.fill("[data-testid=resolution]", "已更换楼道灯，电话告知居民。")
    page.get_by_test_id("step-resolve").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "已办结"
    sign_out(page)

    # The desk: 回访, satisfied; the timeline shows every step.
    login(page, desk.username)
    case = Case.objects.get(number=number)
    page.goto(f"{base}/casework/cases/{case.pk}/")
    page.get_by_test_id("step-rate").click()
    page.wait_for_url(re.compile(r"/rate/"))
    page.get_by_label("满意", exact=True).check()
    page.get_by_test_id("rate-submit").click()
    page.wait_for_url(re.compile(r"/casework/cases/\d+/$"))
    assert page.get_by_test_id("case-status").inner_text() == "已回访"
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("受理", "分派", "签收", "办结", "回访"):
        assert step in timeline
    screenshot(page, "casework-case")

    # The street's dashboard counts it, with its charts drawn.
    sign_out(page)
    login(page, street.username)
    page.goto(f"{base}/casework/dashboard/620102016/?year=2015")
    cards = page.get_by_test_id("casework-cards").inner_text()
    assert "受理" in cards and "已回访" in cards
    page.wait_for_function("document.querySelector('#cw-children-chart canvas') !== null")
    assert not page.problems, page.problems
