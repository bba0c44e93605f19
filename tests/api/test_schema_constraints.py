"""The OpenAPI schema states the constraints the API enforces, and what it allows is accepted.

The first tests read the constraints off ``/api/schema/`` (code patterns and lengths, ranges,
enums). The last walks the schema: for a sample of update operations it draws values from each
property's own schema (hypothesis-jsonschema) and sends them one property at a time; none may
be refused as invalid for that property. Properties whose validity depends on other rows or
fields the schema cannot state (ids, codes, dates, free text, a volunteer's gender) are left out.
"""

import datetime
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from rest_framework.test import APIClient

from communities.models import MAX_RESIDENTS
from core.validators import id_check_char
from tests.factories import make_facility, make_hierarchy, make_stat, make_user
from volunteers.models import ServiceRecord, Volunteer
from workforce.models import Worker

pytestmark = pytest.mark.django_db
HOME = "620102016001"


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return json.loads(APIClient().get("/api/schema/", {"format": "json"}).content)


def component(schema, name):
    return schema["components"]["schemas"][name]


def resolved(schema, prop: dict) -> dict:
    """Inline ``$ref`` and one-element ``allOf`` so that a property stands on its own."""
    if "$ref" in prop:
        return resolved(schema, component(schema, prop["$ref"].rsplit("/", 1)[1]))
    prop = dict(prop)
    if "allOf" in prop and len(prop["allOf"]) == 1:
        inner = resolved(schema, prop.pop("allOf")[0])
        prop = {**inner, **{k: v for k, v in prop.items() if k not in ("title", "description")}}
    for key in ("oneOf", "anyOf"):
        if key in prop:
            prop[key] = [resolved(schema, p) for p in prop[key]]
    if "items" in prop:
        prop["items"] = resolved(schema, prop["items"])
    prop.pop("readOnly", None)
    prop.pop("writeOnly", None)
    prop.pop("format", None) if prop.get("format") == "decimal" else None
    if prop.pop("nullable", False):
        prop = {"anyOf": [prop, {"type": "null"}]}
    return prop


def test_codes_state_their_digits_and_length(schema):
    community = component(schema, "CommunityRequest")["properties"]
    assert community["code"]["pattern"] == r"^\d{12}$"
    assert community["code"]["minLength"] == community["code"]["maxLength"] == 12
    assert community["street_code"]["pattern"] == r"^\d{9}$"
    street = component(schema, "StreetRequest")["properties"]
    assert (
        street["code"]["pattern"] == r"^\d{9}$" and street["county_code"]["pattern"] == r"^\d{6}$"
    )
    division = component(schema, "DivisionRequest")["properties"]
    assert division["code"]["pattern"] == r"^(\d{2}|\d{4}|\d{6})$"
    for name in ("VolunteerRequest", "WorkerRequest", "CommunityStatRequest"):
        assert component(schema, name)["properties"]["community_code"]["pattern"] == r"^\d{12}$"


def test_counts_and_years_state_their_ranges(schema):
    stat = component(schema, "CommunityStatRequest")["properties"]
    assert (stat["year"]["minimum"], stat["year"]["maximum"]) == (2000, 2100)
    for name in ("households", "residents", "party_members", "residents_volunteering"):
        assert (stat[name]["minimum"], stat[name]["maximum"]) == (0, MAX_RESIDENTS), name


def test_decimal_strings_state_their_bounds(schema):
    area = component(schema, "FacilityRequest")["properties"]["floor_area"]
    assert area["pattern"] == r"^\d{0,6}(?:\.\d{0,2})?$"  # no minus sign, six whole digits
    assert (area["x-minimum"], area["x-maximum"]) == ("0.01", "100000")
    hours = component(schema, "ServiceRecordRequest")["properties"]["hours"]
    assert (hours["x-minimum"], hours["x-maximum"]) == ("0.5", "24")


def test_dates_of_what_has_happened_state_their_bounds(schema):
    for name, prop in (
        ("VolunteerRequest", "registered_on"),
        ("FacilityRequest", "opened_on"),
        ("WorkerRequest", "hired_on"),
        ("CommunityRequest", "digital_3d_completed_on"),
    ):
        date = component(schema, name)["properties"][prop]
        assert (date["x-minimum"], date["x-maximum"]) == ("1949-10-01", "today"), name
    # An end date is bounded by its start, not by the calendar.
    assert "x-minimum" not in component(schema, "VolunteerRequest")["properties"]["left_on"]


