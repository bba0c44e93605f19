"""The portal shell in a real browser: the login page and the signed-in layout."""

import pytest

from tests.factories import make_user


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("browser")
def test_login_page_renders_in_chinese_with_styles_and_no_errors(live_server, page):
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h2").inner_text() == "用户登录"
    # Bootstrap and the portal's CSS are applied (served locally), so the button is styled.
    bg = page.eval_on_selector("button[type=submit]", "el => getComputedStyle(el).backgroundColor")
    assert bg == "rgb(11, 79, 138)"
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("browser")
def test_wrong_password_shows_a_chinese_error(live_server, page, login):
    make_user("shell-admin", role="admin", scope_code="62")
    login(page, "shell-admin", "wrong-password-1A")
    assert "/login/" in page.url
    assert "用户名" in page.locator(".alert-danger").inner_text()
