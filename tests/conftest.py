"""Shared fixtures: the real hierarchy (a slice of it) and users of each role."""

import pytest

from tests.factories import make_user


@pytest.fixture
def divisions(db):
    """Load the whole real hierarchy from fixtures/."""
    from streets.services import divisions_load

    divisions_load()


@pytest.fixture
def admin_user(db):
    return make_user("admin1", role="admin", scope_code="62")


@pytest.fixture
def prefecture_official(db):
    return make_user("pref1", role="official", scope_code="6201")


@pytest.fixture
def street_official(db):
    return make_user("street1", role="official", scope_code="620102016")