def test_the_date_bounds_stated_are_the_ones_enforced(schema, rows):
    client = APIClient()
    client.force_authenticate(make_user("dates_admin", role="admin", scope_code="62"))
    volunteer = rows["volunteers"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)  # past midnight in any zone
    for value, status in (("1949-09-30", 400), (tomorrow.isoformat(), 400), ("1949-10-01", 200)):
        with transaction.atomic():
            response = client.patch(
                f"/api/v1/volunteers/{volunteer.pk}/", {"registered_on": value}, format="json"
            )
            transaction.set_rollback(True)
        assert response.status_code == status, (value, response.content)
        if status == 400:
            assert "registered_on" in response.json()


def test_choices_are_enums(schema):
    volunteer = component(schema, "VolunteerRequest")["properties"]
    assert resolved(schema, volunteer["gender"])["enum"] == ["male", "female"]
    worker = component(schema, "WorkerRequest")["properties"]
    assert "secretary" in resolved(schema, worker["role"])["enum"]


# -- the schema-driven run -------------------------------------------------------------------

#: resource → (its request component, the properties drawn from their own schema)
SAMPLE = {
    "community-stats": (
        "CommunityStatRequest",
        [
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
        ],
    ),
    # A volunteer's gender follows the ID number's sex digit, a rule across fields.
    "volunteers": ("VolunteerRequest", ["is_party_member", "service_categories"]),
    "workers": (
        "WorkerRequest",
        ["gender", "role", "education", "social_work_qualification", "recruitment"],
    ),
    "facilities": ("FacilityRequest", ["construction_mode", "services"]),
    "service-records": ("ServiceRecordRequest", ["category", "rating", "people_served"]),
}


@pytest.fixture
def rows(db):
    community = make_hierarchy(communities=1)[0]
    stat = make_stat(
        community,
        households=0,
        residents=MAX_RESIDENTS,
        party_members=MAX_RESIDENTS,
        party_members_volunteering=0,
        residents_volunteering=0,
    )
    volunteer = Volunteer.objects.create(
        community_id=HOME,
        name="张三",
        gender="male",
        id_number="62010219800101001" + id_check_char("62010219800101001"),
        registered_on=datetime.date(2012, 1, 1),
    )
    worker = Worker.objects.create(
        community_id=HOME,
        name="李四",
        gender="female",
        role="member",
        education="bachelor",
        hired_on=datetime.date(2010, 1, 1),
    )
    record = ServiceRecord.objects.create(
        volunteer=volunteer,
        activity="探访",
        served_on=datetime.date(2013, 1, 1),
        hours="2.0",
        category="elderly",
    )
    facility = make_facility(community=community, area="320")
    return {
        "community-stats": stat,
        "volunteers": volunteer,
        "workers": worker,
        "facilities": facility,
        "service-records": record,
    }


def drawn(schema):
    choices = []
    for resource, (name, props) in SAMPLE.items():
        properties = component(schema, name)["properties"]
        for prop in props:
            choices.append((resource, prop, resolved(schema, properties[prop])))
    return st.sampled_from(choices).flatmap(
        lambda c: from_schema(c[2]).map(lambda value: (c[0], c[1], value))
    )


def test_values_the_schema_allows_are_not_refused(schema, rows):
    client = APIClient()
    client.force_authenticate(make_user("fuzz_admin", role="admin", scope_code="62"))
    refused, accepted = [], set()

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=drawn(schema))
    def run(case):
        resource, prop, value = case
        row = rows[resource]
        with transaction.atomic():
            response = client.patch(f"/api/v1/{resource}/{row.pk}/", {prop: value}, format="json")
            transaction.set_rollback(True)  # every draw starts from the same row
        if response.status_code == 400 and prop in response.json():
            refused.append((resource, prop, value, response.json()[prop]))
        assert response.status_code in (200, 400), (resource, prop, value, response.content)
        if response.status_code == 200:
            accepted.add(resource)

    run()
    assert not refused, refused
    assert accepted == set(SAMPLE)  # the draws reached every resource, and were saved
