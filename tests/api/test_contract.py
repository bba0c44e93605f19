"""The contract of API.md: paths, keys, field names, enum values, number formats, pagination."""

import pytest
from rest_framework.test import APIClient

from . import data
from .conftest import INSIDE

pytestmark = pytest.mark.django_db

# Field names exactly as API.md writes them (the table "Resources").
FIELDS = {
    "divisions": {"code", "name", "level", "parent_code"},
    "streets": {"code", "name", "kind", "county_code"},
    "communities": {"code", "name", "street_code", "digital_3d_completed_on"},
    "community-stats": {
        "community_code",
        "year",
        "households",
        "residents",
        "party_members",
        "party_members_volunteering",
        "residents_volunteering",
        "status",
        "version",
    },
    "facilities": {
        "name",
        "kind",
        "street_code",
        "community_code",
        "floor_area",
        "opened_on",
        "closed_on",
        "construction_mode",
        "address",
    },
    "volunteer-organizations": {"community_code", "name", "registered_on", "dissolved_on"},
    "volunteers": {
        "community_code",
        "organization",
        "name",
        "gender",
        "id_number_masked",
        "phone",
        "is_party_member",
        "registered_on",
        "left_on",
        "service_categories",
    },
    "social-organizations": {"community_code", "name", "category", "registered_on", "dissolved_on"},
    "workers": {
        "community_code",
        "name",
        "gender",
        "role",
        "education",
        "social_work_qualification",
        "hired_on",
        "left_on",
    },
    # Money and yearly targets (v1 additions)
    "budget-lines": {
        "region_code",
        "year",
        "cost_type",
        "source",
        "budgeted_wan_yuan",
        "allocated_wan_yuan",
        "spent_wan_yuan",
        "status",
        "version",
    },
    "yearly-targets": {"plan", "indicator", "region_code", "year", "rate"},
}

# Enum values exactly as API.md writes them: (schema component, property) → values.
ENUMS = {
    ("Division", "level"): ["province", "prefecture", "county"],
    ("Street", "kind"): ["subdistrict", "town", "township", "other"],
    ("CommunityStat", "status"): ["draft", "submitted", "approved", "returned"],
    ("Facility", "kind"): ["centre", "station", "specialized"],
    ("Facility", "construction_mode"): ["new_build", "extension", "purchase", "repurpose"],
    ("Volunteer", "gender"): ["male", "female"],
    ("Worker", "role"): [
        "secretary",
        "director",
        "deputy_director",
        "member",
        "full_time",
        "group_leader",
        "building_leader",
    ],
    ("Worker", "education"): [
        "junior_or_below",
        "high_school",
        "secondary",
        "college",
        "bachelor",
        "postgraduate",
    ],
    ("Worker", "social_work_qualification"): ["none", "assistant", "intermediate", "senior"],
    ("BudgetLine", "cost_type"): ["facilities", "worker_pay", "running", "informatisation"],
    ("BudgetLine", "source"): ["fiscal", "transfer", "service_income", "social"],
    ("BudgetLine", "status"): ["draft", "submitted", "approved", "returned"],
}

