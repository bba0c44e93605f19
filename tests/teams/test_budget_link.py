"""An entrusted project's funding linked to the budget line it comes from: the line of the
project's own community or street or of a region above it, in the year the project starts;
the same rule answers the form, the API and the model."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from funding.models import BudgetLine
from teams.models import EntrustedProject
from tests.factories import make_hierarchy, make_user
from volunteers.models import VolunteerOrganization

pytestmark = pytest.mark.django_db
D = datetime.date
HOME, NEIGHBOUR_COUNTY = "620102016001", "6202"


def line(region, year, cost_type="running"):
    return BudgetLine.objects.create(
        region_code=region,
        year=year,
        cost_type=cost_type,
        source="fiscal",
        budgeted_wan_yuan=Decimal("100"),
        allocated_wan_yuan=Decimal("50"),
    )


@pytest.fixture
def world():
    home, _ = make_hierarchy(communities=2)
    make_hierarchy(prefecture="6202", county="620201", street="620201001")
    org = VolunteerOrganization.objects.create(
        community=home, name="夕阳红服务队", registered_on=D(2012, 1, 1)
    )
    return {
        "home": home,
        "org": org,
        "county": line("620102", 2015),
        "street": line("620102016", 2015, "facilities"),
        "last_year": line("620102", 2014),
        "elsewhere": line("620201", 2015),
    }


def project(world, budget_line, **extra):
    return EntrustedProject(
        community=world["home"],
        organization=world["org"],
        name="四点半课堂",
        service_line="culture_education_sports",
        starts_on=D(2015, 3, 1),
        funding_wan_yuan=Decimal("2.5"),
        budget_line=budget_line,
        **extra,
    )


def test_a_line_of_the_region_or_above_in_the_start_year_is_accepted(world):
    for key in ("county", "street"):
        project(world, world[key]).full_clean()
    project(world, None).full_clean()  # the link is optional


def test_a_line_of_another_year_or_region_is_refused_in_chinese(world):
    with pytest.raises(ValidationError) as caught:
        project(world, world["last_year"]).full_clean()
    assert caught.value.message_dict["budget_line"] == [
        f"预算“{world['last_year']}”是2014年的预算，项目于2015年开始，应选择2015年的预算。"
    ]
    with pytest.raises(ValidationError) as caught:
        project(world, world["elsewhere"]).full_clean()
    assert caught.value.message_dict["budget_line"] == [
        f"预算“{world['elsewhere']}”不是本社区（街道）或上级区划的预算，不能作为该项目的经费来源。"
    ]


def test_the_api_carries_the_link_and_refuses_a_wrong_one(world):
    api = APIClient()
    api.force_authenticate(make_user("s", role="staff", scope_code=HOME))
    body = {
        "community_code": HOME,
        "organization": world["org"].pk,
        "name": "助老",
        "service_line": "social_security",
        "starts_on": "2015-02-01",
        "budget_line": world["county"].pk,
    }
    answer = api.post("/api/v1/entrusted-projects/", body, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["budget_line"] == world["county"].pk
    assert EntrustedProject.objects.get().budget_line == world["county"]
    body.update(name="助残", budget_line=world["elsewhere"].pk)
    refused = api.post("/api/v1/entrusted-projects/", body, format="json")
    assert refused.status_code == 400
    assert "不是本社区（街道）或上级区划的预算" in refused.json()["budget_line"][0]
    body.update(budget_line=None)
    answer = api.post("/api/v1/entrusted-projects/", body, format="json")
    assert answer.status_code == 201 and answer.json()["budget_line"] is None


def test_the_form_offers_the_lines_of_the_region_and_above(client, world):
    client.force_login(make_user("staff", role="staff", scope_code=HOME))
    url = reverse("entrusted-project-create", args=[HOME])
    page = client.get(url).content.decode()
    assert str(world["county"]) in page and str(world["street"]) in page
    assert str(world["elsewhere"]) not in page
    body = {
        "organization": world["org"].pk,
        "name": "助老",
        "service_line": "social_security",
        "starts_on": "2015-01-01",
        "funding_wan_yuan": "1.00",
        "budget_line": world["last_year"].pk,
        "target_beneficiaries": "10",
        "achieved_beneficiaries": "8",
        "rating": "",
    }
    refused = client.post(url, body)
    assert refused.status_code == 200 and not EntrustedProject.objects.exists()
    assert "应选择2015年的预算" in refused.content.decode()
    body["budget_line"] = world["street"].pk
    assert client.post(url, body).status_code == 302
    saved = EntrustedProject.objects.get()
    assert saved.budget_line == world["street"] and saved.history.get().budget_line_id == (
        world["street"].pk
    )
