"""Yearly statistics: participation within its population, counts not negative, one row a year."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from communities.models import CommunityStat
from tests.factories import make_hierarchy, make_stat
from tests.model_rules import assert_accepted, assert_refused


@pytest.fixture
def community(db):
    return make_hierarchy(communities=1)[0]


def stat(community, **fields):
    values = {
        "year": 2015,
        "households": 1000,
        "residents": 2800,
        "party_members": 100,
        "party_members_volunteering": 80,
        "residents_volunteering": 840,
    }
    values.update(fields)
    return CommunityStat(community=community, **values)


def test_party_members_volunteering_above_party_members_is_refused(community):
    row = stat(community, party_members=100, party_members_volunteering=101)
    assert_refused(row, "party_members_volunteering", "参与志愿活动的党员人数不能超过党员人数。")


def test_all_party_members_volunteering_is_allowed(community):
    assert_accepted(stat(community, party_members=100, party_members_volunteering=100))


def test_residents_volunteering_above_residents_is_refused(community):
    row = stat(community, residents=2800, residents_volunteering=2801)
    assert_refused(row, "residents_volunteering", "参与志愿活动的居民人数不能超过常住居民人数。")


def test_all_residents_volunteering_is_allowed(community):
    assert_accepted(stat(community, residents=2800, residents_volunteering=2800))


def test_party_members_above_residents_is_refused(community):
    row = stat(
        community,
        residents=90,
        households=30,
        residents_volunteering=10,
        party_members=91,
        party_members_volunteering=0,
    )
    assert_refused(row, "party_members", "党员人数不能超过常住居民人数。")


def test_households_above_residents_is_refused(community):
    assert_refused(stat(community, households=2801), "households", "户数不能超过常住居民人数。")


@pytest.mark.parametrize(
    "field", ["households", "residents", "party_members", "residents_volunteering"]
)
def test_negative_counts_are_refused(community, field):
    assert_refused(stat(community, **{field: -1}), field, "不能小于 0。")


def test_a_second_row_for_the_same_community_and_year_is_refused(community):
    make_stat(community, 2015)
    assert_refused(stat(community, year=2015), NON_FIELD_ERRORS, "该社区该年度的统计数据已存在。")


def test_the_next_year_is_a_new_row(community):
    make_stat(community, 2015)
    assert_accepted(stat(community, year=2016))


def test_year_outside_2000_2100_is_refused(community):
    assert_refused(stat(community, year=1999), "year", "不能小于 2000。")
