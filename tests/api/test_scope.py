"""Scope and role on every route: reads outside are 404, writes into an outside parent 403."""

import pytest

from communities.models import CommunityStat, SocialOrganization
from facilities.models import Facility
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

from . import data
from .conftest import INSIDE, INSIDE_2, OUTSIDE

pytestmark = pytest.mark.django_db

# path, model, body for a community, a field safe to PATCH
RESOURCES = {
    "community-stats": (
        CommunityStat,
        lambda c, i=0: data.stat(community=c, year=2011 + i),
        {"households": 999},
    ),
    "facilities": (
        Facility,
        lambda c, i=0: data.facility(community=c, name=f"站{i}"),
        {"address": "新地址"},
    ),
    "volunteer-organizations": (
        VolunteerOrganization,
        lambda c, i=0: data.volunteer_organization(community=c, name=f"队{i}"),
        {"name": "新名称"},
    ),
    "volunteers": (
        Volunteer,
        lambda c, i=0: data.volunteer(
            serial=int(c[-3:]) * 10 + i + (500 if c.startswith("6202") else 0), community=c
        ),
        {"name": "新名字"},
    ),
    "social-organizations": (
        SocialOrganization,
        lambda c, i=0: data.social_organization(community=c, name=f"协会{i}"),
        {"name": "新协会"},
    ),
    "workers": (
        Worker,
        lambda c, i=0: data.worker(community=c, name=f"工作者{i}"),
        {"name": "新工作者"},
    ),
}

READERS_OF_INSIDE = ["admin", "prefecture", "county", "street", "street_staff", "staff"]


@pytest.fixture
def records(clients):
    """One record of each resource in INSIDE, INSIDE_2 and OUTSIDE, created by the admin."""
    made = {}
    for path, (_model, body, _patch) in RESOURCES.items():
        for community in (INSIDE, INSIDE_2, OUTSIDE):
            response = clients["admin"].post(f"/api/v1/{path}/", body(community), format="json")
            assert response.status_code == 201, (path, response.content)
            made[path, community] = response.json()["id"]
    return made


def listed_communities(client, path):
    response = client.get(f"/api/v1/{path}/", {"page_size": 1000})
    assert response.status_code == 200
    return {row["community_code"] for row in response.json()["results"]}


@pytest.mark.parametrize("path", RESOURCES)
class TestReads:
    def test_each_role_lists_exactly_its_subtree(self, clients, records, path):
        assert listed_communities(clients["admin"], path) == {INSIDE, INSIDE_2, OUTSIDE}
        for name in ("prefecture", "county", "street", "street_staff"):
            assert listed_communities(clients[name], path) == {INSIDE, INSIDE_2}, name
        assert listed_communities(clients["staff"], path) == {INSIDE}
        assert listed_communities(clients["other_staff"], path) == {OUTSIDE}

    def test_detail_outside_the_scope_is_404(self, clients, records, path):
        for name in READERS_OF_INSIDE:
            assert (
                clients[name].get(f"/api/v1/{path}/{records[path, INSIDE]}/").status_code == 200
            ), name
            if name != "admin":
                assert (
                    clients[name].get(f"/api/v1/{path}/{records[path, OUTSIDE]}/").status_code
                    == 404
                ), name
        assert clients["staff"].get(f"/api/v1/{path}/{records[path, INSIDE_2]}/").status_code == 404
        assert (
            clients["other_staff"].get(f"/api/v1/{path}/{records[path, INSIDE]}/").status_code
            == 404
        )

    def test_scope_filter_narrows_the_list(self, clients, records, path):
        response = clients["prefecture"].get(f"/api/v1/{path}/", {"scope": INSIDE_2})
        assert {row["community_code"] for row in response.json()["results"]} == {INSIDE_2}
        # A scope outside the caller's own gives nothing, never the other prefecture's rows.
        assert clients["prefecture"].get(f"/api/v1/{path}/", {"scope": "6202"}).json()["count"] == 0

    def test_anonymous_is_401(self, records, path):
        from rest_framework.test import APIClient

        assert APIClient().get(f"/api/v1/{path}/").status_code == 401
        assert APIClient().get(f"/api/v1/{path}/{records[path, INSIDE]}/").status_code == 401


