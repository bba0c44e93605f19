"""Tokens end: after logout, a password change by any path, idle time and their absolute age."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditLog, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"
NEW_PASSWORD = "Gansu-Xin-Mima-2026!"


def login(username="api_staff", password=PASSWORD):
    response = APIClient().post(URL, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token) -> bool:
    status = with_token(token).get("/api/v1/communities/").status_code
    assert status in (200, 401)
    return status == 200


def test_each_login_issues_a_new_token_and_both_work(users):
    first, second = login(), login()
    assert first != second
    assert works(first) and works(second)


def test_api_logout_ends_the_token_in_use_only(users):
    first, second = login(), login()
    assert with_token(first).post("/api/v1/auth/logout/").status_code == 204
    assert not works(first)
    assert works(second)
    answer = with_token(first).get("/api/v1/communities/")
    assert answer.status_code == 401 and "令牌无效或已过期" in answer.json()["detail"]


def test_portal_logout_ends_every_token_of_the_user(users):
    token = login()
    browser = Client()
    browser.force_login(users["staff"])
    assert browser.post("/logout/").status_code in (200, 302)
    assert not works(token)


def test_a_token_is_stored_as_a_digest_only(users):
    token = login()
    row = AuthToken.objects.get(user=users["staff"])
    assert token not in (row.digest, row.token_key) and token.startswith(row.token_key)


def test_an_idle_token_expires_after_30_minutes(users):
    token = login()
    AuthToken.objects.filter(user=users["staff"]).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not works(token)


def test_use_extends_a_token_but_never_past_12_hours(users):
    token = login()
    assert works(token)
    row = AuthToken.objects.get(user=users["staff"])
    assert row.expiry <= timezone.now() + datetime.timedelta(minutes=30, seconds=5)
    # Issued 11 h 50 min ago: use renews it up to the 12-hour mark, not 30 minutes on.
    issued = timezone.now() - datetime.timedelta(hours=11, minutes=50)
    AuthToken.objects.filter(pk=row.pk).update(
        created=issued, expiry=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert works(token)
    row.refresh_from_db()
    assert row.expiry <= issued + datetime.timedelta(hours=12)


def test_a_token_backdated_400_days_is_refused(users):
    token = login()
    old = timezone.now() - datetime.timedelta(days=400)
    AuthToken.objects.filter(user=users["staff"]).update(
        created=old, expiry=old + datetime.timedelta(hours=12)
    )
    assert not works(token)


def test_password_change_through_the_orm_ends_every_token_and_session(users):
    token = login()
    browser = Client()
    browser.force_login(users["staff"])
    assert browser.get("/api/v1/communities/").status_code == 200
    user = User.objects.get(username="api_staff")
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(token)
    assert browser.get("/api/v1/communities/").status_code in (401, 403)
    row = AuditLog.objects.filter(action=AuditAction.PASSWORD_RESET, username="api_staff").get()
    assert row.detail["tokens_ended"] == 1
    assert "pbkdf2" not in str(row.detail) and "argon" not in str(row.detail)


def test_changepassword_command_ends_every_token(users, monkeypatch):
    token = login()
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: NEW_PASSWORD)
    call_command("changepassword", "api_staff")
    assert not works(token)


def test_an_administrator_resetting_a_password_in_the_admin_ends_tokens_and_is_audited(users):
    token = login()
    admin = make_user("root_reset", role="admin", scope_code="62", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    response = browser.post(
        f"/admin/accounts/user/{users['staff'].pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(token)
    row = AuditLog.objects.get(action=AuditAction.PASSWORD_RESET, username="api_staff")
    assert row.detail["by"] == "root_reset"


def test_a_user_changing_their_own_password_is_audited_as_such(users):
    token = login()
    user = users["staff"]
    browser = Client()
    browser.force_login(user)
    user.is_staff = True
    user.save()
    response = browser.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not works(token)
    assert AuditLog.objects.filter(
        action=AuditAction.PASSWORD_CHANGE, username="api_staff"
    ).exists()
    # The session that changed it stays signed in.
    assert browser.get("/api/v1/communities/").status_code == 200


def test_a_user_lists_and_revokes_their_own_tokens(users):
    first, second = login(), login()
    other = login("api_admin")
    client = with_token(first)
    listed = client.get("/api/v1/auth/tokens/").json()
    assert len(listed) == 2
    assert [t["current"] for t in listed].count(True) == 1
    assert all(first not in str(t) and second not in str(t) for t in listed)
    key = next(t["token_key"] for t in listed if not t["current"])
    assert client.delete(f"/api/v1/auth/tokens/{key}/").status_code == 204
    assert not works(second) and works(first)
    admin_key = AuthToken.objects.get(user=users["admin"]).token_key
    assert client.delete(f"/api/v1/auth/tokens/{admin_key}/").status_code == 404
    assert works(other)
    assert AuditLog.objects.filter(action=AuditAction.TOKEN_REVOKE, username="api_staff").exists()


def test_deleting_a_user_is_audited(users):
    users["other_staff"].delete()
    row = AuditLog.objects.get(action=AuditAction.USER_DELETE)
    assert row.username == "api_other_staff"
