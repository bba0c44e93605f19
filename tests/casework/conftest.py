"""A small hierarchy with a community, its street and county, units and users of each side."""

import datetime

import pytest

from casework.models import Case, CaseCategory, HandlingUnit
from casework.services import case_register
from tests.factories import make_hierarchy, make_user


@pytest.fixture
def place(db):
    communities = make_hierarchy(communities=2)
    make_hierarchy(prefecture="6202", county="620201", street="620201001")
    return communities


@pytest.fixture
def community(place):
    return place[0]


@pytest.fixture
def units(place):
    community = place[0]
    return {
        "community": HandlingUnit.objects.create(code=community.code, name="社区"),
        "street": HandlingUnit.objects.create(code="620102016", name="街道"),
        "county_dept": HandlingUnit.objects.create(
            code="620102", department="县民政局", name="县民政局"
        ),
        "county": HandlingUnit.objects.create(code="620102", name="县"),
    }


@pytest.fixture
def users(place):
    return {
        "desk": make_user("desk", role="staff", scope_code=place[0].code),
        "neighbour": make_user("neighbour", role="staff", scope_code=place[1].code),
        "street_staff": make_user("ststaff", role="staff", scope_code="620102016"),
        "street_official": make_user("stoff", role="official", scope_code="620102016"),
        "county_official": make_user("ctyoff", role="official", scope_code="620102"),
        "pref_official": make_user("prefoff", role="official", scope_code="6201"),
        "other_pref": make_user("otherpref", role="official", scope_code="6202"),
        "admin": make_user("adm", role="admin", scope_code="62"),
    }


@pytest.fixture
def register(community, users):
    def _register(category="help", accepted_on=None, user=None, **extra):
        case = Case(
            community=community,
            category=CaseCategory.objects.get(pk=category),
            channel=extra.pop("channel", "window"),
            description=extra.pop("description", "楼道灯坏了"),
            resident_name=extra.pop("resident_name", "王小明"),
            resident_phone=extra.pop("resident_phone", "13812345678"),
            address="一号楼",
            accepted_on=accepted_on or datetime.date(2015, 9, 7),
            **extra,
        )
        return case_register(case=case, user=user or users["desk"])

    return _register
