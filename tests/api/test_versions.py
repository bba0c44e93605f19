"""Optimistic concurrency: an edit based on a stale ``version`` is 409 and changes nothing."""

import pytest

from communities.models import CommunityStat
from workforce.models import Worker

from . import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def stat(admin_client):
    response = admin_client.post("/api/v1/community-stats/", data.stat(), format="json")
    assert response.json()["version"] == 1
    return response.json()


def test_each_save_bumps_the_version(admin_client, stat):
    url = f"/api/v1/community-stats/{stat['id']}/"
    first = admin_client.patch(url, {"households": 1001, "version": 1}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2


@pytest.mark.parametrize("method", ["put", "patch"])
def test_stale_version_in_the_body_is_409(admin_client, stat, method):
    url = f"/api/v1/community-stats/{stat['id']}/"
    assert (
        admin_client.patch(url, {"households": 1001}, format="json").status_code == 200
    )  # someone else
    body = data.stat(households=1200, version=1)
    response = getattr(admin_client, method)(url, body, format="json")
    assert response.status_code == 409
    assert response.json()["version"] == 2
    assert "已被他人修改" in response.json()["detail"]
    row = CommunityStat.objects.get(pk=stat["id"])
    assert (row.households, row.version) == (1001, 2)


def test_stale_version_in_if_match_is_409(admin_client, stat):
    url = f"/api/v1/community-stats/{stat['id']}/"
    admin_client.patch(url, {"households": 1001}, format="json")
    response = admin_client.patch(url, {"households": 1300}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    assert (
        admin_client.patch(
            url, {"households": 1300}, format="json", HTTP_IF_MATCH='"2"'
        ).status_code
        == 200
    )


def test_stale_delete_is_409_and_keeps_the_row(admin_client, stat):
    url = f"/api/v1/community-stats/{stat['id']}/"
    admin_client.patch(url, {"households": 1001}, format="json")
    assert admin_client.delete(url, {"version": 1}, format="json").status_code == 409
    assert CommunityStat.objects.filter(pk=stat["id"]).exists()
    assert admin_client.delete(url, {"version": 2}, format="json").status_code == 204


def test_stale_approval_is_409(clients, stat):
    url = f"/api/v1/community-stats/{stat['id']}/"
    clients["admin"].post(url + "submit/")
    assert (
        clients["street"].post(url + "approve/", {"version": 1}, format="json").status_code == 409
    )
    assert CommunityStat.objects.get(pk=stat["id"]).status == "submitted"


@pytest.mark.parametrize("bad", ["abc", -1, 0, 1.5, True, [1], {"v": 1}, "99999999999999999999"])
def test_a_malformed_version_is_400(admin_client, stat, bad):
    url = f"/api/v1/community-stats/{stat['id']}/"
    response = admin_client.patch(url, {"households": 1001, "version": bad}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_other_versioned_resources_answer_409_too(admin_client):
    created = admin_client.post("/api/v1/workers/", data.worker(), format="json").json()
    url = f"/api/v1/workers/{created['id']}/"
    assert (
        admin_client.patch(url, {"education": "college", "version": 1}, format="json").status_code
        == 200
    )
    response = admin_client.patch(url, {"education": "postgraduate", "version": 1}, format="json")
    assert response.status_code == 409
    assert Worker.objects.get(pk=created["id"]).education == "college"
