"""Leaving, dissolving and leaving-office dates never before the joining date; same day allowed."""

import datetime

import pytest

from communities.models import SocialOrganization
from tests.factories import make_hierarchy
from tests.model_rules import assert_accepted, assert_refused, valid_id_number
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

JOINED = datetime.date(2012, 6, 1)
DAY_BEFORE = datetime.date(2012, 5, 31)


@pytest.fixture
def community(db):
    return make_hierarchy(communities=1)[0]


def volunteer(community, left_on):
    return Volunteer(
        community=community,
        name="张三",
        gender="male",
        id_number=valid_id_number(),
        registered_on=JOINED,
        left_on=left_on,
    )


def worker(community, left_on):
    return Worker(
        community=community,
        name="李四",
        gender="female",
        role="director",
        education="bachelor",
        hired_on=JOINED,
        left_on=left_on,
    )


def test_volunteer_leaving_before_registering_is_refused(community):
    assert_refused(volunteer(community, DAY_BEFORE), "left_on", "退出日期不能早于注册日期。")


def test_volunteer_leaving_on_the_registration_day_is_allowed(community):
    assert_accepted(volunteer(community, JOINED))


def test_worker_leaving_before_taking_office_is_refused(community):
    assert_refused(worker(community, DAY_BEFORE), "left_on", "离职日期不能早于任职日期。")


def test_worker_leaving_on_the_first_day_is_allowed(community):
    assert_accepted(worker(community, JOINED))


def test_volunteer_organization_dissolved_before_founding_is_refused(community):
    org = VolunteerOrganization(
        community=community, name="服务队", registered_on=JOINED, dissolved_on=DAY_BEFORE
    )
    assert_refused(org, "dissolved_on", "解散日期不能早于成立日期。")


def test_volunteer_organization_dissolved_on_the_founding_day_is_allowed(community):
    assert_accepted(
        VolunteerOrganization(
            community=community, name="服务队", registered_on=JOINED, dissolved_on=JOINED
        )
    )


def test_social_organization_dissolved_before_registering_is_refused(community):
    org = SocialOrganization(
        community=community, name="协会", registered_on=JOINED, dissolved_on=DAY_BEFORE
    )
    assert_refused(org, "dissolved_on", "注销日期不能早于成立日期。")


def test_social_organization_dissolved_on_the_registration_day_is_allowed(community):
    assert_accepted(
        SocialOrganization(
            community=community, name="协会", registered_on=JOINED, dissolved_on=JOINED
        )
    )
