"""API.md's Casework section: paths, field names and enum values exactly as written."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PATHS = [
    "case-categories/",
    "case-categories/{code}/",
    "handling-units/",
    "handling-units/{id}/",
    "cases/",
    "cases/{id}/",
    *(
        f"cases/{{id}}/{step}/"
        for step in (
            "dispatch",
            "accept",
            "send-back",
            "escalate",
            "resolve",
            "rate",
            "urge",
            "extend",
            "grant-extension",
            "refuse-extension",
        )
    ),
    "casework/measures/",
]
CASE_FIELDS = {
    "id",
    "number",
    "community_code",
    "category",
    "channel",
    "description",
    "resident_name",
    "resident_phone",
    "resident_name_masked",
    "resident_phone_masked",
    "address",
    "accepted_on",
    "due_on",
    "calendar_note",
    "status",
    "handling_unit",
    "resolved_on",
    "resolution",
    "satisfaction",
    "reopen_count",
    "is_overdue",
    "version",
}
READ_ONLY = {
    "number",
    "resident_name_masked",
    "resident_phone_masked",
    "due_on",
    "calendar_note",
    "status",
    "handling_unit",
    "resolved_on",
    "resolution",
    "satisfaction",
    "reopen_count",
    "is_overdue",
    "version",
}
ENUMS = {
    "channel": {"window", "phone", "grid_worker", "visit", "online"},
    "status": {"registered", "dispatched", "in_progress", "resolved", "closed", "returned"},
    "satisfaction": {"satisfied", "basically_satisfied", "dissatisfied"},
}
FILTERS = {
    "community_code",
    "scope",
    "status",
    "category",
    "handling_unit",
    "is_overdue",
    "accepted_from",
    "accepted_to",
}


@pytest.fixture
def schema():
    return APIClient().get("/api/schema/", {"format": "json"}).json()


def enum_of(schema, node):
    if "$ref" in node:
        return enum_of(schema, schema["components"]["schemas"][node["$ref"].split("/")[-1]])
    for key in ("allOf", "oneOf", "anyOf"):
        for part in node.get(key, []):
            values = enum_of(schema, part)
            if values:
                return values
    return {v for v in node.get("enum", []) if v not in (None, "")}


def test_paths(schema):
    for path in PATHS:
        assert f"/api/v1/{path}" in schema["paths"], path


def test_case_fields_enums_and_filters(schema):
    comps = schema["components"]["schemas"]
    props = comps["Case"]["properties"]
    request = comps.get("CaseRequest", comps["Case"])["properties"]
    assert set(props) | set(request) == CASE_FIELDS
    # Write-only: sent, never read back; read-only: never sent.
    assert {"resident_name", "resident_phone"} <= set(request) - set(props)
    assert not READ_ONLY & set(request)
    for field, values in ENUMS.items():
        assert enum_of(schema, props[field]) == values, field
    params = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert FILTERS <= params


def test_categories_and_units_fields(schema):
    comps = schema["components"]["schemas"]
    assert set(comps["CaseCategory"]["properties"]) == {"code", "name", "time_limit_working_days"}
    assert {"id", "code", "department", "name"} <= set(comps["HandlingUnit"]["properties"])
    assert comps["HandlingUnit"]["properties"]["name"].get("readOnly")
    params = {p["name"] for p in schema["paths"]["/api/v1/handling-units/"]["get"]["parameters"]}
    assert "scope" in params


def test_measures_body_keys(community, users):
    client = APIClient()
    client.force_authenticate(users["admin"])
    body = client.get("/api/v1/casework/measures/", {"scope": "620102", "year": 2015}).json()
    for key in (
        "scope",
        "period",
        "received",
        "resolved",
        "closed",
        "open",
        "overdue_open",
        "on_time_rate",
        "satisfaction_rate",
        "reopen_rate",
        "sent_back_rate",
        "median_working_days",
        "by_category",
        "children",
    ):
        assert key in body, key
    assert [c["code"] for c in body["by_category"]] == [
        "consultation",
        "help",
        "suggestion",
        "complaint",
        "report",
    ]
