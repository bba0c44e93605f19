"""Lists and details run a fixed number of queries, whatever the number of rows."""

import pytest

from . import data
from .conftest import INSIDE, INSIDE_2, OUTSIDE

pytestmark = pytest.mark.django_db

BODIES = {
    "community-stats": lambda c, i: data.stat(community=c, year=2000 + i),
    "facilities": lambda c, i: data.facility(community=c, name=f"站{i}"),
    "volunteer-organizations": lambda c, i: data.volunteer_organization(community=c, name=f"队{i}"),
    "volunteers": lambda c, i: data.volunteer(
        serial=(0 if c == INSIDE else 300 if c == INSIDE_2 else 600) + i, community=c
    ),
    "social-organizations": lambda c, i: data.social_organization(community=c, name=f"协会{i}"),
    "workers": lambda c, i: data.worker(community=c, name=f"工作者{i}"),
}


def fill(client, path, start, stop):
    for community in (INSIDE, INSIDE_2, OUTSIDE):
        for i in range(start, stop):
            assert (
                client.post(
                    f"/api/v1/{path}/", BODIES[path](community, i), format="json"
                ).status_code
                == 201
            )


@pytest.mark.parametrize("path", BODIES)
def test_a_list_page_is_two_queries_for_any_number_of_rows(
    clients, path, django_assert_num_queries
):
    client = clients["prefecture"]
    fill(clients["admin"], path, 0, 2)
    with django_assert_num_queries(2):  # COUNT and the page
        small = client.get(f"/api/v1/{path}/", {"page_size": 1000})
    fill(clients["admin"], path, 2, 12)  # and 10 more per community
    with django_assert_num_queries(2):
        large = client.get(f"/api/v1/{path}/", {"page_size": 1000})
    assert (small.json()["count"], large.json()["count"]) == (4, 24)


@pytest.mark.parametrize("path", ["divisions", "streets", "communities"])
def test_hierarchy_lists_are_two_queries(clients, path, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert clients["prefecture"].get(f"/api/v1/{path}/").status_code == 200


def test_a_volunteer_detail_is_one_query(clients, django_assert_num_queries):
    pk = clients["admin"].post("/api/v1/volunteers/", data.volunteer(), format="json").json()["id"]
    with django_assert_num_queries(1):
        assert clients["staff"].get(f"/api/v1/volunteers/{pk}/").status_code == 200


def test_token_authentication_adds_two_queries(users, clients, django_assert_num_queries):
    from rest_framework.test import APIClient

    from tests.factories import make_token

    fill(clients["admin"], "volunteers", 0, 3)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(users['staff'])}")
    # The token (with its user), the user's other tokens (knox drops the expired ones), COUNT
    # and the page.
    with django_assert_num_queries(4):
        assert client.get("/api/v1/volunteers/").json()["count"] == 3
