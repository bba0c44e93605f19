"""Reporting rates against hand counts, with the query count pinned; the late list; the page."""

import datetime
from unittest import mock

import pytest
from rest_framework.test import APIClient

from communities.cycle import REPORTING_TZ
from communities.services import stat_approve, stat_return, stat_submit
from tests.factories import make_hierarchy, make_stat, make_user

pytestmark = pytest.mark.django_db

ON_TIME = datetime.datetime(2016, 1, 20, 10, 0, tzinfo=REPORTING_TZ)
LATE = datetime.datetime(2016, 2, 3, 10, 0, tzinfo=REPORTING_TZ)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def submit(stat, user, when):
    with mock.patch("communities.services._now", return_value=when):
        return stat_submit(stat=stat, user=user)


def cycle_in(world, communities):
    """The street's communities: approved, street-approved, submitted late, returned, draft, missing."""
    a, b, c, d, e, *_ = communities
    admin = world.admin
    s = stat_approve(stat=submit(make_stat(a), admin, ON_TIME), user=world.street_official)
    stat_approve(stat=s, user=world.county_official)
    stat_approve(stat=submit(make_stat(b), admin, ON_TIME), user=world.street_official)
    submit(make_stat(c), admin, LATE)
    stat_return(
        stat=submit(make_stat(d), admin, ON_TIME), user=world.street_official, reason="缺项"
    )
    make_stat(e)  # a draft; the sixth community enters nothing


def test_rates_match_hand_counts(world):
    extra = make_hierarchy(communities=6)  # 620102016001 … 006 (001, 002 are the world's)
    cycle_in(world, extra)
    body = api(world.county_official).get("/api/v1/reporting/", {"year": 2015}).json()
    # The county: the street 620102016 (6 communities) and 620102017 (1, nothing entered).
    assert body["scope"] == {"code": "620102", "name": "县620102", "level": "county"}
    assert body["due_on"] == "2016-01-31"
    assert (
        body["expected"],
        body["entered"],
        body["submitted"],
        body["approved"],
        body["on_time"],
    ) == (7, 5, 3, 1, 3)
    assert body["submitted_rate"] == "0.4286"  # 3 / 7
    assert body["approved_rate"] == "0.1429"  # 1 / 7
    assert body["on_time_rate"] == "0.4286"  # a, b and the returned d were first submitted on time
    street, other = body["children"]
    assert street["code"] == "620102016" and street["expected"] == 6 and street["submitted"] == 3
    assert street["submitted_rate"] == "0.5000"
    assert other == {
        "code": "620102017",
        "name": "街道620102017",
        "level": "street",
        "expected": 1,
        "entered": 0,
        "submitted": 0,
        "approved": 0,
        "on_time": 0,
        "submitted_rate": "0.0000",
        "approved_rate": "0.0000",
        "on_time_rate": "0.0000",
    }


def test_an_empty_scope_has_null_rates(world):
    from streets.models import Street

    Street.objects.create(code="620102099", name="空街道", kind="subdistrict", county_id="620102")
    body = api(world.admin).get("/api/v1/reporting/", {"scope": "620102099", "year": 2015}).json()
    assert body["expected"] == 0
    assert body["submitted_rate"] is None and body["children"] == []


def test_the_query_count_does_not_grow_with_communities(world, django_assert_num_queries):
    client = api(world.admin)
    cycle_in(world, make_hierarchy(communities=6))
    # scope lookup, period, children, two counts (the default year asks for nothing more here)
    with django_assert_num_queries(5):
        small = client.get("/api/v1/reporting/", {"scope": "62", "year": 2015}).json()
    for street in range(20, 30):
        for community in make_hierarchy(street=f"6201020{street}", communities=5):
            submit(make_stat(community), world.admin, ON_TIME)
    with django_assert_num_queries(5):
        large = client.get("/api/v1/reporting/", {"scope": "62", "year": 2015}).json()
    assert large["expected"] == small["expected"] + 50
    assert large["on_time"] == small["on_time"] + 50


def test_the_late_list_names_staff(world, django_assert_num_queries):
    communities = make_hierarchy(communities=6)
    cycle_in(world, communities)
    make_user(
        "staff-c", role="staff", scope_code=communities[2].code, last_name="王", first_name="芳"
    )
    client = api(world.street_official)
    with django_assert_num_queries(5):  # scope, period, count, page, staff names
        body = client.get("/api/v1/reporting/late/", {"year": 2015}).json()
    rows = {r["community_code"]: r for r in body["results"]}
    c, d, e, f = (x.code for x in communities[2:])
    assert set(rows) == {c, d, e, f}
    assert rows[c]["status"] == "submitted" and rows[c]["staff"] == ["王芳"]
    assert rows[c]["submitted_at"].startswith("2016-02-03T10:00")
    assert rows[d]["status"] == "returned"
    assert rows[e]["status"] == "draft"
    assert rows[f]["status"] is None and rows[f]["submitted_at"] is None
    assert rows[c]["street_code"] == "620102016"


def test_reporting_outside_the_scope_is_404(world):
    response = api(world.street_official).get("/api/v1/reporting/", {"scope": "620102017"})
    assert response.status_code == 404
    assert api(world.staff).get("/api/v1/reporting/", {"year": "abc"}).status_code == 400


def test_the_progress_page(client, world):
    communities = make_hierarchy(communities=6)
    cycle_in(world, communities)
    client.force_login(world.county_official)
    html = client.get("/reporting/620102/", {"year": 2015}).content.decode()
    assert "填报进度" in html
    assert 'data-testid="expected">7<' in html
    assert "progress-bar-data" in html and "/reporting/620102016/?year=2015" in html
    assert "逾期上报" in html and "未填报" in html
    assert client.get("/reporting/620102/", {"year": "junk"}).status_code == 200


def test_the_progress_page_approves_a_unit(client, world):
    stat_submit(stat=make_stat(world.home), user=world.admin)
    client.force_login(world.street_official)
    response = client.post("/reporting/620102016/approve-unit/", {"year": 2015}, follow=True)
    assert "尚未完成下级审核或尚未上报" in response.content.decode()
    stat_submit(stat=make_stat(world.sibling), user=world.admin)
    response = client.post("/reporting/620102016/approve-unit/", {"year": 2015}, follow=True)
    assert "已在街道一级审核通过 2 个社区" in response.content.decode()


def test_the_dashboard_header_loads_the_reporting_figure(client, world):
    cycle_in(world, make_hierarchy(communities=6))
    client.force_login(world.county_official)
    html = client.get("/dashboard/620102/", {"year": 2015}).content.decode()
    assert "/reporting/620102/summary/?year=2015" in html
    fragment = client.get("/reporting/620102/summary/", {"year": 2015}).content.decode()
    assert "已上报 3/7" in fragment and "按时上报 3" in fragment
