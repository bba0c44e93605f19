"""A NUL character in the address answers 404 (path) or 400 (query), never a server error."""

import pytest
from django.test import Client

from .matrix_world import INSIDE, build_objects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/communities/62%00/", f"/communities/{INSIDE}%00/edit/", "/streets/%00/communities/", "/api/v1/communities/%00/"]
)
def test_a_null_character_in_the_path_is_not_found(path):
    objects = build_objects()
    client = Client()
    client.force_login(objects.users["staff"])
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/communities/?search=%00",
        "/api/v1/volunteers/?scope=62%00",
        "/excel/export/volunteers.xlsx?scope=%00",
        "/admin/volunteers/volunteer/?q=%00",
    ],
)
def test_a_null_character_in_the_query_is_refused_with_a_clear_message(path):
    objects = build_objects()
    client = Client()
    client.force_login(objects.users["staff"])
    response = client.get(path)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers


def test_anonymous_requests_are_refused_the_same_way(db):
    assert Client().get("/communities/%00/").status_code == 404
    assert Client().get("/login/?next=%00").status_code == 400


def test_ordinary_addresses_pass():
    objects = build_objects()
    client = Client()
    client.force_login(objects.users["staff"])
    assert client.get(f"/communities/{INSIDE}/?year=2015").status_code == 200
