"""Data-quality rules, each at its threshold; errors refuse the save, warnings ask at submission."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from communities.models import CommunityStat
from reporting.quality import Facts, check
from tests.factories import make_facility, make_stat

pytestmark = pytest.mark.django_db


def row(**values):
    base = {
        "households": 1000,
        "residents": 2800,
        "party_members": 100,
        "party_members_volunteering": 80,
        "residents_volunteering": 840,
    }
    base.update(values)
    return CommunityStat(community_id="620102016001", year=2015, **base)


NO_FACTS = Facts()


def codes(stat, facts=NO_FACTS, period=None):
    return {p.rule for p in check(stat, period, facts)}


def test_a_plain_row_passes():
    assert codes(row()) == set()


def test_volunteers_register_at_its_threshold():
    assert "volunteers_register" not in codes(
        row(residents_volunteering=840), Facts(volunteers=840)
    )
    found = check(row(residents_volunteering=839), None, Facts(volunteers=840))
    assert [(p.rule, p.severity, p.field) for p in found] == [
        ("volunteers_register", "error", "residents_volunteering")
    ]


@pytest.mark.parametrize(
    ("households", "flagged"),
    [(1866, False), (1867, True), (560, False), (559, True)],  # 2800 ÷ 1.5 = 1866.7; 2800 ÷ 5 = 560
)
def test_household_size_at_its_thresholds(households, flagged):
    assert ("household_size" in codes(row(households=households))) is flagged


@pytest.mark.parametrize(
    ("residents", "households", "flagged"),
    [
        (3000, 1000, False),
        (3001, 1000, True),
        (1000, 1000, False),
        (999, 1000, True),
        (2000, 1501, True),
    ],
)
def test_year_change_at_its_threshold(residents, households, flagged):
    facts = Facts(previous=(2000, 1000))
    stat = row(
        residents=residents,
        households=households,
        party_members=10,
        party_members_volunteering=5,
        residents_volunteering=10,
    )
    assert ("year_change" in codes(stat, facts)) is flagged


def test_party_share_at_its_threshold():
    assert "party_share" not in codes(row(party_members=700))  # 25 % of 2800
    assert "party_share" in codes(row(party_members=701))


def test_area_per_household_at_its_threshold():
    assert "area_per_household" not in codes(row(), Facts(facility_area=Decimal("20000")))
    assert "area_per_household" in codes(row(), Facts(facility_area=Decimal("20000.01")))


def test_a_period_overrides_thresholds_and_severity(world):
    world.period.quality_rules = {"party_share": {"threshold": "0.30", "severity": "error"}}
    assert "party_share" not in codes(row(party_members=800), period=world.period)
    found = check(row(party_members=900), world.period, Facts())
    assert [(p.rule, p.severity) for p in found] == [("party_share", "error")]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(community, **values):
    data = {
        "community_code": community.code,
        "year": 2015,
        "households": 1000,
        "residents": 2800,
        "party_members": 100,
        "party_members_volunteering": 80,
        "residents_volunteering": 0,
    }
    data.update(values)
    return data


def test_an_error_refuses_the_save_in_a_period_year(world):
    from tests.entry_data import valid_id
    from volunteers.models import Volunteer

    Volunteer.objects.create(
        community=world.home,
        name="甲",
        gender="male",
        id_number=valid_id(1),
        phone="13800000001",
        registered_on=datetime.date(2013, 1, 1),
    )
    client = api(world.staff)
    response = client.post("/api/v1/community-stats/", body(world.home), format="json")
    assert response.status_code == 400
    assert "在册" in response.json()["residents_volunteering"][0]
    assert (
        client.post(
            "/api/v1/community-stats/", body(world.home, residents_volunteering=1), format="json"
        ).status_code
        == 201
    )
    # A year without a period keeps the old rules.
    assert (
        client.post(
            "/api/v1/community-stats/", body(world.home, year=2014), format="json"
        ).status_code
        == 201
    )


def test_a_warning_asks_for_confirmation_at_submission(client, world):
    stat = make_stat(world.home, 2015, party_members=800, party_members_volunteering=80)
    client.force_login(world.staff)
    response = client.post(f"/stats/{stat.pk}/submit/", {"version": stat.version})
    assert response.status_code == 200
    assert "党员占居民比例过高" in response.content.decode()
    stat.refresh_from_db()
    assert stat.status == "draft"
    response = client.post(
        f"/stats/{stat.pk}/submit/", {"version": stat.version, "confirm_warnings": "1"}
    )
    assert response.status_code == 302
    stat.refresh_from_db()
    assert stat.status == "submitted"
    # The approver sees the warning on the row.
    client.force_login(world.street_official)
    assert "党员占居民比例过高" in client.get(f"/stats/{stat.pk}/").content.decode()


def test_the_quality_page_lists_warnings_by_rule(client, world):
    make_stat(world.home, 2015, households=400)  # 7 residents per household
    make_stat(world.sibling, 2015)
    make_facility(kind="station", community=world.sibling, area="30000")
    client.force_login(world.street_official)
    html = client.get("/reporting/620102016/quality/", {"year": 2015}).content.decode()
    assert "户均人口不合理" in html and "户均设施面积过大" in html
    assert world.home.name in html and world.sibling.name in html
