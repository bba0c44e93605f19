"""The compliance and plan endpoints: shapes and number formats of API.md, scope and errors."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from targets.engine import compute_region
from targets.models import Plan
from targets.payload import region_payload
from targets.plans import current_plan
from targets.registry import INDICATORS
from tests.factories import make_hierarchy, make_stat, make_user

from .builders import facility, social_orgs, volunteers, worker

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/"


@pytest.fixture
def data():
    """Two communities in 兰州 (one street, one town) and one in 嘉峪关."""
    a, b = make_hierarchy(communities=2)
    (t,) = make_hierarchy(street="620102101", kind="town")
    (j,) = make_hierarchy(prefecture="6202", county="620201", street="620201001")
    make_stat(a, households=1000, residents=3000, residents_volunteering=900)
    make_stat(b, households=500, residents=1200, residents_volunteering=300)
    facility(kind="centre", street=a.street, area="812.5")
    facility(kind="centre", street=t.street, area="300")
    facility(community=a, area="320")
    facility(community=b, area="180")
    volunteers(a, 300)
    volunteers(b, 100)
    social_orgs(a, 5)
    worker(a, education="bachelor", qualification="assistant")
    return {"a": a, "b": b, "t": t, "j": j}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def admin():
    return make_user("prov", role="admin", scope_code="62")


@pytest.fixture
def lanzhou():
    return make_user("lz", role="official", scope_code="6201")


def test_compliance_has_the_shape_of_api_md(data, admin):
    response = client_for(admin).get(URL, {"scope": "62", "year": 2015, "plan": "12th-five-year"})
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"code": "62", "name": "甘肃省", "level": "province"}
    assert body["year"] == 2015
    assert body["plan"]["code"] == "12th-five-year" and body["plan"]["name"] == "十二五"
    assert body["plan"]["target_year"] == 2015
    assert [i["code"] for i in body["indicators"]] == [i.code for i in INDICATORS]
    centre = body["indicators"][0]
    assert centre == centre | {
        "code": "street_centre",
        "name": "街道社区服务中心面积不低于800平方米",
        "threshold": "800",
        "applicable": 2,  # 620102016 and 620201001; the town is not held to it
        "compliant": 1,
        "missing": 0,
        "rate": "0.5000",
        "value": None,
        "gap": "800.00",
    }
    assert set(body["fully_compliant_communities"]) == {"count", "rate"}
    assert body["baseline"][0]["code"] == "streets_with_centre"
    assert {"code", "count", "rate"} <= set(body["baseline"][0])
    assert [c["code"] for c in body["children"]] == ["6201", "6202"]
    child = body["children"][0]
    assert {"code", "name", "level", "indicators", "fully_compliant_communities"} <= set(child)
    assert child["level"] == "prefecture" and len(child["indicators"]) == 11


def test_compliance_numbers_are_formatted_as_api_md_says(data, admin):
    body = client_for(admin).get(URL, {"scope": "620102"}).json()
    by_code = {i["code"]: i for i in body["indicators"]}
    station = by_code["community_station"]
    assert (station["applicable"], station["compliant"], station["rate"]) == (3, 1, "0.3333")
    assert station["gap"] == "420.00"  # b lacks 120, t's community 300
    participation = by_code["resident_participation"]
    assert participation["value"] == "0.2857"  # 1200 of 4200
    assert participation["gap"] == "60"  # b: 360 − 300
    assert participation["missing"] == 1
    assert by_code["social_organizations"]["gap"] == "10"  # b and t lack 5 each
    # every in-service facility (two centres, two stations) × 100 ÷ households with statistics
    assert by_code["area_per_100_households"]["value"] == "107.5000"  # 1612.5 × 100 ÷ 1500
    assert body["fully_compliant_communities"] == {"count": 0, "rate": "0.0000"}


def test_compliance_json_equals_the_engine(data, lanzhou):
    body = client_for(lanzhou).get(URL, {"year": 2015}).json()
    expected = region_payload(compute_region(scope_code="6201", year=2015), current_plan())
    assert body == expected


def test_default_scope_is_the_callers_own(data, lanzhou):
    body = client_for(lanzhou).get(URL).json()
    assert body["scope"]["code"] == "6201" and body["year"] == 2015


def test_scope_outside_the_callers_is_404(data, lanzhou):
    assert client_for(lanzhou).get(URL, {"scope": "6202"}).status_code == 404
    assert client_for(lanzhou).get(URL, {"scope": "62"}).status_code == 404
    assert client_for(lanzhou).get(URL + "communities/", {"scope": "620201"}).status_code == 404
    assert client_for(lanzhou).get(URL + "streets/", {"scope": "62"}).status_code == 404


def test_staff_of_a_community_sees_only_their_community(data):
    staff = make_user("st", role="staff", scope_code=data["a"].code)
    client = client_for(staff)
    body = client.get(URL).json()
    assert body["scope"]["level"] == "community" and body["children"] == []
    assert client.get(URL, {"scope": data["b"].code}).status_code == 404


@pytest.mark.parametrize("scope", ["6299", "abc", "620102016999", "6", "6201020160011"])
def test_unknown_scope_is_404_like_a_scope_outside_the_callers(data, admin, lanzhou, scope):
    response = client_for(admin).get(URL, {"scope": scope})
    outside = client_for(lanzhou).get(URL, {"scope": "6202"})
    assert response.status_code == outside.status_code == 404
    assert response.json() == outside.json()
    assert "管辖范围" in response.json()["detail"]


@pytest.mark.parametrize(
    "year", ["1999", "2101", "abc", "2015.5", "-2015", "２０１５", "99999999999999999999"]
)
def test_year_outside_2000_to_2100_is_400(data, admin, year):
    response = client_for(admin).get(URL, {"year": year})
    assert response.status_code == 400
    assert response.json()["year"] == ["年度必须是2000至2100之间的整数。"]


@pytest.mark.parametrize("year", ["2000", "2100"])
def test_years_2000_and_2100_are_accepted(data, admin, year):
    assert client_for(admin).get(URL, {"year": year}).status_code == 200


def test_unknown_plan_is_400(data, admin):
    response = client_for(admin).get(URL, {"plan": "13th-five-year"})
    assert response.status_code == 400
    assert "未知的规划" in response.json()["plan"][0]


def test_anonymous_is_refused():
    response = APIClient().get(URL)
    assert response.status_code in (401, 403)
    assert APIClient().get("/api/v1/plans/").status_code in (401, 403)


def test_token_authentication_works(data, admin):
    from tests.factories import make_token

    token = make_token(admin)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(URL, {"scope": "6202"}).status_code == 200


def test_community_rows_are_paginated_with_their_verdicts(data, admin):
    response = client_for(admin).get(URL + "communities/", {"scope": "6201", "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    row = body["results"][0]
    assert row["code"] == data["a"].code and row["street_code"] == "620102016"
    assert list(row["indicators"]) == [i.code for i in INDICATORS if i.level == "community"]
    assert row["indicators"]["community_station"] == {
        "value": "320.00",
        "compliant": True,
        "applicable": True,
        "gap": "0.00",
    }
    assert row["indicators"]["registered_volunteers"]["value"] == "0.1000"
    assert row["indicators"]["social_organizations"]["value"] == "5"
    assert row["fully_compliant"] is False and row["missing_data"] is False
    last = (
        client_for(admin)
        .get(URL + "communities/", {"scope": "6201", "page": 2, "page_size": 2})
        .json()
    )
    town = last["results"][0]
    assert town["missing_data"] is True
    assert town["indicators"]["resident_participation"] == {
        "value": None,
        "compliant": False,
        "applicable": True,
        "gap": None,
    }


def test_community_rows_can_list_only_the_failing(data, admin):
    client = client_for(admin)
    body = client.get(
        URL + "communities/", {"scope": "6201", "failing": "community_station"}
    ).json()
    assert [r["code"] for r in body["results"]] == [data["b"].code, data["t"].code]
    response = client.get(URL + "communities/", {"failing": "street_centre"})
    assert response.status_code == 400 and "failing" in response.json()


def test_street_rows_hold_only_subdistricts_to_the_centre_target(data, admin):
    body = client_for(admin).get(URL + "streets/", {"scope": "620102"}).json()
    rows = {r["code"]: r for r in body["results"]}
    assert rows["620102016"]["indicators"] == {
        "street_centre": {"value": "812.50", "compliant": True, "applicable": True, "gap": "0.00"}
    }
    assert (
        rows["620102016"]["kind"] == "subdistrict" and rows["620102016"]["county_code"] == "620102"
    )
    town = rows["620102101"]["indicators"]["street_centre"]
    assert town == {"value": "300.00", "compliant": None, "applicable": False, "gap": None}


def test_rows_endpoints_validate_year_and_plan(data, admin):
    client = client_for(admin)
    assert client.get(URL + "streets/", {"year": "1800"}).status_code == 400
    assert client.get(URL + "communities/", {"plan": "nope"}).status_code == 400
    assert client.get(URL + "communities/", {"page": "999"}).status_code == 404


# plans/ -------------------------------------------------------------------------------------


def test_plans_are_listed_for_everyone_signed_in(lanzhou):
    body = client_for(lanzhou).get("/api/v1/plans/").json()
    plan = body["results"][0]
    assert plan["code"] == "12th-five-year" and plan["name"] == "十二五"
    assert (plan["start_year"], plan["target_year"]) == (2011, 2015)
    assert plan["thresholds"]["street_centre"] == "800"
    assert plan["thresholds"]["party_member_participation"] == "0.80"
    assert plan["baseline"]["communities_without_station"] == "124"
    assert client_for(lanzhou).get("/api/v1/plans/12th-five-year/").status_code == 200
    assert client_for(lanzhou).get("/api/v1/plans/nope/").status_code == 404


def test_only_admins_change_thresholds_and_the_engine_follows(data, admin, lanzhou):
    url = "/api/v1/plans/12th-five-year/"
    patch = {"thresholds": {"community_station": "180"}}
    assert client_for(lanzhou).patch(url, patch, format="json").status_code == 403
    response = client_for(admin).patch(url, patch, format="json")
    assert response.status_code == 200
    assert response.json()["thresholds"]["community_station"] == "180"
    assert response.json()["thresholds"]["street_centre"] == "800"  # the others keep theirs
    item = compute_region(scope_code="620102016", year=2015).indicator("community_station")
    assert item.threshold == Decimal("180") and item.compliant == 2


@pytest.mark.parametrize(
    "thresholds, words",
    [
        ({"nope": "1"}, "未知的指标代码"),
        ({"street_centre": "abc"}, "必须是数字"),
        ({"street_centre": "-5"}, "大于0"),
        ({"party_member_participation": "80"}, "0到1之间"),
    ],
)
def test_bad_thresholds_are_400_and_change_nothing(admin, thresholds, words):
    url = "/api/v1/plans/12th-five-year/"
    response = client_for(admin).patch(url, {"thresholds": thresholds}, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()["thresholds"])
    assert Plan.objects.get(code="12th-five-year").thresholds["street_centre"] == "800"


def test_admin_creates_a_new_current_plan(admin):
    body = {
        "code": "14th-five-year",
        "name": "十四五",
        "start_year": 2021,
        "target_year": 2025,
        "thresholds": {"area_per_100_households": "30"},
        "is_current": True,
    }
    response = client_for(admin).post("/api/v1/plans/", body, format="json")
    assert response.status_code == 201, response.json()
    plan = current_plan()
    assert plan.code == "14th-five-year"
    assert plan.thresholds["area_per_100_households"] == "30"
    assert plan.thresholds["community_station"] == "300"
    assert not Plan.objects.get(code="12th-five-year").is_current
    again = client_for(admin).post("/api/v1/plans/", body, format="json")
    assert again.status_code == 400 and "code" in again.json()


def test_target_year_before_start_year_is_400(admin):
    body = {"code": "x", "name": "x", "start_year": 2025, "target_year": 2021}
    response = client_for(admin).post("/api/v1/plans/", body, format="json")
    assert response.status_code == 400 and "target_year" in response.json()


def test_the_current_plan_cannot_be_deleted(admin):
    response = client_for(admin).delete("/api/v1/plans/12th-five-year/")
    assert response.status_code == 400
    assert Plan.objects.filter(code="12th-five-year").exists()


@pytest.mark.parametrize(
    "params",
    [
        {"scope": "62%"},
        {"scope": "62' OR '1'='1"},
        {"scope": "6" * 500},
        {"scope": "６２"},
        {"scope": "\x00"},
        {"year": "1e3"},
        {"year": " 2015 "},
        {"year": ""},
        {"plan": "../../etc"},
        {"plan": "x" * 300},
        {"plan": "\x00"},
        {"scope": "62\x00"},
        {"page": "-1"},
        {"page_size": "abc"},
        {"failing": "x" * 100},
    ],
)
def test_junk_parameters_never_answer_500(data, admin, params):
    client = client_for(admin)
    for path in ("", "communities/", "streets/"):
        response = client.get(URL + path, params)
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)


def test_the_schema_documents_the_compliance_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in (
        "/api/v1/compliance/",
        "/api/v1/compliance/communities/",
        "/api/v1/compliance/streets/",
    ):
        assert {"scope", "year", "plan"} <= {p["name"] for p in paths[path]["get"]["parameters"]}
    rows = paths["/api/v1/compliance/communities/"]["get"]["responses"]["200"]
    assert rows["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedCommunityRowList"
    )
    region = schema["components"]["schemas"]["Compliance"]["properties"]
    assert {
        "scope",
        "year",
        "plan",
        "indicators",
        "fully_compliant_communities",
        "baseline",
        "children",
    } <= set(region)
    assert {"get", "post"} <= set(paths["/api/v1/plans/"])


def test_without_any_plan_the_answer_says_so(data, admin):
    Plan.objects.all().delete()
    response = client_for(admin).get(URL)
    assert response.status_code == 400
    assert response.json()["plan"] == ["尚未设置任何规划，请省级管理员先添加规划。"]
