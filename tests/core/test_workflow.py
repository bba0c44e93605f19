"""A workflow step: who may take it (403), on which version (409), from which state (400)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from communities.models import StatStatus
from communities.services import stat_approve, stat_return, stat_submit
from communities.workflow import STAT_WORKFLOW
from core.services import StaleVersionError
from tests.factories import make_hierarchy, make_stat, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = make_hierarchy()[0]
    return (
        make_stat(home),
        make_user("f_staff", role="staff", scope_code=home.code),
        make_user("f_street", role="official", scope_code="620102016"),
        make_user("f_other", role="official", scope_code="6202"),
    )


def test_the_workflow_is_data():
    assert [t.name for t in STAT_WORKFLOW.available(StatStatus.SUBMITTED)] == [
        "approve",
        "approve_level",
        "return",
    ]
    assert STAT_WORKFLOW.allows("submit", StatStatus.RETURNED)
    assert not STAT_WORKFLOW.allows("approve", StatStatus.DRAFT)


def test_a_step_bumps_the_version_names_the_user_and_is_audited(world):
    stat, staff, official, _ = world
    stat = stat_submit(stat=stat, user=staff, expected_version=1)
    stat = stat_approve(stat=stat, user=official, expected_version=2)
    assert (stat.status, stat.version, stat.reviewed_by) == (StatStatus.APPROVED, 3, official)
    assert stat.history.order_by("-history_id").first().history_user == official
    assert AuditLog.objects.get(action="approval").detail["transition"] == "approve"


def test_the_wrong_user_the_wrong_version_and_the_wrong_state_are_refused_in_that_order(world):
    stat, staff, official, other = world
    with pytest.raises(PermissionDenied):
        stat_approve(stat=stat, user=other, expected_version=99)
    with pytest.raises(StaleVersionError):
        stat_approve(stat=stat, user=official, expected_version=99)
    with pytest.raises(ValidationError) as caught:
        stat_approve(stat=stat, user=official, expected_version=1)
    assert "不能执行该操作" in caught.value.message_dict["status"][0]
    stat.refresh_from_db()
    assert (stat.status, stat.version) == (StatStatus.DRAFT, 1)


def test_a_return_needs_a_reason(world):
    stat, staff, official, _ = world
    stat = stat_submit(stat=stat, user=staff)
    with pytest.raises(ValidationError):
        stat_return(stat=stat, user=official, reason="  ")
    assert stat_return(stat=stat, user=official, reason="户数有误").return_reason == "户数有误"
