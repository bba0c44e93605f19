"""The API docs page speaks Chinese: its buttons and headings, under the CSP, no console errors."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_the_swagger_page_buttons_are_chinese(live_server, page):
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock-summary").first.wait_for()
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="试一试").first.wait_for()
    body = page.locator("#swagger-ui").inner_text()
    assert "参数" in body and "响应" in body
    assert "Try it out" not in body and "Parameters" not in body
    page.get_by_role("button", name="试一试").first.click()
    page.get_by_role("button", name="执行").first.wait_for()
    assert not page.problems
