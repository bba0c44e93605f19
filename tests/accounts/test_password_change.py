"""修改密码 outside /admin/: Django's validators, the audit log, other sessions and tokens ended."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import AuditAction, AuditLog
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW = "Qingshui-River-83!"


def signed_in(user, ip="10.1.2.3") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        reverse("password-change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


@pytest.mark.parametrize("role", ["staff", "official"])
def test_the_page_is_linked_from_the_user_menu(role):
    user = make_user("zhaoliu", role=role, scope_code="620102016001")
    client = signed_in(user)
    home = client.get("/", follow=True).content.decode()
    assert 'href="/password/"' in home and "修改密码" in home
    page = client.get(reverse("password-change"))
    assert page.status_code == 200 and "修改密码" in page.content.decode()


def test_a_change_keeps_this_session_ends_the_others_and_is_audited():
    user = make_user("zhaoliu", role="staff", scope_code="620102016001")
    other = signed_in(user, ip="10.9.9.9")
    AuthToken.objects.create(user=user)
    client = signed_in(user)
    response = change(client)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    # This session stays signed in; the other one is ended by the new password's hash.
    assert client.get(reverse("password-change")).status_code == 200
    assert other.get(reverse("password-change")).status_code == 302
    row = AuditLog.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert (row.user, row.ip_address) == (user, "10.1.2.3")
    assert NEW not in str(row.detail)
    assert not AuthToken.objects.filter(user=user).exists()
    assert row.detail["tokens_ended"] == 1


def test_a_wrong_old_password_is_refused():
    user = make_user("zhaoliu", role="staff", scope_code="620102016001")
    response = change(signed_in(user), old="Not-the-password-1")
    assert response.status_code == 200
    assert "旧密码" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditLog.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()


@pytest.mark.parametrize("weak", ["short1A!", "12345678901234", "Password2026!"])
def test_the_password_validators_apply(weak):
    user = make_user("zhaoliu", role="staff", scope_code="620102016001")
    response = change(signed_in(user), new=weak)
    assert response.status_code == 200
    assert 'data-error-for="new_password' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("password-change"))
    assert response.status_code == 302 and "/login/" in response["Location"]
