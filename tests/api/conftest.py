"""Fixtures for the REST API tests: two prefectures' slices, users of every role, clients."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_hierarchy, make_user

INSIDE = "620102016001"  # a community of 城关区 (6201 兰州市)
INSIDE_2 = "620102016002"
OTHER_STREET = "620102017"  # another street of the same county
OUTSIDE = "620201001001"  # a community of 嘉峪关市 (6202)


@pytest.fixture
def hierarchy(db):
    """Province 62 with two prefectures, three streets and four communities."""
    make_hierarchy(communities=2)
    make_hierarchy(street=OTHER_STREET, communities=1, kind="town")
    make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def users(hierarchy):
    """One user per role and level, keyed by a short name."""
    return {
        "admin": make_user("api_admin", role="admin", scope_code="62"),
        "prefecture": make_user("api_pref", role="official", scope_code="6201"),
        "county": make_user("api_county", role="official", scope_code="620102"),
        "street": make_user("api_street", role="official", scope_code="620102016"),
        "street_staff": make_user("api_street_staff", role="staff", scope_code="620102016"),
        "staff": make_user("api_staff", role="staff", scope_code=INSIDE),
        "other_staff": make_user("api_other_staff", role="staff", scope_code=OUTSIDE),
    }


@pytest.fixture
def clients(users):
    return {name: client_for(user) for name, user in users.items()}


@pytest.fixture
def admin_client(clients):
    return clients["admin"]
