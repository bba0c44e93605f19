"""No full ID number or phone leaves the server without the permission, through any interface.

Each interface that shows volunteers (portal pages, record history, Django admin, REST API,
Excel exports) is opened by users of every role without the ``view_personal_data``
permission; the responses (workbooks unzipped) and the log output are searched for the
volunteers' full numbers. A user with the permission gets them only through an audited read.
"""

import io
import json
import logging
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import AuditAction, AuditLog
from core.validators import mask_id_number, mask_phone
from volunteers.models import Volunteer

from .worlds import build_world, make_user

pytestmark = pytest.mark.django_db

COMMUNITY = "620102016001"


@pytest.fixture
def world():
    return build_world({"01": {"02": {"016": 1}}}, records_per_community=2)


@pytest.fixture
def users(world):
    return {
        "staff": make_user("staff_c", "staff", COMMUNITY, is_staff=True),
        "street_official": make_user("official_s", "official", "620102016", is_staff=True),
        "prefecture_official": make_user("official_p", "official", "6201", is_staff=True),
        "admin": make_user("admin_role", "admin", "62", is_staff=True),
    }


def body_text(response) -> str:
    """Return a response's content as text; a workbook is unzipped and its XML joined."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return raw.decode("utf-8", "replace")


def secrets_of(volunteers) -> list[str]:
    found = []
    for v in volunteers:
        found += [v.id_number, v.phone, v.id_number[6:14] + v.id_number[14:17]]
    return found


def interfaces(volunteer: Volunteer) -> list[str]:
    pk = volunteer.pk
    return [
        reverse("community-detail", args=[COMMUNITY]),
        reverse("street-communities", args=["620102016"]),
        reverse("volunteer-edit", args=[pk]),
        reverse("record-history", args=["volunteer", pk]),
        "/admin/volunteers/volunteer/",
        f"/admin/volunteers/volunteer/{pk}/change/",
        f"/admin/volunteers/volunteer/{pk}/history/",
        "/admin/volunteers/servicerecord/add/",
        "/api/v1/volunteers/",
        f"/api/v1/volunteers/{pk}/",
        f"/api/v1/volunteers/?community_code={COMMUNITY}&format=json",
        reverse("excel-export", args=["volunteers"]) + f"?scope={COMMUNITY}",
        "/api/v1/reports/volunteers.xlsx?scope=620102016",
    ]


@pytest.mark.parametrize("role", ["staff", "street_official", "prefecture_official", "admin"])
def test_no_interface_shows_a_full_number_without_the_permission(role, world, users, caplog):
    user = users[role]
    client = Client()
    client.force_login(user)
    volunteer = world.volunteers[0]
    secrets = secrets_of(world.volunteers)
    opened = 0
    with caplog.at_level(logging.DEBUG):
        for url in interfaces(volunteer):
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code != 200:
                continue
            opened += 1
            text = body_text(response)
            for secret in secrets:
                assert secret not in text, f"{role} sees a full number at {url}"
    assert opened >= 8, f"{role} could open only {opened} interfaces"
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        assert secret not in log_text


def test_the_masked_forms_are_what_users_see(world, users):
    client = Client()
    client.force_login(users["staff"])
    volunteer = world.volunteers[0]
    page = client.get(reverse("community-detail", args=[COMMUNITY])).content.decode()
    assert mask_id_number(volunteer.id_number) in page
    api = client.get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert api["id_number_masked"] == mask_id_number(volunteer.id_number)
    assert "id_number" not in api
    assert api["phone"] == mask_phone(volunteer.phone)


def test_asking_the_api_to_unmask_without_the_permission_is_refused(world, users):
    client = Client()
    client.force_login(users["admin"])
    response = client.get("/api/v1/volunteers/?unmask=1")
    assert response.status_code == 403
    assert world.volunteers[0].id_number not in response.content.decode()


def test_an_unmasked_api_read_is_audited_without_the_numbers(world, users):
    user = users["street_official"]
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client = Client()
    client.force_login(user)
    volunteer = world.volunteers[0]
    masked = client.get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert "id_number" not in masked
    assert not AuditLog.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).exists()

    full = client.get(f"/api/v1/volunteers/{volunteer.pk}/?unmask=1").json()
    assert full["id_number"] == volunteer.id_number
    assert full["phone"] == volunteer.phone
    row = AuditLog.objects.get(action=AuditAction.VIEW_PERSONAL_DATA)
    assert row.user == user
    assert volunteer.pk in row.detail["ids"]


def test_no_audit_row_or_history_row_holds_a_full_number(world, users):
    user = users["admin"]
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client = Client()
    client.force_login(user)
    client.get("/api/v1/volunteers/?unmask=1")
    client.get(reverse("excel-export", args=["volunteers"]))
    client.get("/admin/volunteers/volunteer/")
    volunteer = world.volunteers[0]
    volunteer.name = "改名"
    volunteer.save()
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count() >= 2
    audit_text = json.dumps(list(AuditLog.objects.values()), ensure_ascii=False, default=str)
    history_text = json.dumps(list(Volunteer.history.values()), ensure_ascii=False, default=str)
    for secret in secrets_of(world.volunteers):
        assert secret not in audit_text
        assert secret not in history_text
    history_fields = {f.name for f in Volunteer.history.model._meta.get_fields()}
    assert not {"id_number", "phone"} & history_fields


def test_the_search_finds_full_numbers_where_the_permission_shows_them(world, users):
    # The same search as above does find the numbers on a page that shows them in full.
    user = users["admin"]
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client = Client()
    client.force_login(user)
    text = body_text(client.get("/admin/volunteers/volunteer/"))
    assert world.volunteers[0].id_number in text
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA, user=user).exists()