@pytest.mark.parametrize("path", RESOURCES)
class TestWrites:
    def test_admin_writes_anywhere(self, clients, records, path):
        model, body, patch = RESOURCES[path]
        client = clients["admin"]
        assert client.post(f"/api/v1/{path}/", body(OUTSIDE, 5), format="json").status_code == 201
        assert (
            client.patch(
                f"/api/v1/{path}/{records[path, OUTSIDE]}/", patch, format="json"
            ).status_code
            == 200
        )
        assert client.delete(f"/api/v1/{path}/{records[path, OUTSIDE]}/").status_code == 204
        assert not model.objects.filter(pk=records[path, OUTSIDE]).exists()

    def test_staff_write_under_their_own_code(self, clients, records, path):
        model, body, patch = RESOURCES[path]
        client = clients["staff"]
        created = client.post(f"/api/v1/{path}/", body(INSIDE, 5), format="json")
        assert created.status_code == 201, created.content
        assert (
            client.patch(
                f"/api/v1/{path}/{records[path, INSIDE]}/", patch, format="json"
            ).status_code
            == 200
        )
        assert client.delete(f"/api/v1/{path}/{created.json()['id']}/").status_code == 204

    def test_staff_writing_into_a_parent_outside_is_403(self, clients, records, path):
        model, body, patch = RESOURCES[path]
        before = model.objects.count()
        client = clients["staff"]
        for community in (OUTSIDE, INSIDE_2):
            response = client.post(f"/api/v1/{path}/", body(community, 6), format="json")
            assert response.status_code == 403, (community, response.content)
        # Moving an own record into another community is a write into that parent.
        moved = client.patch(
            f"/api/v1/{path}/{records[path, INSIDE]}/", {"community_code": INSIDE_2}, format="json"
        )
        assert moved.status_code == 403
        assert model.objects.count() == before

    def test_staff_cannot_change_or_delete_rows_outside(self, clients, records, path):
        model, body, patch = RESOURCES[path]
        client = clients["staff"]
        for community in (OUTSIDE, INSIDE_2):
            pk = records[path, community]
            assert client.patch(f"/api/v1/{path}/{pk}/", patch, format="json").status_code == 404
            assert (
                client.put(f"/api/v1/{path}/{pk}/", body(community, 7), format="json").status_code
                == 404
            )
            assert client.delete(f"/api/v1/{path}/{pk}/").status_code == 404
            assert model.objects.filter(pk=pk).exists()

    @pytest.mark.parametrize("official", ["prefecture", "county", "street"])
    def test_officials_read_but_do_not_write(self, clients, records, path, official):
        model, body, patch = RESOURCES[path]
        client = clients[official]
        before = model.objects.count()
        pk = records[path, INSIDE]
        assert client.post(f"/api/v1/{path}/", body(INSIDE, 8), format="json").status_code == 403
        assert client.patch(f"/api/v1/{path}/{pk}/", patch, format="json").status_code == 403
        assert client.delete(f"/api/v1/{path}/{pk}/").status_code == 403
        assert model.objects.count() == before

    def test_unknown_parent_is_400_not_403(self, clients, records, path):
        model, body, patch = RESOURCES[path]
        response = clients["staff"].post(f"/api/v1/{path}/", body("620102016999", 9), format="json")
        assert response.status_code == 400
        assert "community_code" in response.json()


HIERARCHY = {
    "divisions": (
        "6201",
        "6202",
        {"name": "兰州"},
        {"code": "620188", "name": "新区", "level": "county", "parent_code": "6201"},
    ),
    "streets": (
        "620102016",
        "620201001",
        {"name": "新名"},
        {"code": "620102555", "name": "新街道", "kind": "subdistrict", "county_code": "620102"},
    ),
    "communities": (
        INSIDE,
        OUTSIDE,
        {"name": "新名"},
        {"code": "620102016555", "name": "新社区", "street_code": "620102016"},
    ),
}


@pytest.mark.parametrize("path", HIERARCHY)
class TestHierarchy:
    def test_reads_are_scoped(self, clients, path):
        inside, outside, _patch, _body = HIERARCHY[path]
        for name in ("prefecture", "staff" if path == "communities" else "prefecture"):
            assert clients[name].get(f"/api/v1/{path}/{inside}/").status_code == 200
            assert clients[name].get(f"/api/v1/{path}/{outside}/").status_code == 404
        codes = {
            row["code"] for row in clients["prefecture"].get(f"/api/v1/{path}/").json()["results"]
        }
        assert inside in codes and outside not in codes
        assert all(code.startswith("6201") for code in codes)

    def test_only_admins_write(self, clients, path):
        inside, outside, patch, body = HIERARCHY[path]
        for name in ("prefecture", "street", "street_staff", "staff"):
            assert clients[name].post(f"/api/v1/{path}/", body, format="json").status_code == 403, (
                name
            )
            assert (
                clients[name].patch(f"/api/v1/{path}/{inside}/", patch, format="json").status_code
                == 403
            ), name
            assert clients[name].delete(f"/api/v1/{path}/{inside}/").status_code == 403, name
        assert clients["admin"].post(f"/api/v1/{path}/", body, format="json").status_code == 201
        assert (
            clients["admin"].patch(f"/api/v1/{path}/{inside}/", patch, format="json").status_code
            == 200
        )
        assert clients["admin"].delete(f"/api/v1/{path}/{body['code']}/").status_code == 204

    def test_deleting_a_parent_with_children_is_refused(self, clients, path):
        inside, *_ = HIERARCHY[path]
        clients["admin"].post("/api/v1/community-stats/", data.stat(), format="json")
        response = clients["admin"].delete(f"/api/v1/{path}/{inside}/")
        assert response.status_code == 400
        assert clients["admin"].get(f"/api/v1/{path}/{inside}/").status_code == 200


