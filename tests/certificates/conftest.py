import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from tests.factories import make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    community = make_hierarchy(communities=1)[0]
    staff = make_user("staff1", role="staff", scope_code=community.code, first_name="")
    other_staff = make_user("staff2", role="staff", scope_code="620102016002")
    org = VolunteerOrganization.objects.create(
        community=community,
        name="团结新村爱心服务队",
        registered_on=datetime.date(2011, 1, 1),
        registration_status="registered",
        registration_number="甘民登字第0012号",
        manager_name="张队长",
        contact_phone="0931-8888888",
    )
    volunteer = Volunteer.objects.create(
        community=community,
        name="王小明",
        gender="male",
        id_number=valid_id_number(serial=31),
        registered_on=datetime.date(2012, 3, 1),
        organization=org,
    )

    def record(
        day, hours, status="confirmed", organization=org, category="elderly", activity="敬老服务"
    ):
        return ServiceRecord.objects.create(
            volunteer=volunteer,
            organization=organization,
            served_on=day,
            hours=Decimal(hours),
            category=category,
            activity=activity,
            status=status,
        )

    record(datetime.date(2013, 5, 1), "8")
    record(datetime.date(2014, 9, 9), "4.5", category="culture_sports", activity="社区文艺演出")
    record(datetime.date(2014, 10, 1), "20", status="recorded")
    record(datetime.date(2014, 11, 1), "6", organization=None, activity="社区自办活动")
    return {
        "community": community,
        "staff": staff,
        "other_staff": other_staff,
        "org": org,
        "volunteer": volunteer,
        "record": record,
    }
