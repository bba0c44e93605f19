"""The idle timeout in a real browser: a warning before it with 保持登录, a clear notice in
place of the login page inside a panel, and a form that survives the login."""

import re

import pytest
from django.contrib.sessions.models import Session

from tests.browser.conftest import dashboard_ready, settle
from tests.entry_data import EntryWorld, fill_community
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def end_sessions():
    """What 30 idle minutes do on the server: the session is gone."""
    Session.objects.all().delete()


def test_choosing_an_indicator_after_expiry_says_so_instead_of_showing_the_login_page(
    live_server, page, login
):
    world = EntryWorld()
    fill_community(world.home, volunteers=3)
    login(page, world.street_official.username)
    page.goto(f"{live_server.url}/dashboard/620102016/?year=2015")
    dashboard_ready(page)
    settle(page)
    panel_before = page.locator("#indicator-panel").inner_html()
    end_sessions()
    page.locator('[data-select-indicator="resident_participation"]').click()
    expired = page.get_by_test_id("session-expired")
    expired.wait_for(state="visible")
    assert "登录已过期" in expired.inner_text()
    assert page.locator("#indicator-panel #id_password").count() == 0
    assert page.locator("#indicator-panel").inner_html() == panel_before
    link = expired.get_by_role("link", name="重新登录").get_attribute("href")
    assert link == "/login/?next=%2Fdashboard%2F620102016%2F%3Fyear%3D2015"


def test_a_form_sent_after_expiry_is_filled_in_again_after_the_login(live_server, page, login):
    world = EntryWorld()
    login(page, world.staff.username)
    page.goto(f"{live_server.url}/communities/{world.home.code}/stats/new/")
    page.fill("#id_households", "912")
    page.fill("#id_residents", "2520")
    page.fill("#id_party_members", "121")
    page.fill("#id_party_members_volunteering", "99")
    page.fill("#id_residents_volunteering", "801")
    end_sessions()
    page.get_by_role("button", name=re.compile("保存")).first.click()
    page.wait_for_url(re.compile(r"/login/"))
    page.fill("#id_username", world.staff.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/stats/new/" in page.url
    page.get_by_test_id("form-restored").wait_for(state="visible")
    assert page.locator("#id_households").input_value() == "912"
    assert page.locator("#id_residents_volunteering").input_value() == "801"
    assert not world.home.stats.exists()  # kept, not saved behind the user's back


def test_a_warning_comes_before_the_timeout_and_keeps_the_session(
    live_server, page, login, settings
):
    world = EntryWorld()
    login(page, world.staff.username)
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 6
    page.goto(f"{live_server.url}/communities/{world.home.code}/")
    warning = page.get_by_test_id("session-warning")
    warning.wait_for(state="visible", timeout=6_000)
    assert "保持登录" in warning.inner_text()
    warning.get_by_role("button", name="保持登录").click()
    warning.wait_for(state="hidden")
    assert page.get_by_test_id("session-expired").is_hidden()
