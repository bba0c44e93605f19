"""Service records: who confirms them, the correction flow, and what counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.policy import policy_for
from core.services import StaleVersionError, record_save
from tests.factories import make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import RecordStatus, ServiceRecord, Volunteer, VolunteerOrganization
from volunteers.services import (
    BulkEntryError,
    service_record_confirm,
    service_record_create,
    service_record_dispute,
    service_record_refuse,
    service_records_bulk_create,
)

DAY = datetime.date(2015, 6, 1)


@pytest.fixture
def world(db):
    community, other = make_hierarchy(communities=2)
    recorder = make_user("recorder", role="staff", scope_code=community.code)
    colleague = make_user("colleague", role="staff", scope_code=community.code)
    outsider = make_user("outsider", role="staff", scope_code=other.code)
    manager = make_user("manager", role="staff", scope_code=other.code)
    official = make_user("official", role="official", scope_code="620102")
    admin = make_user("admin", role="admin", scope_code="62")
    org = VolunteerOrganization.objects.create(
        community=community,
        name="爱心服务队",
        registered_on=datetime.date(2012, 1, 1),
        manager=manager,
    )
    volunteer = Volunteer.objects.create(
        community=community,
        name="王小明",
        gender="male",
        id_number=valid_id_number(serial=11),
        registered_on=datetime.date(2012, 3, 1),
        organization=org,
    )
    return {
        "community": community,
        "recorder": recorder,
        "colleague": colleague,
        "outsider": outsider,
        "manager": manager,
        "official": official,
        "admin": admin,
        "org": org,
        "volunteer": volunteer,
    }


def entry(world, hours="2.5", organization=None, **extra):
    data = {
        "activity": "重阳节敬老",
        "served_on": DAY,
        "hours": Decimal(hours),
        "category": "elderly",
        "place": "社区日间照料中心",
        "people_served": 30,
        "beneficiaries": "老人",
        "content": "陪伴聊天、理发",
        "leader": "李队长",
        "rating": "good",
        "organization": organization,
    }
    data.update(extra)
    return service_record_create(volunteer=world["volunteer"], user=world["recorder"], data=data)


def test_a_new_record_is_recorded_by_its_user_and_does_not_count(world):
    record = entry(world)
    assert record.status == RecordStatus.RECORDED
    assert record.recorder == world["recorder"]
    annotated = Volunteer.objects.with_confirmed_hours().get(pk=world["volunteer"].pk)
    assert annotated.confirmed_hours == Decimal("0")


def test_the_recorder_may_not_confirm_their_own_record(world):
    record = entry(world)
    with pytest.raises(PermissionDenied, match="记录人以外"):
        service_record_confirm(record=record, user=world["recorder"])
    assert ServiceRecord.objects.get(pk=record.pk).status == RecordStatus.RECORDED


def test_a_colleague_of_the_community_confirms_and_the_hours_count(world):
    record = entry(world)
    confirmed = service_record_confirm(record=record, user=world["colleague"], expected_version=1)
    assert confirmed.status == RecordStatus.CONFIRMED
    assert confirmed.confirmed_by == world["colleague"]
    assert confirmed.version == 2
    annotated = Volunteer.objects.with_confirmed_hours().get(pk=world["volunteer"].pk)
    assert annotated.confirmed_hours == Decimal("2.5")
    assert confirmed.history.count() == 2


def test_the_organisations_manager_confirms_its_records_even_from_elsewhere(world):
    record = entry(world, organization=world["org"])
    assert service_record_confirm(record=record, user=world["manager"]).status == "confirmed"


def test_the_manager_of_the_organisation_does_not_confirm_the_communitys_own_records(world):
    record = entry(world)  # recorded by the community itself
    with pytest.raises(PermissionDenied):
        service_record_confirm(record=record, user=world["manager"])


@pytest.mark.parametrize("who", ["outsider", "official"])
def test_staff_elsewhere_and_officials_may_not_confirm(world, who):
    record = entry(world)
    with pytest.raises(PermissionDenied):
        service_record_confirm(record=record, user=world[who])


def test_an_administrator_other_than_the_recorder_confirms(world):
    record = entry(world)
    assert service_record_confirm(record=record, user=world["admin"]).status == "confirmed"


def test_a_stale_version_is_refused(world):
    record = entry(world)
    with pytest.raises(StaleVersionError):
        service_record_confirm(record=record, user=world["colleague"], expected_version=7)


def test_confirming_twice_is_refused_by_the_state(world):
    record = entry(world)
    service_record_confirm(record=record, user=world["colleague"])
    with pytest.raises(ValidationError, match="已确认"):
        service_record_confirm(record=record, user=world["admin"])


def test_a_confirmed_record_is_locked_for_edits(world):
    record = service_record_confirm(record=entry(world), user=world["colleague"])
    record.hours = Decimal("8")
    with pytest.raises(PermissionDenied, match="更正申请"):
        record_save(instance=record, user=world["recorder"])


def test_a_correction_request_stops_the_count_then_a_corrected_record_is_confirmed(world):
    record = service_record_confirm(record=entry(world, hours="8"), user=world["colleague"])
    with pytest.raises(ValidationError):
        service_record_dispute(record=record, user=world["recorder"], reason="  ")
    disputed = service_record_dispute(
        record=record, user=world["recorder"], reason="实际只服务了4小时"
    )
    assert disputed.status == RecordStatus.DISPUTED
    assert disputed.status_reason == "实际只服务了4小时"
    assert Volunteer.objects.with_confirmed_hours().get().confirmed_hours == 0
    # While disputed, the facts may be corrected; then the correction is confirmed.
    disputed.hours = Decimal("4")
    corrected = record_save(instance=disputed, user=world["recorder"])
    settled = service_record_confirm(record=corrected, user=world["colleague"])
    assert settled.status == RecordStatus.CONFIRMED
    assert Volunteer.objects.with_confirmed_hours().get().confirmed_hours == Decimal("4")
    statuses = list(settled.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["recorded", "confirmed", "disputed", "disputed", "confirmed"]


def test_a_refused_record_carries_its_reason_and_never_counts(world):
    record = entry(world)
    with pytest.raises(ValidationError):
        service_record_refuse(record=record, user=world["colleague"], reason="")
    refused = service_record_refuse(record=record, user=world["colleague"], reason="当天未参加")
    assert refused.status == RecordStatus.REFUSED
    assert refused.status_reason == "当天未参加"
    assert Volunteer.objects.with_confirmed_hours().get().confirmed_hours == 0


def test_transitions_offered_follow_the_policy(world):
    record = entry(world)
    policy = policy_for(ServiceRecord)
    assert policy.transitions(world["recorder"], record) == ["dispute"]
    assert policy.transitions(world["colleague"], record) == ["confirm", "dispute", "refuse"]
    assert policy.transitions(world["official"], record) == []


@pytest.mark.parametrize("hours", ["0", "0.4", "24.5", "2.3"])
def test_hours_outside_half_hours_from_half_to_24_are_refused(world, hours):
    with pytest.raises(ValidationError) as caught:
        entry(world, hours=hours)
    assert "hours" in caught.value.message_dict


def test_an_organisation_of_another_community_is_refused(world):
    other = VolunteerOrganization.objects.create(
        community_id=world["community"].code[:-3] + "002",
        name="别的队",
        registered_on=datetime.date(2012, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        entry(world, organization=other)
    assert "organization" in caught.value.message_dict


# -- bulk entry ------------------------------------------------------------------------------


def second_volunteer(world, serial=12):
    return Volunteer.objects.create(
        community=world["community"],
        name=f"李{serial}",
        gender="female",
        id_number=valid_id_number(serial=serial),
        registered_on=datetime.date(2013, 1, 1),
    )


def test_bulk_entry_records_one_activity_for_many_volunteers(world):
    other = second_volunteer(world)
    records = service_records_bulk_create(
        user=world["recorder"],
        activity={"activity": "清洁家园", "served_on": DAY, "category": "environment"},
        lines=[
            {"volunteer": world["volunteer"].pk, "hours": "2"},
            {"volunteer": other.pk, "hours": "3.5"},
        ],
    )
    assert len(records) == 2
    assert {r.recorder for r in records} == {world["recorder"]}
    assert ServiceRecord.objects.filter(activity="清洁家园").count() == 2


def test_bulk_entry_with_one_bad_line_saves_nothing_and_names_the_line(world):
    other = second_volunteer(world)
    with pytest.raises(BulkEntryError) as caught:
        service_records_bulk_create(
            user=world["recorder"],
            activity={"activity": "清洁家园", "served_on": DAY, "category": "environment"},
            lines=[
                {"volunteer": world["volunteer"].pk, "hours": "2"},
                {"volunteer": other.pk, "hours": "30"},
                {"volunteer": 999999, "hours": "1"},
            ],
        )
    lines = caught.value.lines
    assert set(lines) == {1, 2}
    assert "hours" in lines[1] and "volunteer" in lines[2]
    assert not ServiceRecord.objects.exists()


def test_bulk_entry_cannot_reach_a_volunteer_outside_the_users_scope(world):
    with pytest.raises(ValidationError):
        service_records_bulk_create(
            user=world["outsider"],
            activity={"activity": "清洁家园", "served_on": DAY, "category": "environment"},
            lines=[{"volunteer": world["volunteer"].pk, "hours": "2"}],
        )
    assert not ServiceRecord.objects.exists()
