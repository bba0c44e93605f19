"""Plausibility: a community's year counts at most 200,000 residents, in every channel."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from communities.models import MAX_RESIDENTS, CommunityStat
from excel.importers import import_workbook
from excel.resources import COMMUNITY_STATS
from tests.excel.conftest import xlsx
from tests.factories import make_hierarchy, make_user

pytestmark = pytest.mark.django_db
HOME = "620102016001"
HUGE = 1099511627776


@pytest.fixture
def staff(db):
    make_hierarchy(communities=1)
    return make_user("bound_staff", role="staff", scope_code=HOME)


def stat(residents, **extra):
    values = dict(
        community_id=HOME,
        year=2015,
        households=100,
        residents=residents,
        party_members=10,
        party_members_volunteering=5,
        residents_volunteering=50,
    )
    values.update(extra)
    return CommunityStat(**values)


def test_exactly_the_bound_is_accepted_and_one_more_is_not(staff):
    stat(MAX_RESIDENTS).full_clean()
    with pytest.raises(ValidationError) as excinfo:
        stat(MAX_RESIDENTS + 1).full_clean()
    assert "常住居民人数不能超过200000" in str(excinfo.value.message_dict["residents"])


def test_the_api_refuses_the_huge_figure(staff):
    client = APIClient()
    client.force_authenticate(staff)
    response = client.post(
        "/api/v1/community-stats/",
        {
            "community_code": HOME,
            "year": 2015,
            "households": 100,
            "residents": HUGE,
            "party_members": 10,
            "party_members_volunteering": 5,
            "residents_volunteering": 50,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "residents" in response.json()
    assert not CommunityStat.objects.exists()


def test_the_form_refuses_the_huge_figure(staff):
    client = Client()
    client.force_login(staff)
    response = client.post(
        f"/communities/{HOME}/stats/new/",
        {
            "year": 2015,
            "households": 100,
            "residents": HUGE,
            "party_members": 10,
            "party_members_volunteering": 5,
            "residents_volunteering": 50,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert (
        "常住居民人数不能超过200000" in response.content.decode()
        or "200000" in response.content.decode()
    )
    assert not CommunityStat.objects.exists()


def test_the_import_refuses_the_huge_figure(staff):
    header = [c.header for c in COMMUNITY_STATS.columns]
    values = {
        "社区代码": HOME,
        "年度": 2015,
        "户数": 100,
        "常住居民人数": HUGE,
        "党员人数": 10,
        "参与志愿活动的党员人数": 5,
        "参与志愿活动的居民人数": 50,
    }
    upload = xlsx(header, [[values.get(h) for h in header]], title=COMMUNITY_STATS.title)
    result = import_workbook(resource=COMMUNITY_STATS, upload=upload, user=staff, dry_run=True)
    assert result.errors and any("常住居民人数" in str(e) for e in result.errors)
    assert not CommunityStat.objects.exists()
