"""No input of any shape makes the API answer 500, and a refused write saves nothing."""

import json

import pytest

from communities.models import CommunityStat
from facilities.models import Facility
from volunteers.models import Volunteer

from . import data
from .conftest import INSIDE

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    None,
    "",
    " ",
    "x" * 5000,
    -1,
    0,
    10**30,
    -(10**30),
    1.5,
    1e308,
    True,
    [],
    {},
    [1, "a"],
    {"a": {"b": 1}},
    "2015-02-30",
    "99999-01-01",
    "0000-00-00",
    "abc\x00def",
    "６２０１",
    "=1+1",
]

BODIES = {
    "divisions": {"code": "620199", "name": "区", "level": "county", "parent_code": "6201"},
    "streets": {"code": "620102777", "name": "街", "kind": "town", "county_code": "620102"},
    "communities": {
        "code": "620102016777",
        "name": "社区",
        "street_code": "620102016",
        "digital_3d_completed_on": None,
    },
    "community-stats": data.stat(),
    "facilities": data.facility(),
    "volunteer-organizations": data.volunteer_organization(),
    "volunteers": data.volunteer(serial=77),
    "social-organizations": data.social_organization(),
    "workers": data.worker(),
}


@pytest.mark.parametrize("path", BODIES)
def test_bad_values_in_every_field_never_make_a_500(admin_client, path):
    body = BODIES[path]
    for field in list(body) + ["version", "status", "id"]:
        for value in BAD_VALUES:
            response = admin_client.post(f"/api/v1/{path}/", {**body, field: value}, format="json")
            assert response.status_code < 500, (field, value, response.content[:300])
            if response.status_code == 201:
                key = response.json()[
                    "code" if path in ("divisions", "streets", "communities") else "id"
                ]
                assert admin_client.delete(f"/api/v1/{path}/{key}/").status_code == 204


@pytest.mark.parametrize("path", BODIES)
@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"{",
        b"[]",
        b"null",
        b'"text"',
        b"12",
        b'{"name": "\\ud800"}',
        b"\xff\xfe",
        b'{"year": 1e400}',
    ],
)
def test_malformed_bodies_are_400(admin_client, path, raw):
    response = admin_client.generic(
        "POST", f"/api/v1/{path}/", raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]


def test_non_json_media_types_are_415(admin_client):
    response = admin_client.post("/api/v1/community-stats/", data.stat(), format="multipart")
    assert response.status_code == 415
    assert not CommunityStat.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/volunteers/abc/",
        "/api/v1/volunteers/99999999999999999999999999/",
        "/api/v1/volunteers/-1/",
        "/api/v1/communities/62010201600１/",
        "/api/v1/divisions/" + "6" * 300 + "/",
    ],
)
def test_unknown_keys_are_404(admin_client, url):
    assert admin_client.get(url).status_code in (404, 405)
    assert admin_client.patch(url, {"name": "x"}, format="json").status_code == 404


def test_a_null_character_in_a_key_is_refused_not_a_500(admin_client):
    # Refused before routing with a clear message (tests/security), or simply not found.
    assert admin_client.get("/api/v1/communities/%00/").status_code in (400, 404)
    assert admin_client.patch("/api/v1/communities/%00/", {"name": "x"}, format="json").status_code in (400, 404)


def test_actions_on_unknown_rows_are_404(admin_client):
    for action in ("submit", "approve", "return"):
        assert admin_client.post(f"/api/v1/community-stats/424242/{action}/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "10**9"},
        {"page_size": "-5"},
        {"page_size": "abc"},
        {"page_size": "99999999999999999999"},
        {"scope": "62\x00"},
        {"community_code": "\x00"},
        {"search": "%_\\"},
        {"search": "x" * 500},
        {"is_party_member": "maybe"},
        {"unmask": "0"},
    ],
)
def test_odd_query_parameters_never_make_a_500(admin_client, hierarchy, params):
    for path in BODIES:
        assert admin_client.get(f"/api/v1/{path}/", params).status_code < 500, (path, params)


def test_a_refused_volunteer_write_saves_nothing_anywhere(admin_client):
    before = (Volunteer.objects.count(), Volunteer.history.count())
    body = data.volunteer(serial=5, left_on="2000-01-01")
    assert admin_client.post("/api/v1/volunteers/", body, format="json").status_code == 400
    assert (Volunteer.objects.count(), Volunteer.history.count()) == before


def test_a_facility_can_move_between_kinds_with_validation(admin_client):
    created = admin_client.post("/api/v1/facilities/", data.facility(), format="json").json()
    url = f"/api/v1/facilities/{created['id']}/"
    response = admin_client.patch(url, {"kind": "centre"}, format="json")
    assert response.status_code == 400
    assert Facility.objects.get(pk=created["id"]).kind == "station"
    moved = admin_client.patch(
        url, {"kind": "centre", "community_code": None, "street_code": INSIDE[:9]}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["code"] == INSIDE[:9]


def test_body_json_is_utf8_without_escapes(admin_client):
    response = admin_client.post("/api/v1/workers/", data.worker(name="马晓燕"), format="json")
    assert "马晓燕" in response.content.decode("utf-8")
    assert json.loads(response.content)["name"] == "马晓燕"


@pytest.mark.parametrize("name", ["社区\x01", "a\x1fb", "\x7f"])
def test_control_characters_are_refused_so_exports_never_break(admin_client, name):
    response = admin_client.post("/api/v1/workers/", data.worker(name=name), format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_tabs_and_newlines_in_an_address_are_kept(admin_client):
    response = admin_client.post(
        "/api/v1/facilities/", data.facility(address="东岗西路1号\n2单元"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["address"] == "东岗西路1号\n2单元"


def test_a_browser_gets_json_not_forms_listing_the_province(clients, hierarchy):
    response = clients["staff"].get(
        "/api/v1/volunteers/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
    )
    assert response["Content-Type"].startswith("application/json")
    assert "620201001001" not in response.content.decode()
