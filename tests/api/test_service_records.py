"""The API of the volunteer record (API.md, "Volunteer record"): service-records/ and volunteers' hours."""

import datetime
from decimal import Decimal

import pytest

from tests.api.conftest import INSIDE, OUTSIDE, client_for
from tests.model_rules import valid_id_number
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization

URL = "/api/v1/service-records/"


@pytest.fixture
def volunteers(hierarchy):
    def make(code, serial):
        return Volunteer.objects.create(
            community_id=code,
            name=f"志愿者{serial}",
            gender="female",
            id_number=valid_id_number(serial=serial),
            registered_on=datetime.date(2012, 1, 1),
        )

    return {"a": make(INSIDE, 41), "b": make(INSIDE, 42), "out": make(OUTSIDE, 43)}


def body(volunteer, **extra):
    data = {
        "volunteer": volunteer.pk,
        "activity": "敬老院探访",
        "served_on": "2015-09-09",
        "hours": "3.5",
        "category": "elderly",
        "place": "敬老院",
        "people_served": 20,
        "beneficiaries": "老人",
        "content": "陪伴聊天",
        "leader": "李队长",
        "rating": "excellent",
    }
    data.update(extra)
    return data


def test_create_answers_the_contract_fields_and_names_the_recorder(clients, volunteers):
    response = clients["staff"].post(URL, body(volunteers["a"]), format="json")
    assert response.status_code == 201, response.data
    data = response.json()
    for key in (
        "id",
        "volunteer",
        "organization",
        "activity",
        "served_on",
        "place",
        "people_served",
        "beneficiaries",
        "content",
        "hours",
        "category",
        "leader",
        "rating",
        "status",
        "recorder",
        "version",
    ):
        assert key in data, key
    assert data["hours"] == "3.5"
    assert data["status"] == "recorded"
    assert data["recorder"] == "api_staff"
    assert data["organization"] is None


