"""The API of the contract: cases, their steps (400/403/404/409), masking, measures."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuditLog

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_case(client, community, **extra):
    body = {
        "community_code": community.code,
        "category": "help",
        "channel": "phone",
        "description": "下水道堵塞",
        "resident_name": "李四",
        "resident_phone": "13912345678",
        "address": "三号楼",
        "accepted_on": "2015-09-30",
        **extra,
    }
    return client.post("/api/v1/cases/", body, format="json")


def test_register_and_read_back_masked(community, users):
    desk = client_for(users["desk"])
    response = new_case(desk, community)
    assert response.status_code == 201, response.data
    data = response.data
    assert data["number"] == f"{community.code}20150930001"
    assert data["due_on"] == "2015-10-13"
    assert data["calendar_note"] is None
    assert data["status"] == "registered"
    assert data["resident_name_masked"] == "李*"
    assert data["resident_phone_masked"] == "139****5678"
    assert "resident_name" not in data and "resident_phone" not in data
    assert data["is_overdue"] is True  # 2015 is long past


def test_unmask_needs_the_permission_and_is_audited(community, users):
    desk = client_for(users["desk"])
    case_id = new_case(desk, community).data["id"]
    assert desk.get(f"/api/v1/cases/{case_id}/?unmask=1").status_code == 403
    from django.contrib.auth.models import Permission

    users["desk"].user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    from accounts.models import User

    desk = client_for(User.objects.get(pk=users["desk"].pk))
    data = desk.get(f"/api/v1/cases/{case_id}/?unmask=1").data
    assert data["resident_phone_masked"] == "13912345678"
    assert AuditLog.objects.filter(action="view_personal_data").exists()


def test_steps_through_the_api(community, units, users):
    desk = client_for(users["desk"])
    case = new_case(desk, community).data
    url = f"/api/v1/cases/{case['id']}"
    # 409 on a stale version, 400 on a wrong state, 403 for a wrong unit.
    stale = desk.post(
        f"{url}/dispatch/", {"handling_unit": units["street"].pk, "version": 9}, format="json"
    )
    assert stale.status_code == 409
    assert desk.post(f"{url}/accept/", {}, format="json").status_code == 403
    admin = client_for(users["admin"])
    wrong = admin.post(f"{url}/accept/", {}, format="json")
    assert wrong.status_code == 400 and "签收" in str(wrong.data)
    ok = desk.post(
        f"{url}/dispatch/", {"handling_unit": units["street"].pk, "version": 1}, format="json"
    )
    assert ok.status_code == 200 and ok.data["status"] == "dispatched"
    assert ok.data["handling_unit"] == units["street"].pk
    street = client_for(users["street_staff"])
    assert desk.post(f"{url}/accept/", {}, format="json").status_code == 403
    assert street.post(f"{url}/accept/", {}, format="json").data["status"] == "in_progress"
    ext = street.post(f"{url}/extend/", {"working_days": 2, "reason": "需协调"}, format="json")
    assert ext.status_code == 200
    county = client_for(users["county_official"])
    assert street.post(f"{url}/grant-extension/", {}, format="json").status_code == 403
    granted = county.post(f"{url}/grant-extension/", {}, format="json")
    assert granted.status_code == 200 and granted.data["due_on"] == "2015-10-15"
    assert county.post(f"{url}/urge/", {"note": "抓紧"}, format="json").status_code == 200
    assert street.post(f"{url}/resolve/", {"resolution": ""}, format="json").status_code == 400
    done = street.post(f"{url}/resolve/", {"resolution": "已疏通"}, format="json")
    assert done.data["status"] == "resolved"
    rated = desk.post(f"{url}/rate/", {"satisfaction": "dissatisfied"}, format="json")
    assert rated.data["status"] == "in_progress" and rated.data["reopen_count"] == 1
    back = street.post(f"{url}/send-back/", {"reason": "非本单位职责"}, format="json")
    assert back.data["status"] == "returned"
    esc = desk.post(f"{url}/escalate/", {"reason": "x"}, format="json")
    assert esc.status_code in (400, 403)


def test_outside_scope_is_404(community, users):
    desk = client_for(users["desk"])
    case_id = new_case(desk, community).data["id"]
    other = client_for(users["other_pref"])
    assert other.get(f"/api/v1/cases/{case_id}/").status_code == 404
    assert other.post(f"/api/v1/cases/{case_id}/urge/", {}, format="json").status_code == 404
    neighbour = client_for(users["neighbour"])
    assert new_case(neighbour, community).status_code == 403


def test_filters(community, units, users):
    desk = client_for(users["desk"])
    new_case(desk, community)
    new_case(desk, community, category="consultation", accepted_on="2014-03-03")
    rows = desk.get("/api/v1/cases/?category=consultation").data["results"]
    assert len(rows) == 1
    assert len(desk.get("/api/v1/cases/?accepted_from=2015-01-01").data["results"]) == 1
    assert len(desk.get("/api/v1/cases/?is_overdue=true").data["results"]) == 2
    assert len(desk.get("/api/v1/cases/?status=closed").data["results"]) == 0


def test_categories_and_units(users, units):
    admin = client_for(users["admin"])
    cats = admin.get("/api/v1/case-categories/").data
    assert {c["code"] for c in cats} == {
        "consultation",
        "help",
        "suggestion",
        "complaint",
        "report",
    }
    changed = admin.patch(
        "/api/v1/case-categories/help/", {"time_limit_working_days": 6}, format="json"
    )
    assert changed.status_code == 200
    desk = client_for(users["desk"])
    assert (
        desk.patch(
            "/api/v1/case-categories/help/", {"time_limit_working_days": 1}, format="json"
        ).status_code
        == 403
    )
    county = client_for(users["county_official"])
    made = county.post(
        "/api/v1/handling-units/", {"code": "620102", "department": "县人社局"}, format="json"
    )
    assert made.status_code == 201 and made.data["name"] == "县620102县人社局"
    outside = county.post(
        "/api/v1/handling-units/", {"code": "620201", "department": "县人社局"}, format="json"
    )
    assert outside.status_code == 403
    # A community's staff see the units above them, where requests may be sent.
    codes = {u["code"] for u in desk.get("/api/v1/handling-units/").data["results"]}
    assert {"620102016", "620102"} <= codes


def test_measures_endpoint(community, users):
    desk = client_for(users["desk"])
    new_case(desk, community)
    body = desk.get(f"/api/v1/casework/measures/?scope={community.code}&year=2015").data
    assert body["received"] == 1 and body["open"] == 1 and body["overdue_open"] == 1
    assert body["period"] == "2015"
    assert body["on_time_rate"] is None
    assert desk.get("/api/v1/casework/measures/?month=2015-09").data["received"] == 1
    assert desk.get("/api/v1/casework/measures/?quarter=2015-Q3").data["received"] == 1
    assert desk.get("/api/v1/casework/measures/?month=2015-13").status_code == 400
    assert desk.get("/api/v1/casework/measures/?scope=6202&year=2015").status_code == 404
