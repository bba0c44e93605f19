"""Changelist query counts stay fixed as rows grow (the volunteer list holds a million)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_hierarchy, make_user
from volunteers.models import Volunteer

from .conftest import id_number


def add_volunteers(communities, per_community: int, start: int = 0):
    Volunteer.objects.bulk_create(
        Volunteer(
            community=community,
            name=f"志愿者{c}-{i}",
            gender="male",
            id_number=id_number(community.code[:6], i, birth=f"19{70 + c:02d}0101"),
            registered_on=datetime.date(2012, 1, 1),
        )
        for c, community in enumerate(communities)
        for i in range(start, start + per_community)
    )


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def lanzhou(db):
    return make_hierarchy(communities=3) + make_hierarchy(street="620102017", communities=3)


@pytest.mark.parametrize(
    "role, code",
    [("admin", "62"), ("official", "6201"), ("official", "620102016"), ("staff", "620102016001")],
)
def test_volunteer_changelist_queries_do_not_grow_with_rows(lanzhou, client, role, code):
    client.force_login(make_user("viewer", role=role, scope_code=code, is_staff=True))
    url = reverse("admin:volunteers_volunteer_changelist")
    add_volunteers(lanzhou, 5)
    few = count_queries(client, url)
    add_volunteers(lanzhou, 40, start=5)
    assert count_queries(client, url) == few


def test_volunteer_changelist_query_count_is_pinned(lanzhou, client, django_assert_num_queries):
    add_volunteers(lanzhou, 30)
    client.force_login(make_user("viewer", role="official", scope_code="6201", is_staff=True))
    url = reverse("admin:volunteers_volunteer_changelist")
    client.get(url)  # warm the content-type cache
    # session, user, two permission lookups (the admins of Django, DRF and axes ask Django's
    # permissions), region filter lookups, one count, one page of rows with their joins, and
    # the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(10):
        response = client.get(url, {"registered_year": "2012", "is_party_member__exact": "0"})
    assert response.context["cl"].result_count == 180
    assert response.context["cl"].full_result_count is None  # no unfiltered count over 1M rows


def test_community_changelist_query_count_is_pinned(lanzhou, client, django_assert_num_queries):
    client.force_login(make_user("viewer", role="admin", scope_code="62", is_staff=True))
    url = reverse("admin:communities_community_changelist")
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)
    make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=20)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.context["cl"].result_count == 26


def test_community_stat_changelist_queries_do_not_grow(lanzhou, client):
    from tests.factories import make_stat

    client.force_login(make_user("viewer", role="official", scope_code="6201", is_staff=True))
    url = reverse("admin:communities_communitystat_changelist")
    make_stat(lanzhou[0], 2015)
    few = count_queries(client, url)
    for community in lanzhou[1:]:
        for year in (2013, 2014, 2015):
            make_stat(community, year)
    assert count_queries(client, url) == few