def test_status_and_recorder_cannot_be_written(clients, volunteers):
    response = clients["staff"].post(
        URL, body(volunteers["a"], status="confirmed", recorder="x"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "recorded"


@pytest.mark.parametrize("hours", ["0", "24.5", "abc", "2.25"])
def test_bad_hours_are_400(clients, volunteers, hours):
    response = clients["staff"].post(URL, body(volunteers["a"], hours=hours), format="json")
    assert response.status_code == 400
    assert "hours" in response.json()


def test_confirm_by_the_recorder_is_403_and_by_a_colleague_200(clients, users, volunteers):
    record_id = clients["staff"].post(URL, body(volunteers["a"]), format="json").json()["id"]
    assert clients["staff"].post(f"{URL}{record_id}/confirm/", {}, format="json").status_code == 403
    response = clients["street_staff"].post(
        f"{URL}{record_id}/confirm/", {"version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    again = clients["admin"].post(f"{URL}{record_id}/confirm/", {}, format="json")
    assert again.status_code == 400


def test_stale_version_is_409(clients, volunteers):
    record_id = clients["staff"].post(URL, body(volunteers["a"]), format="json").json()["id"]
    response = clients["street_staff"].post(
        f"{URL}{record_id}/confirm/", {"version": 9}, format="json"
    )
    assert response.status_code == 409


def test_dispute_and_refuse_need_a_reason(clients, volunteers):
    record_id = clients["staff"].post(URL, body(volunteers["a"]), format="json").json()["id"]
    assert (
        clients["staff"]
        .post(f"{URL}{record_id}/dispute/", {"reason": ""}, format="json")
        .status_code
        == 400
    )
    disputed = clients["staff"].post(
        f"{URL}{record_id}/dispute/", {"reason": "时长记错"}, format="json"
    )
    assert disputed.json()["status"] == "disputed"
    refused = clients["street_staff"].post(
        f"{URL}{record_id}/refuse/", {"reason": "查无此次活动"}, format="json"
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"


def test_a_record_outside_the_scope_is_404(clients, volunteers):
    record = ServiceRecord.objects.create(
        volunteer=volunteers["out"],
        served_on=datetime.date(2015, 1, 1),
        hours=Decimal("2"),
        category="elderly",
        activity="x",
    )
    assert clients["staff"].get(f"{URL}{record.pk}/").status_code == 404
    assert clients["staff"].post(f"{URL}{record.pk}/confirm/", {}, format="json").status_code == 404


def test_filters(clients, volunteers):
    clients["staff"].post(URL, body(volunteers["a"], served_on="2014-01-01"), format="json")
    clients["staff"].post(URL, body(volunteers["b"], served_on="2015-06-01"), format="json")
    get = lambda **p: clients["admin"].get(URL, p).json()["count"]  # noqa: E731
    assert get(volunteer=volunteers["a"].pk) == 1
    assert get(served_from="2015-01-01") == 1
    assert get(served_to="2014-12-31") == 1
    assert get(status="recorded") == 2
    assert get(status="confirmed") == 0
    assert get(community_code=INSIDE) == 2
    assert get(scope="6202") == 0


def test_bulk_entry_is_all_or_nothing(clients, volunteers):
    payload = {
        "activity": "清洁家园",
        "served_on": "2015-05-01",
        "category": "environment",
        "volunteers": [
            {"volunteer": volunteers["a"].pk, "hours": "2"},
            {"volunteer": volunteers["b"].pk, "hours": "30"},
        ],
    }
    response = clients["staff"].post(f"{URL}bulk/", payload, format="json")
    assert response.status_code == 400
    assert "hours" in response.json()["volunteers"]["1"]
    assert not ServiceRecord.objects.exists()
    payload["volunteers"][1]["hours"] = "2.5"
    response = clients["staff"].post(f"{URL}bulk/", payload, format="json")
    assert response.status_code == 201
    assert [r["hours"] for r in response.json()] == ["2.0", "2.5"]
    assert ServiceRecord.objects.filter(activity="清洁家园").count() == 2


def test_bulk_entry_cannot_reach_outside_and_officials_may_not(clients, volunteers):
    payload = {
        "activity": "x",
        "served_on": "2015-05-01",
        "category": "environment",
        "volunteers": [{"volunteer": volunteers["out"].pk, "hours": "2"}],
    }
    assert clients["staff"].post(f"{URL}bulk/", payload, format="json").status_code == 400
    assert clients["county"].post(f"{URL}bulk/", payload, format="json").status_code == 403
    assert not ServiceRecord.objects.exists()


def test_volunteers_gain_confirmed_hours_this_year_and_star_level(clients, volunteers):
    this_year = datetime.date.today().year
    for day, hours, status in (
        (datetime.date(2014, 1, 1), "24", "confirmed"),
        (datetime.date(this_year, 1, 2), "6", "confirmed"),
        (datetime.date(this_year, 1, 3), "24", "recorded"),
    ):
        ServiceRecord.objects.create(
            volunteer=volunteers["a"],
            served_on=day,
            hours=Decimal(hours),
            category="elderly",
            activity="x",
            status=status,
        )
    for _ in range(3):
        ServiceRecord.objects.create(
            volunteer=volunteers["a"],
            served_on=datetime.date(2013, 1, 1),
            hours=Decimal("24"),
            category="elderly",
            activity="x",
            status="confirmed",
        )
    row = clients["staff"].get(f"/api/v1/volunteers/{volunteers['a'].pk}/").json()
    assert row["confirmed_hours"] == "102.0"
    assert row["hours_this_year"] == "6.0"
    assert row["star_level"] == 1
    listed = clients["staff"].get("/api/v1/volunteers/", {"star_level": 1}).json()
    assert [r["id"] for r in listed["results"]] == [volunteers["a"].pk]
    active = clients["staff"].get("/api/v1/volunteers/", {"active": "true"}).json()
    assert [r["id"] for r in active["results"]] == [volunteers["a"].pk]


def test_organisations_gain_registration_and_activity(clients, hierarchy):
    response = clients["staff"].post(
        "/api/v1/volunteer-organizations/",
        {
            "community_code": INSIDE,
            "name": "青年志愿服务队",
            "registered_on": "2012-01-01",
            "registration_status": "registered",
            "registration_number": "",
            "manager_name": "赵队长",
        },
        format="json",
    )
    assert response.status_code == 400 and "registration_number" in response.json()
    response = clients["staff"].post(
        "/api/v1/volunteer-organizations/",
        {
            "community_code": INSIDE,
            "name": "青年志愿服务队",
            "registered_on": "2012-01-01",
            "registration_status": "registered",
            "registration_number": "甘民登0001",
            "manager_name": "赵队长",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    data = response.json()
    assert data["registration_status"] == "registered"
    assert data["volunteer_count"] == 0 and data["hours_this_year"] == "0.0"
    org = VolunteerOrganization.objects.get(name="青年志愿服务队")
    assert org.manager_name == "赵队长"


def test_anonymous_is_401(hierarchy):
    assert client_for(None).get(URL).status_code in (401, 403)
