"""A JSON body nested a thousand levels deep answers 400, on every endpoint, never 500."""

import pytest
from rest_framework.test import APIClient

from .conftest import client_for

pytestmark = pytest.mark.django_db
DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_the_unauthenticated_token_endpoint_answers_400(body):
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套层数过多" in str(response.json())


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_a_record_endpoint_answers_400(users, body):
    client = client_for(users["staff"])
    response = client.post(
        "/api/v1/volunteer-organizations/", body, content_type="application/json"
    )
    assert response.status_code == 400


def test_brackets_inside_strings_do_not_count(users):
    client = client_for(users["staff"])
    body = '{"name": "' + "[" * 100 + '"}'
    response = client.post(
        "/api/v1/volunteer-organizations/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "嵌套层数过多" not in str(response.json())