# Filters API.md names for each list.
FILTERS = {
    "divisions": {"level", "parent_code", "scope"},
    "streets": {"kind", "county_code", "scope"},
    "communities": {"street_code", "scope", "search"},
    "community-stats": {"community_code", "year", "scope", "status"},
    "facilities": {"kind", "street_code", "community_code", "scope", "in_service_year"},
    "volunteer-organizations": {"community_code", "scope"},
    "volunteers": {"community_code", "scope", "is_party_member", "registered_year"},
    "social-organizations": {"community_code", "scope", "category"},
    "workers": {"community_code", "scope", "role", "education"},
    "budget-lines": {"region_code", "scope", "year", "cost_type", "source"},
    "yearly-targets": {"plan", "indicator", "scope", "year"},
}


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def resolve(schema, node):
    """Follow $ref / allOf / oneOf down to the enum values of a property."""
    if "$ref" in node:
        return resolve(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    for key in ("allOf", "oneOf"):
        if key in node:
            values = []
            for part in node[key]:
                values += [v for v in resolve(schema, part) if v not in ("", None)]
            return values
    return node.get("enum", [])


@pytest.fixture
def everything(admin_client):
    """One record of each id-keyed resource, created through the API."""
    ids = {}
    org = admin_client.post(
        "/api/v1/volunteer-organizations/", data.volunteer_organization(), format="json"
    ).json()
    ids["volunteer-organizations"] = org["id"]
    bodies = {
        "community-stats": data.stat(),
        "facilities": data.facility(),
        "volunteers": data.volunteer(organization=org["id"]),
        "social-organizations": data.social_organization(),
        "workers": data.worker(),
        "budget-lines": {
            "region_code": "620102",
            "year": 2013,
            "cost_type": "running",
            "source": "fiscal",
            "budgeted_wan_yuan": "100",
            "allocated_wan_yuan": "80",
            "spent_wan_yuan": "60.5",
        },
        "yearly-targets": {
            "plan": "12th-five-year",
            "indicator": "community_station",
            "region_code": "6201",
            "year": 2013,
            "rate": "0.7",
        },
    }
    for path, body in bodies.items():
        response = admin_client.post(f"/api/v1/{path}/", body, format="json")
        assert response.status_code == 201, (path, response.content)
        ids[path] = response.json()["id"]
    return ids


KEYS = {"divisions": "6201", "streets": "620102016", "communities": INSIDE}


@pytest.mark.parametrize("path", FIELDS)
def test_each_resource_answers_the_contract_fields(admin_client, everything, path):
    key = KEYS.get(path) or everything[path]
    detail = admin_client.get(f"/api/v1/{path}/{key}/")
    assert detail.status_code == 200
    assert FIELDS[path] <= set(detail.json()), FIELDS[path] - set(detail.json())
    listing = admin_client.get(f"/api/v1/{path}/").json()
    assert set(listing) == {"count", "next", "previous", "results"}
    assert set(listing["results"][0]) == set(detail.json())
    assert ("code" if path in KEYS else "id") in detail.json()


@pytest.mark.parametrize(("component", "field"), ENUMS)
def test_enum_values_are_the_contract_values(schema, component, field):
    prop = schema["components"]["schemas"][component]["properties"][field]
    assert resolve(schema, prop) == ENUMS[component, field]


@pytest.mark.parametrize("path", FILTERS)
def test_each_list_documents_its_filters_and_pagination(schema, path):
    operation = schema["paths"][f"/api/v1/{path}/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert FILTERS[path] | {"page", "page_size"} <= names


def test_read_only_and_write_only_fields(schema):
    components = schema["components"]["schemas"]
    stat = components["CommunityStat"]["properties"]
    assert stat["status"]["readOnly"] and stat["version"]["readOnly"]
    assert "status" not in components["CommunityStatRequest"]["properties"]
    assert "id_number" in components["VolunteerRequest"]["properties"]
    assert "id_number" not in components["Volunteer"]["properties"]
    assert components["Volunteer"]["properties"]["id_number_masked"]["readOnly"]


def test_numbers_and_dates_are_formatted_as_the_contract_says(admin_client, everything):
    facility = admin_client.get(f"/api/v1/facilities/{everything['facilities']}/").json()
    assert facility["floor_area"] == "320.50"
    assert facility["opened_on"] == "2012-06-01"
    assert facility["closed_on"] is None
    volunteer = admin_client.get(f"/api/v1/volunteers/{everything['volunteers']}/").json()
    assert volunteer["service_categories"] == ["elderly", "culture_sports"]
    assert volunteer["organization"] == everything["volunteer-organizations"]
    assert volunteer["id_number_masked"].count("*") == 8


def test_chinese_text_is_sent_as_is(admin_client, everything):
    response = admin_client.get(f"/api/v1/workers/{everything['workers']}/")
    assert "李四".encode() in response.content
    assert response["Content-Type"].startswith("application/json")


def test_filters_select_what_they_name(admin_client, everything):
    def count(path, **params):
        return admin_client.get(f"/api/v1/{path}/", params).json()["count"]

    assert count("divisions", level="prefecture") == 2
    assert count("divisions", parent_code="6201") == 1
    assert count("streets", kind="town") == 1
    assert count("streets", county_code="620102") == 2
    assert count("communities", search="社区620102016") == 2
    assert count("communities", street_code="620201001") == 1
    assert count("community-stats", year=2015, status="draft") == 1
    assert count("community-stats", status="approved") == 0
    assert count("facilities", kind="station", in_service_year=2012) == 1
    assert count("facilities", in_service_year=2011) == 0
    assert count("volunteers", registered_year=2013, is_party_member="true") == 1
    assert count("volunteers", registered_year=2014) == 0
    assert count("social-organizations", category="elderly") == 1
    assert count("workers", role="director", education="bachelor") == 1
    assert count("workers", community_code="620201001001") == 0


@pytest.mark.parametrize(
    ("path", "params", "key"),
    [
        ("divisions", {"level": "city"}, "level"),
        ("community-stats", {"year": "abc"}, "year"),
        ("community-stats", {"year": "99999999999999"}, "year"),
        ("community-stats", {"status": "done"}, "status"),
        ("facilities", {"in_service_year": "-1"}, "in_service_year"),
        ("volunteers", {"registered_year": "1e9"}, "registered_year"),
        ("workers", {"scope": "62x"}, "scope"),
        ("communities", {"scope": "6" * 40}, "scope"),
    ],
)
def test_bad_filter_values_are_400(admin_client, path, params, key):
    response = admin_client.get(f"/api/v1/{path}/", params)
    assert response.status_code == 400
    assert key in response.json()


def test_page_size_is_capped_at_1000(admin_client, hierarchy):
    from tests.factories import make_hierarchy

    make_hierarchy(street="620102018", communities=999)
    first = admin_client.get("/api/v1/communities/", {"page_size": 5000}).json()
    assert len(first["results"]) == 1000
    assert first["count"] == 1003
    assert first["next"] and first["previous"] is None
    second = admin_client.get(first["next"]).json()
    assert len(second["results"]) == 3
    assert admin_client.get("/api/v1/communities/").json()["results"].__len__() == 50
    assert (
        len(admin_client.get("/api/v1/communities/", {"page_size": 3, "page": 2}).json()["results"])
        == 3
    )
    assert admin_client.get("/api/v1/communities/", {"page": 999}).status_code == 404
