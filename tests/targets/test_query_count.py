"""The engine's query count is a small constant: the same for a small and a ten-times-larger data set."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from targets.engine import community_rows, compute_region, compute_years, street_rows
from targets.plans import current_plan
from tests.factories import make_hierarchy, make_stat

from .builders import day, facility, social_orgs, volunteer_orgs, volunteers, worker

pytestmark = pytest.mark.django_db


def populate(streets: range, scale: int = 1):
    """Create ``streets`` in each of three counties of two prefectures, each with records."""
    counties = [("6201", "620102"), ("6201", "620103"), ("6202", "620201")]
    for prefecture, county in counties:
        for s in streets:
            communities = make_hierarchy(
                prefecture=prefecture, county=county, street=f"{county}{s:03d}", communities=2
            )
            facility(kind="centre", street=communities[0].street, area="820")
            for i, community in enumerate(communities):
                make_stat(community)
                facility(community=community, area=str(250 + 20 * i))
                facility(kind="specialized", community=community, area="80")
                volunteers(community, 5 * scale)
                volunteers(community, scale, left_on=day(2014))
                social_orgs(community, 3 + i)
                volunteer_orgs(community, 2)
                worker(community, education="bachelor", qualification="assistant")
                worker(community, education="high_school", role="group_leader")


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def measure():
    plan = current_plan()
    return {
        "province": count_queries(lambda: compute_region(scope_code="62", year=2015, plan=plan)),
        "prefecture": count_queries(
            lambda: compute_region(scope_code="6201", year=2015, plan=plan)
        ),
        "county": count_queries(lambda: compute_region(scope_code="620102", year=2015, plan=plan)),
        "street": count_queries(
            lambda: compute_region(scope_code="620102001", year=2015, plan=plan)
        ),
        "communities": count_queries(lambda: community_rows(scope_code="62", year=2015, plan=plan)),
        "streets": count_queries(lambda: street_rows(scope_code="62", year=2015, plan=plan)),
        "years": count_queries(
            lambda: compute_years(scope_code="62", years=list(range(2010, 2016)), plan=plan)
        ),
    }


# scope lookup 1 + communities counted (a street: listed), their stored verdicts summed,
# streets, their figures 4
# + child divisions 1 (for a province's prefectures and a prefecture's counties)
PINNED = {
    "province": 6,
    "prefecture": 6,
    "county": 5,  # its children are streets, already read
    "street": 5,
    "communities": 3,  # scope lookup, communities, their figures
    "streets": 3,  # scope lookup, streets, their figures
    "years": 5,
}


def test_query_count_is_pinned_and_does_not_grow_with_ten_times_the_data():
    populate(range(1, 2))
    small = measure()
    assert small == PINNED
    populate(range(2, 11), scale=10)  # ten times the streets, with ten times the volunteers each
    assert compute_region(scope_code="62", year=2015).community_count == 3 * 10 * 2
    assert measure() == small


def test_compute_region_without_a_plan_adds_only_the_plan_lookup(django_assert_num_queries):
    populate(range(1, 2))
    with django_assert_num_queries(PINNED["province"] + 1):
        compute_region(scope_code="62", year=2015)


def test_api_query_counts_do_not_grow_with_ten_times_the_data():
    from rest_framework.test import APIClient

    from tests.factories import make_user

    client = APIClient()
    client.force_authenticate(make_user("counter", role="admin", scope_code="62"))

    def api_counts():
        return {
            path: count_queries(
                lambda p=path: client.get(f"/api/v1/compliance/{p}", {"scope": "62"})
            )
            for path in ("", "communities/", "streets/")
        }

    populate(range(1, 2))
    small = api_counts()
    # the plan, the scope check, then the engine (which looks the scope up once more); the
    # compliance answer adds one query for the yearly targets set for the scope and its children
    assert small == {
        "": 1 + 1 + PINNED["province"] + 1,
        "communities/": 1 + 1 + PINNED["communities"],
        "streets/": 1 + 1 + PINNED["streets"],
    }
    populate(range(2, 11), scale=10)
    assert api_counts() == small
