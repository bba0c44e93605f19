"""The API of API.md's Assessment section: paths, fields, enums, steps with versions, scope,
and the ranking's query count, which does not grow with the number of units."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessment import services
from assessment.models import Assessment, Scheme
from streets.models import Division
from tests.factories import make_hierarchy

from .helpers import ITEMS, build_province, make_scheme, take_through, users

pytestmark = pytest.mark.django_db

# The scheme, its items, the rounds, their scores, last year's scheme and its totals.
PINNED_RANKING_QUERIES = 6


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world():
    build_province()
    u = users()
    scheme = make_scheme(user=u["admin"])
    services.scheme_launch(scheme=scheme, user=u["admin"])
    return {"u": u, "scheme": scheme}


def test_a_scheme_is_created_with_its_items_by_an_administrator(db):
    u = users()
    body = {
        "year": 2014,
        "level": "county",
        "name": "2014年度考核",
        "base_score": "100",
        "excellent_quota": "0.2000",
        "grades": [
            {"grade": "excellent", "min_score": "90"},
            {"grade": "good", "min_score": "80"},
            {"grade": "pass", "min_score": "60"},
            {"grade": "fail", "min_score": "0"},
        ],
        "items": ITEMS,
    }
    assert (
        client_for(u["prefecture"])
        .post("/api/v1/assessment-schemes/", body, format="json")
        .status_code
        == 403
    )
    response = client_for(u["admin"]).post("/api/v1/assessment-schemes/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) >= {
        "id",
        "year",
        "level",
        "name",
        "base_score",
        "grades",
        "excellent_quota",
        "items",
    }
    assert data["items"][0] == {
        "code": "stations",
        "name": "社区服务站建设",
        "points": "40.00",
        "method": "indicator_rate",
        "params": {"indicator": "community_station", "full_at": "0.8", "zero_below": "0.4"},
        "standard": "",
    }
    assert [g["grade"] for g in data["grades"]] == ["excellent", "good", "pass", "fail"]
    listed = (
        client_for(u["county"]).get("/api/v1/assessment-schemes/?year=2014&level=county").json()
    )
    assert listed["count"] == 1


def test_an_item_without_a_source_answers_400_in_chinese(db):
    u = users()
    body = {
        "year": 2015,
        "level": "county",
        "name": "x",
        "base_score": "100",
        "items": [dict(ITEMS[0], points="40", params={"indicator": "nope"}), *ITEMS[1:]],
    }
    response = client_for(u["admin"]).post("/api/v1/assessment-schemes/", body, format="json")
    assert response.status_code == 400
    assert "没有数据来源" in " ".join(response.json()["items"])
    assert not Scheme.objects.exists()


def test_an_unknown_method_answers_400(db):
    u = users()
    body = {
        "year": 2015,
        "level": "county",
        "name": "x",
        "base_score": "100",
        "items": [dict(ITEMS[0], method="guess")],
    }
    response = client_for(u["admin"]).post("/api/v1/assessment-schemes/", body, format="json")
    assert response.status_code == 400
    assert "items" in response.json()


def test_an_assessment_has_the_fields_of_the_contract(world):
    u = world["u"]
    a = Assessment.objects.get(unit_code="620102")
    data = client_for(u["county"]).get(f"/api/v1/assessments/{a.pk}/").json()
    assert set(data) >= {"id", "scheme", "unit_code", "status", "scores", "total", "grade", "rank"}
    assert data["status"] == "self_assessment" and data["rank"] is None
    first = data["scores"][0]
    assert set(first) >= {"item", "computed", "score", "reason", "evidence"}
    assert (first["item"], first["computed"], first["score"]) == ("stations", "10.00", None)


def test_the_steps_take_versions_and_a_stale_one_is_409(world):
    u = world["u"]
    a = Assessment.objects.get(unit_code="620102")
    county = client_for(u["county"])
    url = f"/api/v1/assessments/{a.pk}/"
    saved = county.patch(
        url, {"version": a.version, "scores": [{"item": "records", "score": "50"}]}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    stale = county.post(url + "submit/", {"version": a.version}, format="json")
    assert stale.status_code == 409
    done = county.post(url + "submit/", {"version": saved.json()["version"]}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "scoring"
    assert (
        county.post(
            url + "score/", {"scores": [{"item": "records", "score": "50"}]}, format="json"
        ).status_code
        == 403
    )
    bad = client_for(u["prefecture"]).post(
        url + "score/",
        {"scores": [{"item": "records", "score": "50"}, {"item": "stations", "score": "20"}]},
        format="json",
    )
    assert bad.status_code == 400 and "调整自动计分必须说明理由" in " ".join(bad.json()["scores"])
    scored = (
        client_for(u["prefecture"])
        .post(
            url + "score/",
            {
                "scores": [
                    {"item": "records", "score": "50"},
                    {"item": "stations", "score": "20", "reason": "核减重复统计"},
                ]
            },
            format="json",
        )
        .json()
    )
    stations = next(s for s in scored["scores"] if s["item"] == "stations")
    assert (stations["computed"], stations["score"], stations["reason"]) == (
        "10.00",
        "20.00",
        "核减重复统计",
    )
    admin = client_for(u["admin"])
    assert admin.post(url + "finalise/", {}, format="json").status_code == 400  # not reviewed yet
    assert admin.post(url + "review/", {}, format="json").status_code == 200
    final = admin.post(url + "finalise/", {}, format="json").json()
    assert (final["status"], final["rank"], final["total"]) == ("final", 1, "70.00")


def test_a_neighbouring_county_gets_404_before_finalisation(world):
    u = world["u"]
    a = Assessment.objects.get(unit_code="620102")
    neighbour = client_for(u["neighbour"])
    assert neighbour.get(f"/api/v1/assessments/{a.pk}/").status_code == 404
    assert (
        neighbour.post(f"/api/v1/assessments/{a.pk}/submit/", {}, format="json").status_code == 404
    )
    listed = neighbour.get("/api/v1/assessments/?scope=6201").json()
    assert [r["unit_code"] for r in listed["results"]] == ["620103"]
    take_through(a, u)
    assert neighbour.get(f"/api/v1/assessments/{a.pk}/").status_code == 200


def test_the_ranking_lists_units_by_rank_with_item_scores(world):
    u = world["u"]
    take_through(Assessment.objects.get(unit_code="620103"), u, records="55")
    take_through(Assessment.objects.get(unit_code="620102"), u, records="60")
    data = (
        client_for(u["admin"])
        .get(f"/api/v1/assessment-schemes/{world['scheme'].pk}/ranking/")
        .json()
    )
    rows = data["results"]
    assert [(r["unit_code"], r["rank"], r["grade"]) for r in rows] == [
        ("620103", 1, "excellent"),
        ("620102", 2, "pass"),
        ("620201", None, "fail"),
    ]
    assert rows[0]["scores"] == {
        "stations": "40.00",
        "records": "55.00",
        "innovation": "0.00",
        "incidents": "0.00",
        "veto": "0.00",
    }
    assert rows[0]["total"] == "95.00"


def ranking_queries(client, scheme) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/assessment-schemes/{scheme.pk}/ranking/")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_rankings_query_count_does_not_grow_with_the_units(world):
    u = world["u"]
    client = client_for(u["admin"])
    last = make_scheme(user=u["admin"], year=2014)
    services.scheme_launch(scheme=last, user=u["admin"])
    small, count = ranking_queries(client, world["scheme"])
    assert count == 3
    for n in range(4, 12):
        make_hierarchy(prefecture="6201", county=f"6201{n:02d}", street=f"6201{n:02d}001")
    services.scheme_launch(scheme=world["scheme"], user=u["admin"])
    large, count = ranking_queries(client, world["scheme"])
    assert count == 11 and Division.objects.filter(level="county").count() == 11
    assert large == small
    assert small == PINNED_RANKING_QUERIES, small


def test_staff_may_not_enter_scores(world):
    u = world["u"]
    a = Assessment.objects.get(unit_code="620102")
    response = client_for(u["staff"]).patch(
        f"/api/v1/assessments/{a.pk}/",
        {"scores": [{"item": "records", "score": "1"}]},
        format="json",
    )
    assert response.status_code == 403
    assert Assessment.objects.get(pk=a.pk).total == D("10.00")
