"""Security events on record, refused attempts rate-limited, and the admin's small oracles closed."""

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from accounts.models import AuditAction, AuditLog, User
from communities.models import Community
from tests.factories import make_hierarchy, make_user

pytestmark = pytest.mark.django_db
HOME = "620102016001"
OUTSIDE = "620201001001"


@pytest.fixture
def world(db):
    make_hierarchy(communities=1)
    make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)
    return {
        "staff": make_user("ev_staff", role="staff", scope_code=HOME, is_staff=True),
        "admin": make_user("ev_admin", role="security", scope_code="62", is_staff=True),
        "root": make_user(
            "ev_root", role="admin", scope_code="62", is_staff=True, is_superuser=True
        ),
    }


def refusals(username):
    return AuditLog.objects.filter(action=AuditAction.PERMISSION_DENIED, username=username)


def test_a_refused_cross_scope_read_is_recorded(world, client):
    client.force_login(world["staff"])
    assert client.get(f"/api/v1/communities/{OUTSIDE}/").status_code == 404
    assert client.get(f"/admin/communities/community/{OUTSIDE}/change/").status_code == 404
    rows = list(refusals("ev_staff").order_by("id"))
    assert [r.detail["status"] for r in rows] == [404, 404]
    assert rows[0].detail["path"] == f"/api/v1/communities/{OUTSIDE}/"
    assert rows[0].ip_address == "127.0.0.1"


@override_settings(AUDIT_REFUSALS_PER_WINDOW=(3, 600))
def test_refused_attempts_are_rate_limited_per_user(world, client):
    client.force_login(world["staff"])
    for _ in range(10):
        client.get(f"/api/v1/communities/{OUTSIDE}/")
    assert refusals("ev_staff").count() == 3
    client.force_login(world["admin"])
    client.get("/api/v1/communities/629999999999/")
    assert refusals("ev_admin").count() == 1


def test_the_view_on_site_redirect_is_no_oracle(world, client):
    client.force_login(world["staff"])
    ct = ContentType.objects.get_for_model(Community).pk
    assert client.get(f"/admin/r/{ct}/{OUTSIDE}/").status_code == 404
    assert client.get(f"/admin/r/{ct}/629999999999/").status_code == 404
    assert client.get(f"/admin/r/{ct}/{HOME}/").status_code == 302


def test_axes_logs_are_read_only_even_for_a_superuser(world, client):
    log = AccessLog.objects.create(username="x", ip_address="10.0.0.1")
    failure = AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1")
    client.force_login(world["root"])
    assert (
        client.post(f"/admin/axes/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert (
        client.post(
            f"/admin/axes/accessfailurelog/{failure.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        "/admin/axes/accesslog/",
        {"action": "delete_selected", "_selected_action": [log.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AccessLog.objects.filter(pk=log.pk).exists()
    assert AccessFailureLog.objects.filter(pk=failure.pk).exists()


def test_nobody_grants_themselves_a_permission(world, client):
    admin = world["admin"]
    perm = Permission.objects.get(codename="view_personal_data")
    client.force_login(admin)
    data = {
        "username": admin.username,
        "role": "security",
        "scope_code": "62",
        "is_active": "on",
        "is_staff": "on",
        "user_permissions": [perm.pk],
        "last_name": "",
        "first_name": "",
        "email": "",
    }
    client.post(f"/admin/accounts/user/{admin.pk}/change/", data)
    admin = User.objects.get(pk=admin.pk)
    assert not admin.has_perm("accounts.view_personal_data")
    # The system administrator (admin) does not manage accounts at all (三员分立).
    system = make_user("ev_system", role="admin", scope_code="62", is_staff=True)
    client.force_login(system)
    assert client.get(f"/admin/accounts/user/{admin.pk}/change/").status_code == 403
    # Another administrator's grant is allowed and on record.
    other = make_user("ev_other", role="security", scope_code="62", is_staff=True)
    client.force_login(other)
    response = client.post(f"/admin/accounts/user/{admin.pk}/change/", data)
    assert response.status_code == 302
    assert User.objects.get(pk=admin.pk).has_perm("accounts.view_personal_data")
    assert AuditLog.objects.filter(action=AuditAction.ROLE_CHANGE, username=admin.username).exists()
