"""The API of the standards and teams (API.md, "Standards and teams"): fields, enums, filters,
the teams/ summary, and the rules as every channel enforces them."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from facilities.models import Facility
from teams.models import TrainingPlan
from tests.factories import make_facility, make_hierarchy, make_user
from volunteers.models import VolunteerOrganization

from .world import committees, ensure_catalogue, full_team

pytestmark = pytest.mark.django_db
D = datetime.date
INSIDE, NEIGHBOUR, OUTSIDE = "620102016001", "620102016002", "620201001001"


@pytest.fixture
def world(db):
    ensure_catalogue()
    make_hierarchy(communities=2)
    make_hierarchy(prefecture="6202", county="620201", street="620201001")
    return {
        "admin": client(make_user("a", role="admin", scope_code="62")),
        "street": client(make_user("o", role="official", scope_code="620102016")),
        "staff": client(make_user("s", role="staff", scope_code=INSIDE)),
    }


def client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


FIELDS = {
    "service-standards": {"code", "service_line", "name", "content", "standard", "check_method"},
    "standard-checks": {
        "id",
        "facility",
        "standard",
        "year",
        "result",
        "note",
        "reviewed_by",
        "version",
    },
    "committees": {
        "id",
        "community_code",
        "kind",
        "chair",
        "established_on",
        "dissolved_on",
        "version",
    },
    "training-plans": {
        "id",
        "region_code",
        "year",
        "courses",
        "hours_per_worker",
        "share_to_train",
        "version",
    },
    "entrusted-projects": {
        "id",
        "community_code",
        "street_code",
        "organization",
        "name",
        "service_line",
        "starts_on",
        "ends_on",
        "funding_wan_yuan",
        "budget_line",
        "target_beneficiaries",
        "achieved_beneficiaries",
        "rating",
        "version",
    },
}


def test_resources_answer_the_contract_fields_and_enums(world):
    admin = world["admin"]
    station = make_facility(community_id=INSIDE)
    org = VolunteerOrganization.objects.create(
        community_id=INSIDE, name="志愿队", registered_on=D(2012, 1, 1)
    )
    created = {
        "standard-checks": admin.post(
            "/api/v1/standard-checks/",
            {
                "facility": station.pk,
                "standard": "employment-01",
                "year": 2015,
                "result": "not_met",
            },
            format="json",
        ),
        "committees": admin.post(
            "/api/v1/committees/",
            {"community_code": INSIDE, "kind": "public_health", "established_on": "2013-01-01"},
            format="json",
        ),
        "training-plans": admin.post(
            "/api/v1/training-plans/",
            {
                "region_code": "6201",
                "year": 2015,
                "courses": 3,
                "hours_per_worker": "24.0",
                "share_to_train": "0.85",
            },
            format="json",
        ),
        "entrusted-projects": admin.post(
            "/api/v1/entrusted-projects/",
            {
                "community_code": INSIDE,
                "organization": org.pk,
                "name": "四点半课堂",
                "service_line": "culture_education_sports",
                "starts_on": "2015-03-01",
                "funding_wan_yuan": "1.20",
                "target_beneficiaries": 40,
                "achieved_beneficiaries": 38,
                "rating": "good",
            },
            format="json",
        ),
    }
    for name, answer in created.items():
        assert answer.status_code == 201, (name, answer.json())
        assert set(answer.json()) == FIELDS[name], name
    assert created["training-plans"].json()["share_to_train"] == "0.8500"
    listing = admin.get("/api/v1/service-standards/", {"service_line": "employment"}).json()
    assert {row["code"] for row in listing["results"]} == {
        "employment-01",
        "employment-02",
        "employment-03",
    }
    assert set(listing["results"][0]) == FIELDS["service-standards"]
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schema["ResultEnum"]["enum"] == ["meets", "partly", "not_met"]
    assert schema["CommitteeKindEnum"]["enum"] == [
        "mediation",
        "security",
        "public_health",
        "welfare",
        "culture",
        "other",
    ]


def test_lists_filter_as_the_contract_says(world):
    admin = world["admin"]
    inside = make_facility(community_id=INSIDE)
    outside = make_facility(community_id=OUTSIDE)
    for facility, result in ((inside, "meets"), (outside, "partly")):
        admin.post(
            "/api/v1/standard-checks/",
            {"facility": facility.pk, "standard": "employment-01", "year": 2015, "result": result},
            format="json",
        )
    assert admin.get("/api/v1/standard-checks/", {"scope": "6201"}).json()["count"] == 1
    assert admin.get("/api/v1/standard-checks/", {"result": "partly"}).json()["count"] == 1
    assert (
        admin.get("/api/v1/standard-checks/", {"facility": inside.pk, "year": 2014}).json()["count"]
        == 0
    )
    # Staff see only their own facility's checks and cannot check another's.
    staff = world["staff"]
    assert staff.get("/api/v1/standard-checks/").json()["count"] == 1
    refused = staff.post(
        "/api/v1/standard-checks/",
        {"facility": outside.pk, "standard": "employment-02", "year": 2015, "result": "meets"},
        format="json",
    )
    assert refused.status_code == 400 and "facility" in refused.json()


def test_an_organisation_outside_the_area_is_refused_by_the_api(world):
    neighbour = VolunteerOrganization.objects.create(
        community_id=NEIGHBOUR, name="邻社区服务队", registered_on=D(2012, 1, 1)
    )
    body = {
        "community_code": INSIDE,
        "organization": neighbour.pk,
        "name": "助残项目",
        "service_line": "social_security",
        "starts_on": "2015-01-01",
    }
    # The administrator sees both communities: the model's rule answers.
    answer = world["admin"].post("/api/v1/entrusted-projects/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["organization"] == ["承接组织“邻社区服务队”不是本社区的志愿服务组织。"]
    # Staff do not even see the neighbour's organisation.
    answer = world["staff"].post("/api/v1/entrusted-projects/", body, format="json")
    assert answer.status_code == 400 and "organization" in answer.json()


def test_only_administrators_write_training_plans(world):
    answer = world["staff"].post(
        "/api/v1/training-plans/",
        {"region_code": "6201", "year": 2015, "hours_per_worker": "10", "share_to_train": "0.5"},
        format="json",
    )
    assert answer.status_code == 403
    TrainingPlan.objects.create(
        region_code="62", year=2015, hours_per_worker=Decimal("8"), share_to_train=Decimal("0.5")
    )
    assert world["staff"].get("/api/v1/training-plans/").json()["count"] == 1  # read province-wide


def test_teams_summary(world):
    from communities.models import Community

    home, neighbour = Community.objects.filter(street_id="620102016").order_by("code")
    full_team(home)
    committees(home)
    full_team(neighbour, director=False)
    answer = world["street"].get("/api/v1/teams/", {"scope": "620102016", "year": 2015})
    assert answer.status_code == 200
    assert answer.json() == {
        "scope": "620102016",
        "year": 2015,
        "communities": 2,
        "two_committees_complete": 1,
        "complete_rate": "0.5000",
        "missing_posts": [
            {
                "community_code": NEIGHBOUR,
                "missing": ["director", "mediation", "security", "public_health"],
            }
        ],
        "children": [
            {
                "scope": INSIDE,
                "name": home.name,
                "communities": 1,
                "two_committees_complete": 1,
                "complete_rate": "1.0000",
            },
            {
                "scope": NEIGHBOUR,
                "name": neighbour.name,
                "communities": 1,
                "two_committees_complete": 0,
                "complete_rate": "0.0000",
            },
        ],
    }
    assert world["street"].get("/api/v1/teams/", {"scope": "620201001"}).status_code == 404
    assert world["street"].get("/api/v1/teams/", {"year": "abc"}).status_code == 400
    assert Facility.objects.count() == 0
