"""The one write path: policy, version, validation, history and an audit row for every write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from communities.models import SocialOrganization
from core.services import StaleVersionError, record_delete, record_save, records_bulk_save
from facilities.models import Facility
from tests.factories import make_hierarchy, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2013, 5, 1)


@pytest.fixture
def world():
    home = make_hierarchy()[0]
    away = make_hierarchy(prefecture="6202", county="620201", street="620201001")[0]
    staff = make_user("w_staff", role="staff", scope_code=home.code)
    official = make_user("w_official", role="official", scope_code="6201")
    return home, away, staff, official


def org(community, name="调解队", **fields):
    return SocialOrganization(community=community, name=name, registered_on=DAY, **fields)


def test_a_save_writes_history_with_the_user_and_one_audit_row(world):
    home, _, staff, _ = world
    saved = record_save(instance=org(home), user=staff)
    assert saved.history.get().history_user == staff
    entry = AuditLog.objects.get(action="record_add")
    assert (entry.user, entry.scope_code) == (staff, home.code)
    assert entry.detail == {
        "model": "communities.socialorganization",
        "pk": str(saved.pk),
        "version": 1,
    }


def test_an_edit_bumps_the_version_and_a_stale_one_is_refused(world):
    home, _, staff, _ = world
    saved = record_save(instance=org(home), user=staff)
    saved.name = "调解一队"
    record_save(instance=saved, user=staff, expected_version=1)
    assert SocialOrganization.objects.get().version == 2
    stale = SocialOrganization.objects.get()
    stale.name = "调解二队"
    with pytest.raises(StaleVersionError):
        record_save(instance=stale, user=staff, expected_version=1)
    assert SocialOrganization.objects.get().name == "调解一队"
    assert AuditLog.objects.filter(action="record_change").count() == 1


def test_a_write_the_policy_refuses_changes_nothing(world):
    home, away, staff, official = world
    with pytest.raises(PermissionDenied):
        record_save(instance=org(away), user=staff)
    with pytest.raises(PermissionDenied):
        record_save(instance=org(home), user=official)
    assert not SocialOrganization.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="record_").exists()


def test_moving_a_row_out_of_the_users_scope_is_refused(world):
    home, away, staff, _ = world
    saved = record_save(instance=org(home), user=staff)
    saved.community = away
    with pytest.raises(PermissionDenied):
        record_save(instance=saved, user=staff)
    assert SocialOrganization.objects.get().community_id == home.code


def test_validation_errors_come_before_the_scope_check(world):
    home, _, staff, _ = world
    facility = Facility(kind="station", name="站", floor_area=300)  # no community yet
    with pytest.raises(ValidationError) as caught:
        record_save(instance=facility, user=staff)
    assert "community" in caught.value.message_dict


def test_a_facilitys_code_is_derived_on_every_channel(world):
    home, _, staff, _ = world
    facility = record_save(
        instance=Facility(kind="station", community=home, name="站", floor_area=300), user=staff
    )
    assert facility.code == home.code


def test_a_delete_is_audited_and_respects_the_version(world):
    home, _, staff, _ = world
    saved = record_save(instance=org(home), user=staff)
    with pytest.raises(StaleVersionError):
        record_delete(instance=saved, user=staff, expected_version=7)
    record_delete(instance=saved, user=staff, expected_version=1)
    assert not SocialOrganization.objects.exists()
    assert AuditLog.objects.get(action="record_delete").detail["pk"] == str(saved.pk)


def test_control_characters_are_refused_whatever_the_channel(world):
    home, _, staff, _ = world
    with pytest.raises(ValidationError) as caught:
        record_save(instance=org(home, name="调解\x07队"), user=staff)
    assert caught.value.message_dict["name"] == ["不能包含控制字符。"]


def test_the_bulk_twin_checks_the_policy_and_the_versions(world):
    home, away, staff, _ = world
    with pytest.raises(PermissionDenied):
        records_bulk_save(
            model=SocialOrganization,
            created=[org(away)],
            updated=[],
            fields=[],
            user=staff,
            reason="导入",
        )
    saved = record_save(instance=org(home), user=staff)
    saved.name = "改名"
    saved.version = 5  # read before someone else's save
    with pytest.raises(StaleVersionError):
        records_bulk_save(
            model=SocialOrganization,
            created=[],
            updated=[saved],
            fields=["name"],
            user=staff,
            reason="导入",
        )
    fresh = SocialOrganization.objects.get()
    fresh.name = "改名"
    records_bulk_save(
        model=SocialOrganization,
        created=[org(home, "新队")],
        updated=[fresh],
        fields=["name"],
        user=staff,
        reason="导入",
    )
    assert sorted(SocialOrganization.objects.values_list("name", "version")) == [
        ("改名", 2),
        ("新队", 1),
    ]
    latest = SocialOrganization.history.filter(name="改名").get()
    assert (latest.history_user, latest.history_change_reason) == (staff, "导入")
    assert AuditLog.objects.get(action="record_change").detail["updated"] == 1


def test_the_system_writes_without_a_user(world):
    home, _, _, _ = world
    saved = record_save(instance=org(home), user=None)
    assert saved.history.get().history_user is None
