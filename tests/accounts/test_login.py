"""Signing in and out, where each role lands, and what the navigation offers it."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_hierarchy, make_user


@pytest.fixture
def places(db):
    make_hierarchy(prefecture="6201", county="620102", street="620102016", communities=1)
    make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


class TestLoginPage:
    def test_is_in_chinese_and_open_to_anonymous_users(self, client, db):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "用户登录" in html and "甘肃省社区服务体系建设管理平台" in html
        assert 'name="csrfmiddlewaretoken"' in html

    def test_wrong_password_is_refused_with_a_chinese_message(self, client, places):
        make_user("lz", role="official", scope_code="6201")
        response = sign_in(client, "lz", "Wrong-password-1")
        assert response.status_code == 200
        assert "请输入一个正确的用户名和密码" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_signed_in_user_opening_login_goes_home(self, client, places):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        response = client.get(reverse("login"))
        assert response.status_code == 302


class TestEachRoleLandsOnItsOwnScope:
    @pytest.mark.parametrize(
        "role, scope, landing",
        [
            ("admin", "62", "/dashboard/62/"),
            ("official", "6201", "/dashboard/6201/"),
            ("official", "620102", "/dashboard/620102/"),
            ("official", "620102016", "/dashboard/620102016/"),
            ("staff", "620102016", "/dashboard/620102016/"),
            ("staff", "620102016001", "/communities/620102016001/"),
        ],
    )
    def test_login_then_home(self, client, places, role, scope, landing):
        make_user("someone", role=role, scope_code=scope)
        response = sign_in(client, "someone")
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == landing
        assert client.get(landing).status_code == 200

    def test_superuser_lands_on_the_province(self, client, places):
        from accounts.models import User

        User.objects.create_superuser("root", password=PASSWORD)
        sign_in(client, "root")
        assert client.get(reverse("home"))["Location"] == "/dashboard/62/"

    def test_next_parameter_is_honoured_within_the_site(self, client, places):
        make_user("lz", role="official", scope_code="6201")
        response = sign_in(client, "lz", next="/dashboard/620102/")
        assert response["Location"] == "/dashboard/620102/"

    def test_next_parameter_to_another_site_is_ignored(self, client, places):
        make_user("lz", role="official", scope_code="6201")
        response = sign_in(client, "lz", next="https://example.com/")
        assert response["Location"] == reverse("home")


class TestNavigation:
    def nav(self, client, user, url):
        client.force_login(user)
        return client.get(url).content.decode()

    def test_admin_sees_province_dashboard_and_failing_list(self, client, places):
        html = self.nav(client, make_user("a", role="admin", scope_code="62"), "/dashboard/62/")
        assert 'href="/dashboard/62/" data-testid="nav-dashboard"' in html
        assert 'href="/dashboard/62/failing/community_station/" data-testid="nav-failing"' in html
        assert 'data-testid="nav-community"' not in html
        assert "省级管理员" in html and "甘肃省" in html

    def test_official_links_point_at_own_prefecture(self, client, places):
        html = self.nav(
            client, make_user("lz", role="official", scope_code="6201"), "/dashboard/6201/"
        )
        assert 'href="/dashboard/6201/" data-testid="nav-dashboard"' in html
        assert 'href="/dashboard/62/"' not in html
        assert "民政干部" in html and "市6201" in html

    def test_community_staff_see_their_community_not_dashboards(self, client, places):
        user = make_user("st", role="staff", scope_code="620102016001")
        html = self.nav(client, user, "/communities/620102016001/")
        assert 'href="/communities/620102016001/" data-testid="nav-community"' in html
        assert 'data-testid="nav-dashboard"' not in html
        assert 'data-testid="nav-failing"' not in html

    @pytest.mark.parametrize(
        "role, scope", [("admin", "62"), ("official", "6201"), ("staff", "620102016001")]
    )
    def test_every_role_reaches_the_excel_page(self, client, places, role, scope):
        user = make_user("x", role=role, scope_code=scope)
        client.force_login(user)
        html = client.get(client.get("/")["Location"]).content.decode()
        assert f'href="{reverse("excel-home")}" data-testid="nav-excel"' in html
        assert client.get(reverse("excel-home")).status_code == 200

    def test_admin_link_only_for_users_allowed_into_django_admin(self, client, places):
        html = self.nav(client, make_user("a", role="admin", scope_code="62"), "/dashboard/62/")
        assert 'data-testid="nav-admin"' not in html
        html = self.nav(
            client, make_user("b", role="admin", scope_code="62", is_staff=True), "/dashboard/62/"
        )
        assert 'data-testid="nav-admin"' in html

    def test_anonymous_pages_redirect_to_login(self, client, places):
        for url in ["/", "/dashboard/62/", "/dashboard/62/failing/community_station/"]:
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/login/?next=")


class TestScopeFromOutside:
    @pytest.mark.parametrize(
        "url",
        [
            "/dashboard/62/",
            "/dashboard/6202/",
            "/dashboard/620201001/",
            "/dashboard/6202/failing/street_centre/",
        ],
    )
    def test_official_typing_a_url_outside_gets_the_chinese_404(self, client, places, url):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        response = client.get(url)
        assert response.status_code == 404
        assert "不在您的管辖范围内" in response.content.decode()

    def test_community_staff_cannot_open_their_streets_dashboard(self, client, places):
        client.force_login(make_user("st", role="staff", scope_code="620102016001"))
        assert client.get("/dashboard/620102016/").status_code == 404
        assert client.get("/dashboard/6201/").status_code == 404


class TestLogout:
    def test_logout_by_post_ends_the_session(self, client, places):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert response["Location"] == reverse("login")
        assert client.get("/dashboard/6201/").status_code == 302

    def test_logout_by_get_is_refused(self, client, places):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        assert client.get(reverse("logout")).status_code == 405
        assert client.get("/dashboard/6201/").status_code == 200

    def test_every_page_carries_a_logout_form(self, client, places):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        html = client.get("/dashboard/6201/").content.decode()
        assert f'action="{reverse("logout")}"' in html and "退出登录" in html


class TestLockout:
    def test_five_failures_show_the_lockout_page(self, client, places):
        make_user("lz", role="official", scope_code="6201")
        for _ in range(5):
            sign_in(client, "lz", "Wrong-password-1")
        response = sign_in(client, "lz")
        assert response.status_code == 429
        assert "登录失败次数过多，账号已锁定30分钟" in response.content.decode()


class TestErrorPages:
    def test_a_stale_form_gets_the_chinese_csrf_page(self, places):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "x", "password": "y"})
        assert response.status_code == 403
        assert "页面已过期，请刷新后重试" in response.content.decode()

    def test_unknown_address_gets_the_chinese_404(self, client, places):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()

    def test_server_error_page_renders_without_a_request(self):
        # Django renders 500.html with an empty context: no user, no context processors.
        from django.template.loader import render_to_string

        html = render_to_string("500.html")
        assert "系统暂时出现问题" in html and "退出登录" not in html
