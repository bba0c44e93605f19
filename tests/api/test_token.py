"""Token login at ``auth/token/`` (with the login lockout) and session authentication with CSRF."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditLog
from tests.factories import PASSWORD

from . import data

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def login(username, password, address="10.0.0.1"):
    return APIClient().post(
        URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_good_credentials_give_a_token_that_works(users):
    response = login("api_staff", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    assert client.get("/api/v1/communities/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    codes = [row["code"] for row in client.get("/api/v1/communities/").json()["results"]]
    assert codes == ["620102016001"]
    assert login("api_staff", PASSWORD).json()["token"] != token  # each login issues a new token
    assert AuditLog.objects.filter(action=AuditAction.LOGIN, username="api_staff").exists()


def test_wrong_credentials_are_400_with_a_chinese_message(users):
    response = login("api_staff", "wrong-password-1")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["用户名或密码不正确。"]}
    assert login("nobody", "whatever-123").status_code == 400
    assert (
        AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, username="api_staff").count() == 1
    )


@pytest.mark.parametrize(
    "body", [{}, {"username": "api_staff"}, {"password": "x"}, ["api_staff"], "text"]
)
def test_incomplete_bodies_are_400(users, body):
    assert APIClient().post(URL, body, format="json").status_code == 400


def test_five_failures_lock_the_account_at_that_address(users):
    for _ in range(4):
        assert login("api_staff", "wrong-password-1").status_code == 400
    assert login("api_staff", "wrong-password-1").status_code in (403, 429)
    locked = login("api_staff", PASSWORD)
    assert locked.status_code in (403, 429)
    assert locked["Content-Type"] == "application/json"
    assert "锁定" in locked.json()["detail"]
    # A colleague of the same office (another address here) is not locked out.
    assert login("api_staff", PASSWORD, address="10.0.0.2").status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.LOCKOUT, username="api_staff").exists()


def test_a_success_before_the_limit_resets_the_count(users):
    for _ in range(4):
        login("api_staff", "wrong-password-1")
    assert login("api_staff", PASSWORD).status_code == 200
    for _ in range(4):
        assert login("api_staff", "wrong-password-1").status_code == 400
    assert login("api_staff", PASSWORD).status_code == 200


def test_inactive_users_get_no_token(users):
    users["staff"].is_active = False
    users["staff"].save()
    assert login("api_staff", PASSWORD).status_code == 400


class TestSession:
    def test_session_reads_work(self, users):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(users["staff"])
        assert client.get("/api/v1/community-stats/").status_code == 200

    def test_session_writes_need_the_csrf_token(self, users):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(users["staff"])
        refused = client.post("/api/v1/community-stats/", data.stat(), format="json")
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["detail"]
        secret = _get_new_csrf_string()
        client.cookies["csrftoken"] = secret
        accepted = client.post(
            "/api/v1/community-stats/", data.stat(), format="json", HTTP_X_CSRFTOKEN=secret
        )
        assert accepted.status_code == 201

    def test_token_writes_need_no_csrf_token(self, users):
        token = login("api_staff", PASSWORD).json()["token"]
        client = APIClient(enforce_csrf_checks=True)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert (
            client.post("/api/v1/community-stats/", data.stat(), format="json").status_code == 201
        )
