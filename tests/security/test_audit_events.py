"""Authentication events and role or scope changes are written to the audit log."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditAction, AuditLog
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

IP = "10.20.30.40"


@pytest.fixture
def official():
    return make_user("wangwu", role="official", scope_code="6201")


def _post_login(username: str, password: str) -> Client:
    client = Client(REMOTE_ADDR=IP)
    client.post(reverse("login"), {"username": username, "password": password})
    return client


def test_a_login_is_recorded_with_user_address_and_scope(official):
    _post_login("wangwu", PASSWORD)
    row = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert (row.user, row.username, row.ip_address, row.scope_code) == (official, "wangwu", IP, "6201")


def test_a_logout_is_recorded(official):
    client = _post_login("wangwu", PASSWORD)
    client.post(reverse("logout"))
    row = AuditLog.objects.get(action=AuditAction.LOGOUT)
    assert (row.user, row.ip_address) == (official, IP)


def test_a_failed_login_is_recorded_without_the_password(official):
    _post_login("wangwu", "Secret-guess-42")
    row = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (row.username, row.ip_address) == ("wangwu", IP)
    assert "Secret-guess-42" not in json.dumps(row.detail, ensure_ascii=False)
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()


def test_a_failed_login_for_an_unknown_user_is_recorded(db):
    _post_login("nobody", "Secret-guess-42")
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, username="nobody").exists()


def test_a_lockout_is_recorded_once_the_limit_is_reached(official):
    for _ in range(4):
        _post_login("wangwu", "Wrong-password-1")
    assert not AuditLog.objects.filter(action=AuditAction.LOCKOUT).exists()
    _post_login("wangwu", "Wrong-password-1")
    row = AuditLog.objects.get(action=AuditAction.LOCKOUT)
    assert (row.username, row.ip_address) == ("wangwu", IP)
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5


def test_a_role_change_is_recorded_with_before_and_after(official):
    before = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE).count()
    official.role = "staff"
    official.scope_code = "620102016"
    official.save()
    rows = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE)
    assert rows.count() == before + 1
    row = rows.first()
    assert row.username == "wangwu"
    assert row.detail["before"]["role"] == "official"
    assert row.detail["before"]["scope_code"] == "6201"
    assert row.detail["after"] == {
        "role": "staff", "scope_code": "620102016", "is_superuser": False, "is_staff": False, "is_active": True,
    }


def test_a_scope_change_alone_is_recorded(official):
    official.scope_code = "6202"
    official.save()
    row = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE).first()
    assert row.detail["before"]["scope_code"] == "6201"
    assert row.detail["after"]["scope_code"] == "6202"


def test_a_change_that_leaves_role_and_scope_alone_writes_no_role_row(official):
    before = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE).count()
    official.first_name = "五"
    official.save()
    assert AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE).count() == before


def test_a_new_user_is_recorded(db):
    make_user("newbie", role="staff", scope_code="620102016001")
    row = AuditLog.objects.get(action=AuditAction.ROLE_CHANGE, username="newbie")
    assert row.detail["created"] is True
    assert row.scope_code == "620102016001"


def test_deactivating_an_account_is_recorded(official):
    official.is_active = False
    official.save()
    row = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE).first()
    assert (row.detail["before"]["is_active"], row.detail["after"]["is_active"]) == (True, False)


def test_a_change_made_in_the_admin_records_who_made_it(official):
    boss = make_user("boss", role="admin", scope_code="62", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR=IP)
    client.force_login(boss)
    page = client.get(f"/admin/accounts/user/{official.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        username="wangwu", role="official", scope_code="6202", is_active="on",
        last_login_0="", last_login_1="", date_joined_0="2015-01-01", date_joined_1="08:00:00",
    )
    data.pop("user_permissions", None)
    data.pop("groups", None)
    data.pop("is_staff", None)
    data.pop("is_superuser", None)
    response = client.post(f"/admin/accounts/user/{official.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE, username="wangwu").first()
    assert row.detail["after"]["scope_code"] == "6202"
    assert row.detail["by"] == "boss"
    assert row.ip_address == IP


def test_granting_the_personal_data_permission_is_recorded(official):
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="view_personal_data")
    official.user_permissions.add(permission)
    row = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE, username="wangwu").first()
    assert row.detail["change"] == "granted"
    assert row.detail["items"] == ["view_personal_data"]
    official.user_permissions.remove(permission)
    row = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE, username="wangwu").first()
    assert row.detail["change"] == "withdrawn"


def test_granting_the_permission_through_a_group_is_recorded(official):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="个人信息查阅")
    official.groups.add(group)
    assert AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE, username="wangwu").first().detail["items"] == ["个人信息查阅"]
    group.permissions.add(Permission.objects.get(codename="view_personal_data"))
    row = AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE).first()
    assert row.detail["kind"] == "group_permissions"
    assert row.detail["group"] == "个人信息查阅"
    assert row.detail["items"] == ["view_personal_data"]