class TestStatWorkflow:
    @pytest.fixture
    def stat_id(self, clients):
        response = clients["staff"].post("/api/v1/community-stats/", data.stat(), format="json")
        assert response.status_code == 201
        assert response.json()["status"] == "draft"
        return response.json()["id"]

    def test_submit_approve_and_return(self, clients, stat_id):
        url = f"/api/v1/community-stats/{stat_id}/"
        assert clients["staff"].post(url + "submit/").json()["status"] == "submitted"
        assert clients["street"].post(url + "approve/").json()["status"] == "approved"
        returned = clients["prefecture"].post(
            url + "return/", {"reason": "户数与上年差异过大"}, format="json"
        )
        assert returned.status_code == 200
        assert returned.json()["status"] == "returned"
        assert returned.json()["return_reason"] == "户数与上年差异过大"
        assert clients["staff"].patch(url, {"households": 1100}, format="json").status_code == 200

    def test_staff_cannot_edit_or_delete_submitted_or_approved_rows(self, clients, stat_id):
        url = f"/api/v1/community-stats/{stat_id}/"
        clients["staff"].post(url + "submit/")
        for _ in range(2):
            response = clients["staff"].patch(url, {"households": 1}, format="json")
            assert response.status_code == 403
            assert "不能再修改" in response.json()["detail"]
            assert clients["staff"].delete(url).status_code == 403
            clients["street"].post(url + "approve/")
        assert CommunityStat.objects.get(pk=stat_id).households == 1000

    def test_status_and_version_are_read_only(self, clients, stat_id):
        url = f"/api/v1/community-stats/{stat_id}/"
        response = clients["staff"].patch(
            url, {"status": "approved", "households": 1001}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "draft"
        assert (
            clients["staff"]
            .post(
                "/api/v1/community-stats/", data.stat(year=2014, status="approved"), format="json"
            )
            .json()["status"]
            == "draft"
        )

    def test_staff_cannot_approve_and_officials_cannot_submit(self, clients, stat_id):
        url = f"/api/v1/community-stats/{stat_id}/"
        assert clients["street"].post(url + "submit/").status_code == 403
        clients["staff"].post(url + "submit/")
        assert clients["staff"].post(url + "approve/").status_code == 403
        assert (
            clients["staff"].post(url + "return/", {"reason": "x"}, format="json").status_code
            == 403
        )
        assert CommunityStat.objects.get(pk=stat_id).status == "submitted"

    def test_officials_outside_get_404(self, clients, stat_id, users):
        from tests.factories import make_user

        other = make_user("api_other_pref", role="official", scope_code="6202")
        from .conftest import client_for

        url = f"/api/v1/community-stats/{stat_id}/"
        clients["staff"].post(url + "submit/")
        assert client_for(other).post(url + "approve/").status_code == 404
        assert CommunityStat.objects.get(pk=stat_id).status == "submitted"

    def test_return_needs_a_reason(self, clients, stat_id):
        url = f"/api/v1/community-stats/{stat_id}/"
        clients["staff"].post(url + "submit/")
        response = clients["street"].post(url + "return/", {"reason": "  "}, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()

    def test_approving_a_draft_is_a_bad_request(self, clients, stat_id):
        response = clients["street"].post(f"/api/v1/community-stats/{stat_id}/approve/")
        assert response.status_code == 400
        assert "status" in response.json()


@pytest.mark.parametrize("path", RESOURCES)
def test_scope_above_or_beside_the_callers_own(clients, records, path):
    # Above: everything the caller sees; beside: nothing; below: that part only.
    above = clients["staff"].get(f"/api/v1/{path}/", {"scope": "62"}).json()["results"]
    assert {row["community_code"] for row in above} == {INSIDE}
    assert clients["staff"].get(f"/api/v1/{path}/", {"scope": INSIDE_2}).json()["count"] == 0
    assert clients["county"].get(f"/api/v1/{path}/", {"scope": "620102016"}).json()["count"] == 2
