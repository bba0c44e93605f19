"""A 404 from the API speaks Chinese and names no model: the same answer for a row outside
the caller's scope as for one that does not exist."""

import pytest

from . import data
from .conftest import INSIDE, OUTSIDE

pytestmark = pytest.mark.django_db

PATHS = ["community-stats", "facilities", "volunteers", "workers", "social-organizations"]


@pytest.fixture
def outside_records(clients):
    made = {}
    bodies = {
        "community-stats": data.stat(community=OUTSIDE, year=2011),
        "facilities": data.facility(community=OUTSIDE, name="站"),
        "volunteers": data.volunteer(community=OUTSIDE),
        "workers": data.worker(community=OUTSIDE),
        "social-organizations": data.social_organization(community=OUTSIDE),
    }
    for path, body in bodies.items():
        response = clients["admin"].post(f"/api/v1/{path}/", body, format="json")
        assert response.status_code == 201, (path, response.content)
        made[path] = response.json()["id"]
    return made


@pytest.mark.parametrize("path", PATHS)
def test_outside_and_missing_rows_answer_the_same_chinese_404(clients, outside_records, path):
    client = clients["staff"]
    outside = client.get(f"/api/v1/{path}/{outside_records[path]}/")
    missing = client.get(f"/api/v1/{path}/987654321/")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    detail = outside.json()["detail"]
    assert "matches the given query" not in detail
    assert not detail.isascii(), detail


def test_a_chinese_404_message_is_kept(clients):
    response = clients["staff"].get("/api/v1/compliance/", {"scope": OUTSIDE, "year": 2015})
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]


def test_inside_rows_still_answer(clients, outside_records):
    assert clients["admin"].get(f"/api/v1/communities/{INSIDE}/").status_code == 200
