"""The database itself refuses what clean() refuses, for writes that bypass validation."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from communities.models import CommunityStat
from facilities.models import Facility
from tests.factories import make_hierarchy, make_stat
from tests.model_rules import valid_id_number
from volunteers.models import Volunteer


@pytest.fixture
def community(db):
    return make_hierarchy(communities=1)[0]


def refused_by_database(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


STAT = {
    "households": 1000,
    "residents": 2800,
    "party_members": 100,
    "party_members_volunteering": 80,
    "residents_volunteering": 840,
}


@pytest.mark.parametrize(
    "changes",
    [
        {"party_members_volunteering": 101},
        {"residents_volunteering": 2801},
        {"party_members": 2801, "party_members_volunteering": 0},
        {"households": -1},
    ],
    ids=["party-volunteering", "residents-volunteering", "party-members", "negative"],
)
def test_stats_constraints_hold_without_clean(community, changes):
    refused_by_database(
        lambda: CommunityStat.objects.create(community=community, year=2015, **{**STAT, **changes})
    )
    assert not CommunityStat.objects.exists()


def test_one_stats_row_per_community_and_year_holds_without_clean(community):
    make_stat(community, 2015)
    refused_by_database(
        lambda: CommunityStat.objects.create(community=community, year=2015, **STAT)
    )
    assert CommunityStat.objects.count() == 1


@pytest.mark.parametrize("area", ["0", "100000.01"])
def test_floor_area_range_holds_without_clean(community, area):
    refused_by_database(
        lambda: Facility.objects.create(
            name="站", kind="station", community=community, floor_area=Decimal(area)
        )
    )
    assert not Facility.objects.exists()


def test_floor_area_bounds_are_stored(community):
    Facility.objects.create(
        name="小站", kind="station", community=community, floor_area=Decimal("0.01")
    )
    Facility.objects.create(
        name="大站", kind="station", community=community, floor_area=Decimal("100000")
    )
    assert Facility.objects.count() == 2


def test_closing_before_opening_holds_without_clean(community):
    refused_by_database(
        lambda: Facility.objects.create(
            name="站",
            kind="station",
            community=community,
            floor_area=Decimal("300"),
            opened_on=datetime.date(2014, 1, 2),
            closed_on=datetime.date(2014, 1, 1),
        )
    )
    assert not Facility.objects.exists()


def test_duplicate_id_number_holds_without_clean(community):
    number = valid_id_number()
    fields = {
        "community": community,
        "gender": "male",
        "registered_on": datetime.date(2013, 1, 1),
        "id_number": number,
    }
    Volunteer.objects.create(name="甲", **fields)
    refused_by_database(lambda: Volunteer.objects.create(name="乙", **fields))
    assert Volunteer.objects.count() == 1
