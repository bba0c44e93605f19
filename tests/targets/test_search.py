"""站内搜索: regions with their parents, volunteers by name or ID tail, always in scope, in a
fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from streets.models import Street
from tests.factories import make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    lanzhou = make_hierarchy(prefecture="6201", county="620102", street="620102016", communities=2)
    tianshui = make_hierarchy(prefecture="6205", county="620502", street="620502001", communities=1)
    Street.objects.filter(code="620102016").update(name="东关街道")
    Street.objects.filter(code="620502001").update(name="东关街道")
    for i, community in enumerate(lanzhou + tianshui):
        Volunteer.objects.create(
            community=community,
            name="王芳",
            gender="female",
            id_number=valid_id_number(region=community.code[:6], serial=100 + i),
            registered_on=datetime.date(2014, 3, 1),
        )
    return lanzhou, tianshui


def results(client, user, q):
    client.force_login(user)
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.context["results"]


def test_two_streets_of_one_name_are_told_apart_by_their_county(client, world):
    admin = make_user("s-admin", role="admin", scope_code="62")
    hits = results(client, admin, "东关街道")["区划"]
    assert [h.name for h in hits] == ["东关街道", "东关街道"]
    assert [h.detail for h in hits] == [
        "620102016 · 市6201 · 县620102",
        "620502001 · 市6205 · 县620502",
    ]
    assert hits[0].url == "/dashboard/620102016/"


def test_a_volunteer_is_found_by_the_last_four_id_characters(client, world):
    admin = make_user("s-admin", role="admin", scope_code="62")
    volunteer = Volunteer.objects.order_by("id").first()
    hits = results(client, admin, volunteer.id_number[-4:])["志愿者"]
    assert volunteer.name in [h.name for h in hits]
    detail = next(h.detail for h in hits)
    assert volunteer.id_number not in detail and volunteer.id_number[-4:] in detail  # masked


def test_staff_find_nothing_outside_their_community(client, world):
    lanzhou, tianshui = world
    staff = make_user("s-staff", role="staff", scope_code=lanzhou[0].code)
    found = results(client, staff, "王芳")
    assert len(found["志愿者"]) == 1 and lanzhou[0].name in found["志愿者"][0].detail
    assert "区划" not in results(client, staff, "东关街道")
    other = Volunteer.objects.get(community=tianshui[0])
    assert results(client, staff, other.id_number[-4:]) == {}
    assert results(client, staff, tianshui[0].code) == {}


def test_the_query_count_does_not_grow_with_the_data(client, world):
    admin = make_user("s-admin", role="admin", scope_code="62")
    client.force_login(admin)
    client.get("/search/", {"q": "王芳"})
    with CaptureQueriesContext(connection) as small:
        client.get("/search/", {"q": "王芳"})
    for community in make_hierarchy(
        prefecture="6204", county="620402", street="620402001", communities=6
    ):
        Volunteer.objects.create(
            community=community,
            name="王芳",
            gender="female",
            id_number=valid_id_number(
                region="620402", serial=community.code[-3:] and int(community.code[-3:]) + 300
            ),
            registered_on=datetime.date(2014, 3, 1),
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get("/search/", {"q": "王芳"})
    assert len(response.context["results"]["志愿者"]) == 9
    assert len(large.captured_queries) == len(small.captured_queries)
    # Session and user, seven kinds, three for the names above the hits, two for the user's
    # permissions (may the ID numbers be shown), the layout's scope name, the session save.
    assert len(large.captured_queries) == 18


def test_the_header_box_leads_to_the_results_page(client, world):
    staff = make_user("s-staff", role="staff", scope_code=world[0][0].code)
    client.force_login(staff)
    html = client.get(f"/communities/{world[0][0].code}/").content.decode()
    assert 'action="/search/"' in html and 'data-testid="search-input"' in html
    html = client.get("/search/", {"q": "没有这个名字"}).content.decode()
    assert "在您的管辖范围内没有找到“没有这个名字”" in html
