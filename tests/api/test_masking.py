"""Volunteers' ID numbers and phones are read back masked; unmasking is allowed to few and audited."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import AuditAction, AuditLog

from . import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(admin_client):
    body = data.volunteer(serial=42, phone="13812345678")
    response = admin_client.post("/api/v1/volunteers/", body, format="json")
    assert response.status_code == 201
    return body["id_number"], response.json()


def test_create_answers_masked_values(volunteer):
    number, answer = volunteer
    assert answer["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert answer["phone"] == "138****5678"
    assert "id_number" not in answer


def test_list_and_detail_never_show_the_full_numbers(clients, volunteer):
    number, answer = volunteer
    for name in ("admin", "prefecture", "staff"):
        for url in ("/api/v1/volunteers/", f"/api/v1/volunteers/{answer['id']}/"):
            body = clients[name].get(url).content.decode()
            assert number not in body and "13812345678" not in body
            assert "138****5678" in body


def test_unmask_is_refused_without_the_permission(clients, volunteer):
    _number, answer = volunteer
    response = clients["prefecture"].get(f"/api/v1/volunteers/{answer['id']}/", {"unmask": 1})
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).exists()


def test_unmask_by_an_allowed_user_is_audited_without_the_number(clients, users, volunteer):
    number, answer = volunteer
    users["prefecture"].user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    from .conftest import client_for

    client = client_for(type(users["prefecture"]).objects.get(pk=users["prefecture"].pk))
    detail = client.get(f"/api/v1/volunteers/{answer['id']}/", {"unmask": "1"})
    assert detail.status_code == 200
    assert detail.json()["id_number"] == number
    assert detail.json()["phone"] == "13812345678"
    listing = client.get("/api/v1/volunteers/", {"unmask": "1"})
    assert listing.json()["results"][0]["id_number"] == number
    logs = AuditLog.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA)
    assert logs.count() == 2
    assert all(log.username == "api_pref" and log.detail["ids"] == [answer["id"]] for log in logs)
    assert number not in str(list(logs.values_list("detail", flat=True)))


def test_update_without_id_number_keeps_it(admin_client, volunteer):
    number, answer = volunteer
    body = data.volunteer(serial=42, name="张三丰")
    del body["id_number"]
    response = admin_client.put(f"/api/v1/volunteers/{answer['id']}/", body, format="json")
    assert response.status_code == 200, response.content
    from volunteers.models import Volunteer

    assert Volunteer.objects.get(pk=answer["id"]).id_number == number


def test_history_keeps_no_personal_data(admin_client, volunteer):
    number, answer = volunteer
    from volunteers.models import Volunteer

    history = Volunteer.history.model
    assert (
        not hasattr(history, "id_number") or not history.objects.filter(id_number=number).exists()
    )
