"""Security headers on every page: CSP without inline code or foreign origins, no framing."""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import PASSWORD, make_hierarchy, make_user
from volunteers.models import VolunteerOrganization

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    pages = ["/admin/login/", "/does-not-exist/"]
    for name in ("login",):
        try:
            pages.append(reverse(name))
        except NoReverseMatch:
            pass
    return pages


def _directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.mark.parametrize("path", _pages())
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    header = response.headers["Content-Security-Policy"]
    directives = _directives(header)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    # No foreign origin: nothing but keywords and data: for images and fonts.
    for name, sources in directives.items():
        for source in sources:
            assert re.fullmatch(r"'[a-z-]+'|data:", source), f"{name} allows {source}"


@pytest.mark.parametrize("path", _pages())
def test_pages_refuse_framing_and_sniffing(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_signed_in_page_carries_the_same_headers(client):
    user = make_user("boss", role="admin", scope_code="62", is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    make_user("boss", role="admin", scope_code="62", is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": "boss", "password": "x"})
    assert response.status_code == 403


def test_session_and_csrf_cookies_are_not_readable_cross_site(client):
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE in {"Lax", "Strict"}
    assert settings.CSRF_COOKIE_SAMESITE in {"Lax", "Strict"}


def test_a_session_api_write_without_csrf_token_is_refused():
    make_hierarchy()
    staff = make_user("staff_c", role="staff", scope_code="620102016001")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(
        "/api/v1/volunteer-organizations/",
        data='{"community_code": "620102016001", "name": "志愿队", "registered_on": "2013-01-01"}',
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert not VolunteerOrganization.objects.exists()


def test_a_portal_form_post_without_csrf_token_is_refused():
    make_hierarchy()
    staff = make_user("staff_c", role="staff", scope_code="620102016001")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(
        reverse("volunteer-organization-create", args=["620102016001"]),
        {"name": "志愿队", "registered_on": "2013-01-01"},
    )
    assert response.status_code == 403
    assert not VolunteerOrganization.objects.exists()


def test_a_portal_login_post_without_csrf_token_is_refused():
    make_user("wangwu", role="official", scope_code="6201")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "wangwu", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_portal_pages_api_answers_and_downloads_all_carry_the_headers():
    make_hierarchy()
    staff = make_user("staff_c", role="staff", scope_code="620102016001")
    client = Client()
    client.force_login(staff)
    for path in (
        reverse("community-detail", args=["620102016001"]),
        "/api/v1/volunteers/",
        reverse("excel-export", args=["volunteers"]),
        "/api/v1/communities/no-such-code/",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
