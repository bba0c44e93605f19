"""Security headers on every page: CSP without inline code or foreign origins, no framing."""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import make_user

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
