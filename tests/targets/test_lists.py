"""Lists to act on: failing lists name every region above a unit and download as Excel exactly
as shown; the communities by how many targets they fail, each with its gaps."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from communities.models import Community
from core.figures import figures_refresh
from tests.factories import make_facility, make_hierarchy, make_stat, make_user
from tests.targets.test_dashboard import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    build(per_street=3)
    # A smaller station in 6202 so that gaps differ.
    Community.objects.get(code="620201001003").facilities.update(floor_area="150")
    figures_refresh({"620201001003"})  # an update around the write path
    client.force_login(make_user("lists-admin", role="admin", scope_code="62"))
    return client


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_a_province_list_has_prefecture_county_and_street_columns_a_street_list_none(admin):
    html = admin.get("/dashboard/62/failing/community_station/?year=2015").content.decode()
    for heading in ("所属市州", "所属县区", "所属街道（乡镇）"):
        assert f"<th>{heading}</th>" in html
    street = admin.get("/dashboard/620102016/failing/community_station/?year=2015")
    assert street.context["region_headings"] == []
    assert all(row["regions"] == [] for row in street.context["page"].object_list)


def test_the_excel_download_holds_exactly_the_rows_shown_in_their_order(admin):
    url = "/dashboard/62/failing/community_station/"
    for sort in ("-gap", "name", "gap"):
        page = admin.get(url, {"year": 2015, "sort": sort}).context["page"].object_list
        rows = sheet_rows(admin.get(url, {"year": 2015, "sort": sort, "format": "xlsx"}))
        assert rows[0][0] == "甘肃省2015年「社区服务站」未达标社区名单"
        assert rows[2] == [
            "序号",
            "代码",
            "社区名称",
            "所属市州",
            "所属县区",
            "所属街道（乡镇）",
            "本单位数值",
            "差距",
            "状态",
        ]
        body = rows[3:]
        assert [r[1] for r in body] == [r["code"] for r in page]
        assert [r[7] for r in body] == [r["gap_label"] for r in page]
    first = sheet_rows(admin.get(url, {"year": 2015, "format": "xlsx"}))[3]
    assert first == [
        1,
        "620201001003",
        "社区620201001003",
        "市6202",
        "县620201",
        "街道620201001",
        "150.00 ㎡",
        "150.00 平方米",
        "未达标",
    ]


def test_communities_by_the_number_of_targets_they_fail(admin):
    response = admin.get("/dashboard/62/failing-count/", {"year": 2015})
    assert response.status_code == 200
    rows = response.context["page"].object_list
    counts = [r.failing_count for r in rows]
    assert counts == sorted(counts, reverse=True) and len(rows) == 6
    smallest = next(r for r in rows if r.code == "620201001003")
    gaps = dict(smallest.failing)
    assert gaps["社区服务站"] == "150.00 平方米"
    assert smallest.regions == ["市6202", "县620201", "街道620201001"]
    # The first community of each street has a 320 ㎡ station: one target fewer.
    by_code = {r.code: r.failing_count for r in rows}
    assert by_code["620102016001"] == by_code["620102016002"] - 1
    sheet = sheet_rows(admin.get("/dashboard/62/failing-count/", {"year": 2015, "format": "xlsx"}))
    assert sheet[0][0] == "甘肃省2015年社区未达标指标数名单"
    assert [r[1] for r in sheet[3:]] == [r.code for r in rows]
    assert "社区服务站：差距 150.00 平方米" in next(
        r[-1] for r in sheet[3:] if r[1] == "620201001003"
    )


def test_the_failing_count_list_stays_inside_the_users_scope(client):
    build()
    client.force_login(make_user("far", role="official", scope_code="6202"))
    assert client.get("/dashboard/6201/failing-count/").status_code == 404
    rows = client.get("/dashboard/6202/failing-count/").context["page"].object_list
    assert rows and all(r.code.startswith("6202") for r in rows)


def test_the_failing_count_list_costs_the_same_queries_for_more_communities(client):
    build(per_street=2)
    client.force_login(make_user("q-admin", role="admin", scope_code="62"))
    client.get("/dashboard/62/failing-count/")
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/62/failing-count/")
    for community in make_hierarchy(
        prefecture="6203", county="620301", street="620301001", communities=8
    ):
        make_facility(kind="station", community=community, area="200")
        make_stat(community, 2015)
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/62/failing-count/")
    assert len(large.captured_queries) == len(small.captured_queries)
