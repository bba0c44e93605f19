"""A two-prefecture world with one record of every kind per community, and users of each role."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from communities.models import SocialOrganization
from core.validators import id_check_char, id_number_sex
from facilities.models import FacilityFunding
from tests.factories import make_facility, make_hierarchy, make_stat, make_user
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker

# 兰州市 城关区 团结新村街道 (two communities) and a second street; 嘉峪关市 outside 兰州.
INSIDE_STREET = "620102016"
OTHER_STREET_SAME_COUNTY = "620102017"
OUTSIDE_STREET = "620201001"
STAFF_COMMUNITY = "620102016001"


def id_number(region: str, serial: int, birth: str = "19800101") -> str:
    """Return a valid GB 11643 ID number."""
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + id_check_char(first17)


@dataclass
class World:
    communities: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)

    def codes_of(self, kind: str, prefix: str) -> set:
        """Return the ids of ``kind`` records whose community code starts with ``prefix``."""
        return {pk for code, pk in self.records[kind] if code.startswith(prefix)}


def build_world() -> World:
    world = World()
    communities = (
        make_hierarchy(communities=2)
        + make_hierarchy(street=OTHER_STREET_SAME_COUNTY, communities=1)
        + make_hierarchy(prefecture="6202", county="620201", street=OUTSIDE_STREET, communities=1)
    )
    kinds = (
        "stat",
        "facility",
        "funding",
        "org",
        "volunteer",
        "record",
        "social",
        "worker",
        "training",
    )
    world.records = {kind: [] for kind in kinds}
    for n, community in enumerate(communities, start=1):
        code = community.code
        world.communities[code] = community
        add = lambda kind, obj, code=code: world.records[kind].append((code, obj.pk))  # noqa: E731
        add("stat", make_stat(community, 2015))
        facility = make_facility(community=community, area="320", name=f"服务站{code}")
        add("facility", facility)
        add(
            "funding",
            FacilityFunding.objects.create(
                facility=facility, source="provincial", year=2012, amount_wan_yuan=Decimal("30")
            ),
        )
        org = VolunteerOrganization.objects.create(
            community=community, name=f"志愿服务队{n}", registered_on=datetime.date(2011, 3, 1)
        )
        add("org", org)
        volunteer = Volunteer.objects.create(
            community=community,
            organization=org,
            name=f"志愿者{n}",
            gender=id_number_sex(id_number(code[:6], n)),
            id_number=id_number(code[:6], n),
            phone=f"1380000{n:04d}",
            registered_on=datetime.date(2012, 5, 1),
        )
        add("volunteer", volunteer)
        add(
            "record",
            ServiceRecord.objects.create(
                volunteer=volunteer,
                served_on=datetime.date(2013, 1, 5),
                hours=Decimal("2"),
                category="elderly",
                activity="探访老人",
            ),
        )
        add(
            "social",
            SocialOrganization.objects.create(
                community=community, name=f"文体协会{n}", registered_on=datetime.date(2010, 1, 1)
            ),
        )
        worker = Worker.objects.create(
            community=community,
            name=f"工作者{n}",
            gender="male",
            role="director",
            education="bachelor",
            hired_on=datetime.date(2011, 1, 1),
        )
        add("worker", worker)
        add(
            "training",
            Training.objects.create(
                worker=worker,
                title="社会工作培训",
                started_on=datetime.date(2014, 6, 1),
                hours=Decimal("16"),
            ),
        )
    # A street centre too, owned by the street.
    street = communities[0].street
    centre = make_facility(
        kind="centre", street=street, area="900", name="团结新村街道社区服务中心"
    )
    world.records["facility"].append((street.code, centre.pk))
    return world


@pytest.fixture
def world(db):
    return build_world()


ROLES = {
    "admin": ("admin", "62"),
    "prefecture": ("official", "6201"),
    "street": ("official", INSIDE_STREET),
    "staff": ("staff", STAFF_COMMUNITY),
    # 三员分立: accounts are the security administrator's, the log the audit administrator's.
    "security": ("security", "62"),
    "auditor": ("auditor", "62"),
}


@pytest.fixture
def users(db):
    return {
        key: make_user(f"u_{key}", role=role, scope_code=code, is_staff=True)
        for key, (role, code) in ROLES.items()
    }


@pytest.fixture
def login(client, users):
    def as_role(key: str):
        client.force_login(users[key])
        return client

    return as_role
