"""Every dated record follows one rule: it exists at Y when started by 31 December and not ended."""

import datetime

import pytest

from communities.models import SocialOrganization
from facilities.models import Facility
from tests.factories import make_hierarchy
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

pytestmark = pytest.mark.django_db

END_2014 = datetime.date(2014, 12, 31)


@pytest.mark.parametrize(
    "model, start, end",
    [
        (Facility, "opened_on", "closed_on"),
        (Volunteer, "registered_on", "left_on"),
        (VolunteerOrganization, "registered_on", "dissolved_on"),
        (SocialOrganization, "registered_on", "dissolved_on"),
        (Worker, "hired_on", "left_on"),
    ],
)
def test_each_dated_model_declares_its_lifespan(model, start, end):
    assert model.LIFESPAN == (start, end)


def test_a_row_ended_on_31_december_is_gone_at_that_year_but_present_the_day_before():
    community = make_hierarchy()[0]
    org = SocialOrganization.objects.create(
        community=community,
        name="队",
        registered_on=datetime.date(2014, 1, 1),
        dissolved_on=END_2014,
    )
    assert not org.is_active_at(2014)
    assert org.is_active_at(2013) is False  # not yet registered
    assert list(SocialOrganization.objects.active_at(2014)) == []
    org.dissolved_on = datetime.date(2015, 1, 1)
    org.save()
    assert org.is_active_at(2014)
    assert list(SocialOrganization.objects.active_at(2014)) == [org]


def test_a_facility_never_opened_is_never_in_service():
    community = make_hierarchy()[0]
    planned = Facility.objects.create(
        kind="station", community=community, name="规划站", floor_area=300
    )
    assert not planned.is_in_service_at(2030)
    assert not Facility.objects.in_service_at(2030).exists()
