"""The dashboards show the year's target: on the cards, and as a path beside the actual line."""

from decimal import Decimal

import pytest

from funding.models import YearlyTarget
from targets.models import Plan
from tests.factories import make_facility, make_stat, make_user

from .helpers import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    a, b, c = world()
    for community in (a, b, c):
        make_stat(community, 2013)
    make_facility(community=a, area="400")
    plan = Plan.objects.get(code="12th-five-year")
    YearlyTarget.objects.create(
        plan=plan, indicator="community_station", region_code="6201", year=2013, rate=Decimal("0.7")
    )
    client.force_login(make_user("lz", role="official", scope_code="6201"))
    return client


def test_cards_show_the_year_target_and_whether_on_track(setup):
    text = setup.get("/dashboard/6201/", {"year": 2013}).content.decode()
    station = text.split('data-testid="year-target-community_station"', 1)[1].split("</dd>", 1)[0]
    assert "70.00%" in station and "落后于进度" in station and "直线推算" not in station
    volunteers = text.split('data-testid="year-target-registered_volunteers"', 1)[1].split("</dd>")[
        0
    ]
    assert "60.00%" in volunteers and "直线推算" in volunteers


def test_progress_line_carries_the_target_path(setup):
    data = setup.get("/dashboard/6201/progress/", {"year": 2015}).json()
    assert data["years"][:6] == ["2010", "2011", "2012", "2013", "2014", "2015"]
    station = data["indicators"]["community_station"]
    assert station["target_name"] == "年度目标"
    assert station["targets"][3] == 70.0  # the set 2013 target
    assert station["targets"][5] == 100.0
    other = data["indicators"]["registered_volunteers"]
    assert other["target_name"] == "年度目标（未制定，按直线推算）"
    assert other["targets"][:6] == [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
