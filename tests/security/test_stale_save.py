"""Versioned edits: a save based on a stale version is refused, never silently overwritten."""

import pytest

from core.services import StaleVersionError, record_delete, record_save
from facilities.models import Facility
from tests.factories import make_facility, make_hierarchy, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    (community,) = make_hierarchy()
    facility = make_facility(community=community, area="300")
    return make_user("staff1", scope_code=community.code), make_user("staff2", scope_code=community.code), facility


def test_the_second_of_two_edits_from_the_same_version_is_refused(setting):
    first_user, second_user, facility = setting
    mine = Facility.objects.get(pk=facility.pk)
    theirs = Facility.objects.get(pk=facility.pk)
    assert mine.version == theirs.version == 1

    mine.address = "城关区东岗西路1号"
    record_save(instance=mine, user=first_user, expected_version=1)
    assert mine.version == 2

    theirs.address = "城关区东岗西路2号"
    with pytest.raises(StaleVersionError) as exc:
        record_save(instance=theirs, user=second_user, expected_version=1)
    assert exc.value.current_version == 2
    assert "已被他人修改" in str(exc.value)

    stored = Facility.objects.get(pk=facility.pk)
    assert stored.address == "城关区东岗西路1号"
    assert stored.version == 2
    # The history shows who made the change that won.
    assert stored.history.first().history_user == first_user


def test_a_save_on_the_current_version_succeeds_and_bumps_it(setting):
    user, _, facility = setting
    facility.address = "新地址"
    record_save(instance=facility, user=user, expected_version=1)
    facility.address = "再改"
    record_save(instance=facility, user=user, expected_version=2)
    assert Facility.objects.get(pk=facility.pk).version == 3


def test_a_stale_delete_is_refused(setting):
    user, other, facility = setting
    fresh = Facility.objects.get(pk=facility.pk)
    fresh.address = "改过"
    record_save(instance=fresh, user=other, expected_version=1)
    with pytest.raises(StaleVersionError):
        record_delete(instance=facility, user=user, expected_version=1)
    assert Facility.objects.filter(pk=facility.pk).exists()
