import datetime

import pytest

from reporting.models import ReportingPeriod
from tests.entry_data import EntryWorld
from tests.factories import make_user


class CycleWorld(EntryWorld):
    """EntryWorld with a county official and the 2015 period (street, then county)."""

    def __init__(self):
        super().__init__()
        self.county_official = make_user("county-e", role="official", scope_code="620102")
        self.other_street_official = make_user(
            "street17-e", role="official", scope_code="620102017"
        )
        self.period = ReportingPeriod.objects.create(
            year=2015,
            opens_on=datetime.date(2015, 12, 1),
            due_on=datetime.date(2016, 1, 31),
            approval_levels=["street", "county"],
        )


@pytest.fixture
def world(db):
    return CycleWorld()
