"""A reference to a parent that does not exist is a validation error, never a crash.

Imports and scripts set ``*_id`` columns straight from their input; ``clean()`` must then
answer with the field's message instead of raising ``DoesNotExist`` (a 500 in a view).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from facilities.models import Facility
from streets.models import Division, Street
from tests.factories import make_hierarchy
from tests.model_rules import valid_id_number
from volunteers.models import Volunteer


@pytest.fixture
def community(db):
    return make_hierarchy(communities=1)[0]


def refused_on(instance, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert field in caught.value.message_dict


def test_division_with_an_unknown_parent(community):
    refused_on(Division(code="6299", name="某市", level="prefecture", parent_id="61"), "parent")


def test_street_with_an_unknown_county(community):
    refused_on(Street(code="629901001", name="某街道", kind="town", county_id="629901"), "county")


def test_facility_with_an_unknown_community(community):
    facility = Facility(
        name="站",
        kind="station",
        street_id=community.street_id,
        community_id="620102016999",
        floor_area=Decimal("300"),
    )
    refused_on(facility, "community")


def test_volunteer_with_an_unknown_organization(community):
    volunteer = Volunteer(
        community=community,
        organization_id=999999,
        name="赵六",
        gender="male",
        id_number=valid_id_number(),
        registered_on=datetime.date(2013, 1, 1),
    )
    refused_on(volunteer, "organization")
