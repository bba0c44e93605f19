"""The admin index shows administrators the province's compliance summary."""

from django.contrib import admin
from django.urls import reverse

from gansu_community.admin import PortalAdminSite
from targets.engine import compute_region
from targets.plans import current_plan


def test_the_admin_site_is_the_portals():
    assert isinstance(admin.site, PortalAdminSite)


def test_administrators_see_the_province_summary(world, login):
    response = login("admin").get(reverse("admin:index"))
    summary = response.context["compliance"]
    plan = current_plan()
    expected = compute_region(
        scope_code="62", year=plan.target_year, plan=plan, with_children=False
    )
    assert summary["year"] == plan.target_year
    assert [row["applicable"] for row in summary["rows"]] == [
        i.applicable for i in expected.indicators
    ]
    assert [row["compliant"] for row in summary["rows"]] == [
        i.compliant for i in expected.indicators
    ]
    html = response.content.decode()
    assert f"甘肃省{plan.target_year}年达标情况" in html
    assert expected.indicators[0].name in html
    assert "全部指标达标的社区" in html
    assert "<td>80%</td>" in html  # ratio thresholds read as percentages


def test_officials_and_staff_see_no_province_summary(world, login):
    for role in ("prefecture", "staff"):
        response = login(role).get(reverse("admin:index"))
        assert response.context["compliance"] is None
        assert "达标情况" not in response.content.decode()


def test_the_index_still_opens_without_a_hierarchy(db, users, client):
    client.force_login(users["admin"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["compliance"] is None
