"""data=approved: statistics not approved at every level count as missing (API, dashboard, Excel)."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from communities.services import stat_approve, stat_submit
from tests.factories import make_stat

pytestmark = pytest.mark.django_db

PARTY = "party_volunteering"  # 党员参与志愿服务 (a statistics indicator)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def cycle(world):
    """home: approved at both levels; sibling: approved by the street only."""
    home = stat_approve(
        stat=stat_submit(stat=make_stat(world.home), user=world.admin), user=world.street_official
    )
    stat_approve(stat=home, user=world.county_official)
    sibling = stat_submit(stat=make_stat(world.sibling), user=world.admin)
    stat_approve(stat=sibling, user=world.street_official)
    return world


def rows(client, data):
    query = {"scope": "620102016", "year": 2015, **({"data": data} if data else {})}
    body = client.get("/api/v1/compliance/communities/", query).json()
    return {r["code"]: r for r in body["results"]}


def test_community_rows_with_approved_data_only(cycle):
    client = api(cycle.street_official)
    everything = rows(client, None)
    approved = rows(client, "approved")
    home, sibling = cycle.home.code, cycle.sibling.code
    assert not everything[home]["missing_data"] and not everything[sibling]["missing_data"]
    assert not approved[home]["missing_data"]
    assert approved[sibling]["missing_data"]
    assert rows(client, "all") == everything


def test_region_says_which_data_it_used(cycle):
    client = api(cycle.street_official)
    body = client.get("/api/v1/compliance/", {"scope": "620102016", "year": 2015}).json()
    assert body["data"] == "all"
    approved = client.get(
        "/api/v1/compliance/", {"scope": "620102016", "year": 2015, "data": "approved"}
    ).json()
    assert approved["data"] == "approved"
    missing = {i["code"]: i["missing"] for i in approved["indicators"]}
    missing_all = {i["code"]: i["missing"] for i in body["indicators"]}
    # The stats indicators lose the street-approved row; facility indicators do not change.
    assert any(missing[code] == missing_all[code] + 1 for code in missing)
    assert client.get("/api/v1/compliance/", {"data": "drafts"}).status_code == 400


def test_the_excel_report_names_its_data(cycle, client):
    client.force_login(cycle.street_official)
    response = client.get(
        "/excel/report/compliance.xlsx", {"scope": "620102016", "year": 2015, "data": "approved"}
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.value for row in wb["达标汇总"].iter_rows(max_row=10) for c in row]
    assert "数据口径" in cells and "仅各级审核通过的统计数据" in cells


def test_the_dashboard_offers_approved_data(cycle, client):
    client.force_login(cycle.street_official)
    html = client.get("/dashboard/620102016/", {"year": 2015, "data": "approved"}).content.decode()
    assert 'value="approved" selected' in html
    assert "data=approved" in html  # the Excel link keeps the choice
    assert client.get("/dashboard/620102016/", {"data": "junk"}).status_code == 200


def test_the_report_has_a_reporting_sheet(cycle, client):
    client.force_login(cycle.street_official)
    response = client.get("/excel/report/compliance.xlsx", {"scope": "620102016", "year": 2015})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = wb["填报情况"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    total = next(r for r in rows if r[0] == "620102016")
    assert total[2:5] == [2, 2, 2]  # expected, entered, submitted
    assert total[6] == 1 and total[7] == 0.5  # approved at both levels, rate
    assert any(r[0] == cycle.home.code for r in rows)
