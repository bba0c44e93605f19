"""Facilities: kind against street/community, floor area bounds, closing dates."""

import datetime
from decimal import Decimal

import pytest

from facilities.models import Facility
from tests.factories import make_hierarchy
from tests.model_rules import assert_accepted, assert_refused


@pytest.fixture
def community(db):
    return make_hierarchy(communities=1)[0]


def station(community, **fields):
    values = {
        "name": "社区服务站",
        "kind": "station",
        "community": community,
        "floor_area": Decimal("300"),
    }
    values.update(fields)
    return Facility(**values)


def test_station_without_community_is_refused(community):
    facility = station(None, street=community.street)
    assert_refused(facility, "community", "社区服务站和专项服务设施必须指定所属社区。")


def test_specialized_facility_without_community_is_refused(community):
    facility = station(None, kind="specialized", specialized_type="day_care")
    assert_refused(facility, "community", "社区服务站和专项服务设施必须指定所属社区。")


def test_centre_without_street_is_refused(community):
    facility = Facility(name="服务中心", kind="centre", floor_area=Decimal("900"))
    assert_refused(facility, "street", "街道社区服务中心必须指定所属街道。")


def test_centre_with_a_community_is_refused(community):
    facility = Facility(
        name="服务中心",
        kind="centre",
        street=community.street,
        community=community,
        floor_area=Decimal("900"),
    )
    assert_refused(facility, "community", "街道社区服务中心属于街道，不能指定社区。")


def test_station_under_another_street_than_its_community_is_refused(community):
    other = make_hierarchy(street="620102017")[0].street
    assert_refused(station(community, street=other), "street", "所属街道与社区所在街道不一致。")


def test_specialized_type_on_a_station_is_refused(community):
    facility = station(community, specialized_type="day_care")
    assert_refused(facility, "specialized_type", "只有专项服务设施才有专项设施类别。")


def test_unknown_service_item_is_refused(community):
    assert_refused(
        station(community, services=["employment", "karaoke"]), "services", "服务项目无效"
    )


def test_centre_on_its_street_gets_the_street_code(community):
    facility = Facility(
        name="服务中心", kind="centre", street=community.street, floor_area=Decimal("900")
    )
    assert_accepted(facility)
    assert facility.code == "620102016"


@pytest.mark.parametrize("area", ["0", "-1"])
def test_floor_area_of_zero_or_less_is_refused(community, area):
    assert_refused(
        station(community, floor_area=Decimal(area)), "floor_area", "建筑面积必须大于0平方米。"
    )


@pytest.mark.parametrize("area", ["0.01", "100000", "100000.00"])
def test_floor_area_at_the_bounds_is_accepted(community, area):
    facility = station(community, floor_area=Decimal(area))
    assert_accepted(facility)
    facility.refresh_from_db()
    assert facility.floor_area == Decimal(area)


def test_floor_area_above_100000_is_refused(community):
    facility = station(community, floor_area=Decimal("100000.01"))
    assert_refused(facility, "floor_area", "建筑面积不能超过100000平方米。")


def test_closing_before_opening_is_refused(community):
    facility = station(
        community, opened_on=datetime.date(2013, 5, 2), closed_on=datetime.date(2013, 5, 1)
    )
    assert_refused(facility, "closed_on", "停用日期不能早于投入使用日期。")


def test_closing_on_the_opening_day_is_allowed(community):
    day = datetime.date(2013, 5, 2)
    assert_accepted(station(community, opened_on=day, closed_on=day))


def test_closing_a_facility_never_opened_is_refused(community):
    facility = station(community, closed_on=datetime.date(2013, 5, 1))
    assert_refused(facility, "closed_on", "未投入使用的设施不能有停用日期。")
