"""The dashboard's volunteer service figures: confirmed hours per year, stars, hours per volunteer."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.figures import figures_refresh
from tests.factories import make_hierarchy, make_user
from tests.model_rules import valid_id_number
from volunteers.models import ServiceRecord, Volunteer


@pytest.fixture
def world(db):
    communities = make_hierarchy(communities=2)
    volunteers = [
        Volunteer.objects.create(
            community=communities[i % 2],
            name=f"志愿者{i}",
            gender="male",
            id_number=valid_id_number(serial=70 + i),
            registered_on=datetime.date(2012, 1, 1),
        )
        for i in range(4)
    ]
    rows = []
    for _ in range(5):  # 120 hours in 2014: one star
        rows.append(
            ServiceRecord(
                volunteer=volunteers[0],
                served_on=datetime.date(2014, 5, 1),
                hours=Decimal("24"),
                category="elderly",
                activity="x",
                status="confirmed",
            )
        )
    rows.append(
        ServiceRecord(
            volunteer=volunteers[1],
            served_on=datetime.date(2015, 5, 1),
            hours=Decimal("6"),
            category="elderly",
            activity="x",
            status="confirmed",
        )
    )
    rows.append(
        ServiceRecord(
            volunteer=volunteers[2],
            served_on=datetime.date(2015, 5, 1),
            hours=Decimal("20"),
            category="elderly",
            activity="x",
            status="recorded",
        )
    )
    ServiceRecord.objects.bulk_create(rows)
    figures_refresh({c.code for c in communities})  # written around the write path
    return make_user("dash_official", role="official", scope_code="620102")


def test_the_dashboard_shows_confirmed_hours_stars_and_hours_per_volunteer(client, world):
    client.force_login(world)
    response = client.get(reverse("dashboard", args=["620102"]), {"year": 2015})
    assert response.status_code == 200
    service = response.context["volunteer_service"]
    assert [(r["year"], r["hours"]) for r in service["per_year"]] == [
        (2014, Decimal("120")),
        (2015, Decimal("6")),
    ]
    assert service["stars"][0] == ("一星", 1)
    assert service["registered"] == 4
    assert service["hours_per_volunteer"] == Decimal("1.50")  # 6 confirmed hours in 2015 ÷ 4
    assert 'data-testid="hours-per-volunteer">1.50<' in response.content.decode()
