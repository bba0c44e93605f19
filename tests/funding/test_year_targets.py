"""Yearly targets: set ones (inherited down the hierarchy, stricter from a prefecture), the
straight-line default from the plan's base year to its target year, and ``on_track``."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funding.models import YearlyTarget
from funding.services import yearly_target_save
from funding.year_targets import set_targets
from targets.models import Plan
from targets.year_targets import NO_TARGET, SET, STRAIGHT_LINE, YearTarget, resolve, straight_line
from tests.factories import make_user

from .helpers import world

pytestmark = pytest.mark.django_db
D = Decimal
IND = "community_station"


@pytest.fixture
def plan():
    return Plan.objects.get(code="12th-five-year")  # base year 2010, target year 2015


def test_straight_line_from_base_rate_to_one(plan):
    assert plan.baseline_year == 2010 and plan.target_year == 2015
    assert straight_line(plan, 2009, D("0.5")) is None  # before the base year: no target
    assert straight_line(plan, 2010, D("0.5")) == D("0.5000")
    assert straight_line(plan, 2011, D("0.5")) == D("0.6000")
    assert straight_line(plan, 2013, D("0.5")) == D("0.8000")
    assert straight_line(plan, 2015, D("0.5")) == D("1")
    assert straight_line(plan, 2020, D("0.5")) == D("1")
    assert straight_line(plan, 2012, None) == D("0.4000")  # nothing applied in 2010: from 0


def test_on_track_boundaries():
    target = YearTarget(D("0.7000"), SET)
    assert target.on_track(D("0.7")) is True  # equal is on track
    assert target.on_track(D("0.6999")) is False
    assert target.on_track(None) is None
    assert NO_TARGET.on_track(D("1")) is None


def test_set_target_is_inherited_and_nearest_wins(plan):
    world()
    YearlyTarget.objects.create(
        plan=plan, indicator=IND, region_code="6201", year=2013, rate=D("0.7")
    )
    YearlyTarget.objects.create(
        plan=plan, indicator=IND, region_code="620103", year=2013, rate=D("0.8")
    )
    found = set_targets(plan, ["6201", "620102", "620103", "620102001", "6202"], [2013, 2014])
    assert found[(IND, "6201", 2013)] == D("0.7")
    assert found[(IND, "620102", 2013)] == D("0.7")  # 兰州's target applies to its counties
    assert found[(IND, "620102001", 2013)] == D("0.7")
    assert found[(IND, "620103", 2013)] == D("0.8")  # the county's own, stricter
    assert (IND, "6202", 2013) not in found
    assert (IND, "6201", 2014) not in found
    assert resolve(plan, IND, "620102", 2013, found, D("0.1")) == YearTarget(D("0.7000"), SET)
    assert resolve(plan, IND, "6202", 2013, found, D("0.5")) == YearTarget(
        D("0.8000"), STRAIGHT_LINE
    )


def test_prefecture_may_set_only_stricter_targets_for_its_counties(plan):
    world()
    admin = make_user("a", role="admin")
    lanzhou = make_user("lz", role="official", scope_code="6201")
    county = make_user("cg", role="official", scope_code="620102")
    yearly_target_save(
        target=YearlyTarget(plan=plan, indicator=IND, region_code="6201", year=2013, rate=D("0.7")),
        user=admin,
    )
    with pytest.raises(ValidationError) as error:
        yearly_target_save(
            target=YearlyTarget(
                plan=plan, indicator=IND, region_code="620102", year=2013, rate=D("0.6")
            ),
            user=lanzhou,
        )
    assert "更严格" in str(error.value)
    stricter = yearly_target_save(
        target=YearlyTarget(
            plan=plan, indicator=IND, region_code="620102", year=2013, rate=D("0.75")
        ),
        user=lanzhou,
    )
    stricter.rate = D("0.72")  # lowering its own stricter target again is refused too
    with pytest.raises(ValidationError):
        yearly_target_save(target=stricter, user=lanzhou)
    with pytest.raises(PermissionDenied):  # not for the prefecture itself
        yearly_target_save(
            target=YearlyTarget(
                plan=plan, indicator=IND, region_code="6201", year=2014, rate=D("0.9")
            ),
            user=lanzhou,
        )
    with pytest.raises(PermissionDenied):  # not for another prefecture's county
        yearly_target_save(
            target=YearlyTarget(
                plan=plan, indicator=IND, region_code="620201", year=2013, rate=D("0.9")
            ),
            user=lanzhou,
        )
    with pytest.raises(PermissionDenied):  # a county official sets none
        yearly_target_save(
            target=YearlyTarget(
                plan=plan, indicator=IND, region_code="620102", year=2014, rate=D("0.9")
            ),
            user=county,
        )
    assert stricter.history.count() == 1


def test_unknown_indicator_and_region_are_refused(plan):
    world()
    with pytest.raises(ValidationError) as error:
        yearly_target_save(
            target=YearlyTarget(
                plan=plan, indicator="nope", region_code="629999", year=2013, rate=D("0.5")
            ),
            user=make_user("a", role="admin"),
        )
    assert set(error.value.message_dict) == {"indicator", "region_code"}
