"""Approval level by level: order, the unit rule, a return after a higher approval."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from accounts.models import AuditLog
from communities.models import CommunityStat, StatStatus
from communities.services import stat_approve, stat_return, stat_submit
from reporting.models import ReportingPeriod
from reporting.services import UnitBlocked, approve_unit
from tests.factories import make_stat

pytestmark = pytest.mark.django_db


def submitted(world, community=None, year=2015):
    stat = make_stat(community or world.home, year)
    return stat_submit(stat=stat, user=world.admin)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_defaults_are_street_then_county_and_31_january():
    period = ReportingPeriod(year=2016)
    period.save()
    period.refresh_from_db()
    assert period.approval_levels == ["street", "county"]
    assert period.due_on == datetime.date(2017, 1, 31)
    assert period.reminder_days == 7


def test_street_then_county_approves(world):
    stat = submitted(world)
    assert stat.approval_levels == ["street", "county"]
    stat = stat_approve(stat=stat, user=world.street_official)
    assert stat.status == StatStatus.SUBMITTED
    assert [a["level"] for a in stat.approvals] == ["street"]
    assert stat.approvals[0]["user"] == world.street_official.username
    stat = stat_approve(stat=stat, user=world.county_official)
    assert stat.status == StatStatus.APPROVED
    assert [a["level"] for a in stat.approvals] == ["street", "county"]
    assert stat.history.count() == 4  # created, submitted, street, county
    assert AuditLog.objects.filter(action="approval", scope_code=stat.community_id).count() == 2


def test_county_cannot_approve_before_the_street(world):
    stat = submitted(world)
    with pytest.raises(PermissionDenied, match="街道"):
        stat_approve(stat=stat, user=world.county_official)


def test_street_cannot_approve_twice_nor_a_prefecture_at_all(world):
    stat = stat_approve(stat=submitted(world), user=world.street_official)
    with pytest.raises(PermissionDenied):
        stat_approve(stat=stat, user=world.street_official)
    with pytest.raises(PermissionDenied):
        stat_approve(stat=stat, user=world.prefecture_official)


def test_api_approve_answers_403_for_the_wrong_level(world):
    stat = submitted(world)
    url = f"/api/v1/community-stats/{stat.pk}/approve/"
    assert api(world.county_official).post(url, {}, format="json").status_code == 403
    response = api(world.street_official).post(url, {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert [a["level"] for a in body["approvals"]] == ["street"]
    assert set(body["approvals"][0]) == {"level", "user", "at"}
    assert body["submitted_on_time"] is False  # submitted today, long after 31 January 2016
    response = api(world.county_official).post(url, {}, format="json")
    assert response.json()["status"] == "approved"


def test_staff_may_not_edit_after_the_first_approval(world):
    stat = stat_approve(stat=submitted(world), user=world.street_official)
    response = api(world.staff).patch(
        f"/api/v1/community-stats/{stat.pk}/", {"households": 999}, format="json"
    )
    assert response.status_code == 403


def test_county_returns_a_row_the_street_approved_and_voids_the_approval(world):
    stat = stat_approve(stat=submitted(world), user=world.street_official)
    stat = stat_return(stat=stat, user=world.county_official, reason="户数与上年差异过大")
    assert stat.status == StatStatus.RETURNED
    assert stat.approvals == [] and stat.approved_levels == 0
    log = AuditLog.objects.filter(action="approval", detail__result="returned").get()
    assert [a["level"] for a in log.detail["voided"]] == ["street"]
    assert log.detail["reason"] == "户数与上年差异过大"
    # Resubmitted, it starts again at the street.
    stat = stat_submit(stat=stat, user=world.staff)
    with pytest.raises(PermissionDenied):
        stat_approve(stat=stat, user=world.county_official)
    stat_approve(stat=stat, user=world.street_official)


def test_county_returns_a_row_it_approved(world):
    stat = stat_approve(stat=submitted(world), user=world.street_official)
    stat = stat_approve(stat=stat, user=world.county_official)
    stat = stat_return(stat=stat, user=world.county_official, reason="复核有误")
    assert stat.status == StatStatus.RETURNED
    log = AuditLog.objects.filter(action="approval", detail__result="returned").get()
    assert [a["level"] for a in log.detail["voided"]] == ["street", "county"]


def test_street_cannot_undo_the_county_approval(world):
    stat = stat_approve(stat=submitted(world), user=world.street_official)
    stat = stat_approve(stat=stat, user=world.county_official)
    with pytest.raises(PermissionDenied):
        stat_return(stat=stat, user=world.street_official, reason="想改")


def test_a_year_without_a_period_keeps_one_step_approval(world):
    stat = submitted(world, year=2014)
    assert stat.approval_levels == []
    assert stat.submitted_on_time is None
    stat = stat_approve(stat=stat, user=world.prefecture_official)
    assert stat.status == StatStatus.APPROVED


# -- the unit rule ---------------------------------------------------------------------------


def test_street_unit_approval_is_blocked_by_a_draft(world):
    first = submitted(world)
    make_stat(world.sibling, 2015)  # a draft
    with pytest.raises(UnitBlocked) as blocked:
        approve_unit(scope_code="620102016", year=2015, user=world.street_official)
    assert blocked.value.blocking == [world.sibling.code]
    first.refresh_from_db()
    assert first.approvals == []


def test_street_unit_approval_is_blocked_by_a_missing_row(world):
    submitted(world)
    response = api(world.street_official).post(
        "/api/v1/reporting/approve-unit/", {"scope": "620102016", "year": 2015}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["blocking"] == [world.sibling.code]


def test_street_then_county_unit_approval(world):
    submitted(world)
    submitted(world, world.sibling)
    response = api(world.county_official).post(
        "/api/v1/reporting/approve-unit/", {"scope": "620102", "year": 2015}, format="json"
    )
    assert response.status_code == 409  # nothing has reached the street level yet
    blocking = response.json()["blocking"]
    assert world.home.code in blocking and world.other_street_community.code in blocking
    response = api(world.street_official).post(
        "/api/v1/reporting/approve-unit/", {"scope": "620102016", "year": 2015}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"level": "street", "approved": [world.home.code, world.sibling.code]}
    # The county's other street has not reported: it holds the county back.
    response = api(world.county_official).post(
        "/api/v1/reporting/approve-unit/", {"scope": "620102", "year": 2015}, format="json"
    )
    assert response.json()["blocking"] == [world.other_street_community.code]
    # The county approves the street that is ready.
    response = api(world.county_official).post(
        "/api/v1/reporting/approve-unit/", {"scope": "620102016", "year": 2015}, format="json"
    )
    assert response.status_code == 200
    assert set(CommunityStat.objects.values_list("status", flat=True)) == {"approved"}


def test_unit_approval_outside_the_scope_is_404(world):
    response = api(world.street_official).post(
        "/api/v1/reporting/approve-unit/", {"scope": "620102017", "year": 2015}, format="json"
    )
    assert response.status_code == 404


def test_unit_approval_by_staff_is_403(world):
    submitted(world)
    response = api(world.staff).post(
        "/api/v1/reporting/approve-unit/", {"scope": world.home.code, "year": 2015}, format="json"
    )
    assert response.status_code == 403


# -- the due date ----------------------------------------------------------------------------


def at_shanghai(*args):
    from communities.cycle import REPORTING_TZ

    return datetime.datetime(*args, tzinfo=REPORTING_TZ)


@pytest.mark.parametrize(
    ("when", "on_time"),
    [
        (at_shanghai(2016, 1, 31, 23, 59), True),
        (at_shanghai(2016, 2, 1, 0, 1), False),
        (at_shanghai(2016, 1, 31, 0, 0), True),
    ],
)
def test_submission_on_the_due_date_boundary(world, when, on_time):
    stat = make_stat(world.home, 2015)
    with mock.patch("communities.services._now", return_value=when):
        stat = stat_submit(stat=stat, user=world.staff)
    assert stat.submitted_on_time is on_time
    assert stat.first_submitted_at == when


def test_the_first_submission_counts(world):
    stat = make_stat(world.home, 2015)
    with mock.patch("communities.services._now", return_value=at_shanghai(2016, 1, 20, 9, 0)):
        stat = stat_submit(stat=stat, user=world.staff)
    stat = stat_return(stat=stat, user=world.street_official, reason="补充")
    with mock.patch("communities.services._now", return_value=at_shanghai(2016, 2, 5, 9, 0)):
        stat = stat_submit(stat=stat, user=world.staff)
    assert stat.submitted_on_time is True


def test_moving_the_due_date_recomputes_the_flags(world, client):
    stat = make_stat(world.home, 2015)
    with mock.patch("communities.services._now", return_value=at_shanghai(2016, 2, 1, 0, 1)):
        stat_submit(stat=stat, user=world.staff)
    response = api(world.admin).patch(
        "/api/v1/reporting-periods/2015/", {"due_on": "2016-02-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    stat.refresh_from_db()
    assert stat.submitted_on_time is True


def test_periods_are_admin_data(world):
    body = {"year": 2016}
    assert (
        api(world.county_official)
        .post("/api/v1/reporting-periods/", body, format="json")
        .status_code
        == 403
    )
    response = api(world.admin).post("/api/v1/reporting-periods/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "year": 2016,
        "opens_on": "2016-12-01",
        "due_on": "2017-01-31",
        "approval_levels": ["street", "county"],
        "reminder_days": 7,
    }
    bad = api(world.admin).patch(
        "/api/v1/reporting-periods/2016/", {"approval_levels": ["county", "street"]}, format="json"
    )
    assert bad.status_code == 400
    assert "approval_levels" in bad.json()


def test_the_approvals_queue_shows_what_waits_for_my_level(client, world):
    waiting_street = submitted(world)
    waiting_county = stat_approve(stat=submitted(world, world.sibling), user=world.street_official)
    legacy = submitted(world, year=2014)
    client.force_login(world.street_official)
    html = client.get("/approvals/").content.decode()
    assert f"/stats/{waiting_street.pk}/" in html and f"/stats/{legacy.pk}/" in html
    assert f"/stats/{waiting_county.pk}/" not in html
    client.force_login(world.county_official)
    html = client.get("/approvals/").content.decode()
    assert f"/stats/{waiting_county.pk}/" in html and f"/stats/{legacy.pk}/" in html
    assert f"/stats/{waiting_street.pk}/" not in html


def test_the_badge_shows_the_levels_passed_and_a_late_submission(client, world):
    stat = stat_approve(stat=submitted(world), user=world.street_official)
    client.force_login(world.street_official)
    html = client.get(f"/stats/{stat.pk}/").content.decode()
    assert "已通过1级审核" in html
    assert "逾期上报" in html  # submitted today, long after 31 January 2016
    assert "街道一级已审核通过" in html and "等待县区一级审核" in html
