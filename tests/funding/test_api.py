"""The API of API.md ("Money and yearly targets"): budget-lines, yearly-targets, funding/,
and the compliance answer's year_target, year_target_source and on_track."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from funding.models import YearlyTarget
from targets.models import Plan
from tests.factories import make_facility, make_stat, make_user

from .helpers import line, world

pytestmark = pytest.mark.django_db

BUDGET_FIELDS = {
    "region_code",
    "year",
    "cost_type",
    "source",
    "budgeted_wan_yuan",
    "allocated_wan_yuan",
    "spent_wan_yuan",
    "status",
    "version",
}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_budget_lines_write_submit_approve_and_filter():
    world()
    county = client_for(make_user("cg", role="official", scope_code="620102"))
    lanzhou = client_for(make_user("lz", role="official", scope_code="6201"))
    body = {
        "region_code": "620102",
        "year": 2013,
        "cost_type": "worker_pay",
        "source": "fiscal",
        "budgeted_wan_yuan": "120.5",
        "allocated_wan_yuan": "100",
        "spent_wan_yuan": "90.25",
    }
    response = county.post("/api/v1/budget-lines/", body, format="json")
    assert response.status_code == 201, response.json()
    row = response.json()
    assert BUDGET_FIELDS <= set(row)
    assert row["budgeted_wan_yuan"] == "120.50" and row["spent_wan_yuan"] == "90.25"
    assert row["status"] == "draft" and row["version"] == 1
    assert (
        county.post(
            "/api/v1/budget-lines/", {**body, "region_code": "6201"}, format="json"
        ).status_code
        == 403
    )
    duplicate = county.post("/api/v1/budget-lines/", body, format="json")
    assert duplicate.status_code == 400
    pk = row["id"]
    assert (
        county.post(f"/api/v1/budget-lines/{pk}/submit/", {"version": 1}, format="json").status_code
        == 200
    )
    assert county.post(f"/api/v1/budget-lines/{pk}/approve/", {}, format="json").status_code == 403
    approved = lanzhou.post(f"/api/v1/budget-lines/{pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert (
        county.patch(
            f"/api/v1/budget-lines/{pk}/", {"spent_wan_yuan": "1"}, format="json"
        ).status_code
        == 403
    )
    for query, count in (
        ({"cost_type": "worker_pay"}, 1),
        ({"source": "social"}, 0),
        ({"scope": "620102", "year": 2013}, 1),
        ({"region_code": "6201"}, 0),
    ):
        assert len(lanzhou.get("/api/v1/budget-lines/", query).json()["results"]) == count, query
    assert county.get("/api/v1/budget-lines/", {"cost_type": "bogus"}).status_code == 400


def test_yearly_targets_api():
    world()
    admin = client_for(make_user("a", role="admin"))
    lanzhou = client_for(make_user("lz", role="official", scope_code="6201"))
    body = {
        "plan": "12th-five-year",
        "indicator": "community_station",
        "region_code": "6201",
        "year": 2013,
        "rate": "0.7",
    }
    created = admin.post("/api/v1/yearly-targets/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["rate"] == "0.7000"
    assert set(created.json()) >= {"id", "plan", "indicator", "region_code", "year", "rate"}
    lower = lanzhou.post(
        "/api/v1/yearly-targets/", {**body, "region_code": "620102", "rate": "0.5"}, format="json"
    )
    assert lower.status_code == 400 and "rate" in lower.json()
    higher = lanzhou.post(
        "/api/v1/yearly-targets/", {**body, "region_code": "620102", "rate": "0.8"}, format="json"
    )
    assert higher.status_code == 201
    assert (
        lanzhou.post("/api/v1/yearly-targets/", {**body, "year": 2014}, format="json").status_code
        == 403
    )
    listed = admin.get(
        "/api/v1/yearly-targets/", {"plan": "12th-five-year", "scope": "620102"}
    ).json()
    assert [r["region_code"] for r in listed["results"]] == ["620102"]


def test_funding_summary_shape():
    a, _, _ = world()
    make_stat(a, 2013, households=1000, residents=3000)
    line("6201", 2012, budgeted="100")
    line("6201", 2013, budgeted="100")
    line("620102", 2013, "informatisation", "social", budgeted="50", allocated="40", spent="30")
    client = client_for(make_user("lz", role="official", scope_code="6201"))
    body = client.get("/api/v1/funding/", {"scope": "6201", "year": 2013}).json()
    assert set(body) >= {
        "scope",
        "year",
        "own",
        "below",
        "special_fund",
        "per_100_households",
        "children",
    }
    assert body["own"]["budgeted"] == "100.00"
    assert set(body["own"]) == {"budgeted", "allocated", "spent", "by_cost_type", "by_source"}
    assert set(body["own"]["by_cost_type"]) == {
        "facilities",
        "worker_pay",
        "running",
        "informatisation",
    }
    assert set(body["own"]["by_source"]) == {"fiscal", "transfer", "service_income", "social"}
    assert body["below"]["by_source"]["social"]["spent"] == "30.00"
    assert body["special_fund"] == {"this_year": "100.00", "last_year": "100.00", "trend": "flat"}
    assert body["per_100_households"] == "13.00"  # (100 + 30) × 100 ÷ 1000
    assert [c["code"] for c in body["children"]] == ["620102", "620103"]
    assert body["children"][0]["special_fund"]["trend"] == "missing"
    assert client.get("/api/v1/funding/", {"scope": "6202"}).status_code == 404
    assert client.get("/api/v1/funding/", {"scope": "620102001001"}).status_code == 400


def test_compliance_gains_year_target_and_on_track():
    a, b, c = world()
    for community in (a, b, c):
        make_stat(community, 2013)
    make_facility(community=a, area="400")  # one of 兰州's three communities has a station
    plan = Plan.objects.get(code="12th-five-year")
    YearlyTarget.objects.create(
        plan=plan, indicator="community_station", region_code="6201", year=2013, rate=Decimal("0.3")
    )
    YearlyTarget.objects.create(
        plan=plan,
        indicator="community_station",
        region_code="620103",
        year=2013,
        rate=Decimal("0.5"),
    )
    client = client_for(make_user("lz", role="official", scope_code="6201"))
    body = client.get("/api/v1/compliance/", {"scope": "6201", "year": 2013}).json()
    station = next(i for i in body["indicators"] if i["code"] == "community_station")
    assert station["rate"] == "0.3333"
    assert station["year_target"] == "0.3000"
    assert station["year_target_source"] == "set"
    assert station["on_track"] is True
    children = {
        ch["code"]: next(i for i in ch["indicators"] if i["code"] == "community_station")
        for ch in body["children"]
    }
    assert children["620102"]["year_target"] == "0.3000"  # inherited from 兰州
    assert children["620102"]["on_track"] is True  # 1 of 2
    assert children["620103"]["year_target"] == "0.5000"
    assert children["620103"]["on_track"] is False  # 0 of 1
    other = next(i for i in body["indicators"] if i["code"] == "registered_volunteers")
    # no target set: the straight line from 2010's rate (0 of 3) to 1 in 2015
    assert other["year_target_source"] == "straight_line"
    assert other["year_target"] == "0.6000"
    assert other["rate"] == "0.0000" and other["on_track"] is False
    # every existing field is still there
    assert {
        "code",
        "threshold",
        "applicable",
        "compliant",
        "missing",
        "rate",
        "value",
        "gap",
    } <= set(station)
    target_year = client.get("/api/v1/compliance/", {"scope": "6201", "year": 2015}).json()
    item = next(i for i in target_year["indicators"] if i["code"] == "community_station")
    assert item["year_target"] == "1.0000" and item["year_target_source"] == "straight_line"
    before = client.get("/api/v1/compliance/", {"scope": "6201", "year": 2009}).json()
    item = next(i for i in before["indicators"] if i["code"] == "community_station")
    assert item["year_target"] is None and item["year_target_source"] is None
    assert item["on_track"] is None
