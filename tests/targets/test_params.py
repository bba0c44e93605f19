"""One request vocabulary: scope, year and plan parse alike on pages, in the API, for the Excel
downloads and on the command line; an unknown scope and one outside the user's both answer 404."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from communities.scopes import ScopeNotFound, scope_param
from targets.params import (
    MAX_YEAR,
    MIN_YEAR,
    BadParameter,
    command_params,
    compliance_params,
    parse_year,
    plan_param,
    year_or_default,
)
from tests.factories import make_hierarchy, make_stat, make_user

pytestmark = pytest.mark.django_db

UNKNOWN = ["6299", "620102016999", "620199", "abc", "6", "６２", "62\x00", "6" * 300]
OUTSIDE = ["6202", "620201", "620201001", "620201001001", "62"]


@pytest.fixture
def hierarchy():
    make_hierarchy(communities=1)
    (outside,) = make_hierarchy(prefecture="6202", county="620201", street="620201001")
    make_stat(outside)
    return outside


@pytest.fixture
def official(hierarchy):
    return make_user("lz", role="official", scope_code="6201")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


class TestScopeParam:
    def test_blank_is_the_users_own_scope(self, official):
        scope = scope_param(official, "")
        assert (scope.code, scope.level) == ("6201", "prefecture")
        assert scope_param(official, None) == scope

    def test_a_scope_inside_the_users_is_resolved(self, official):
        assert scope_param(official, " 620102016 ").level == "street"
        assert scope_param(official, "620102016001").level == "community"

    @pytest.mark.parametrize("code", UNKNOWN + OUTSIDE)
    def test_unknown_and_outside_raise_the_same_error(self, official, code):
        with pytest.raises(ScopeNotFound) as error:
            scope_param(official, code)
        assert str(error.value) == "未找到该区划，或不在您的管辖范围内。"

    def test_an_inactive_user_reaches_nothing(self, official):
        official.is_active = False
        with pytest.raises(ScopeNotFound):
            scope_param(official, "")


class TestYearAndPlan:
    @pytest.mark.parametrize("raw", [MIN_YEAR, str(MAX_YEAR), " 2015 "])
    def test_years_in_the_range_are_accepted(self, raw):
        assert parse_year(raw) == int(str(raw).strip())

    @pytest.mark.parametrize(
        "raw", [MIN_YEAR - 1, MAX_YEAR + 1, "abc", "2015.5", "-2015", "２０１５"]
    )
    def test_years_outside_the_range_are_a_bad_parameter(self, raw):
        with pytest.raises(BadParameter) as error:
            parse_year(raw)
        assert error.value.field == "year"
        assert error.value.message_dict == {"year": ["年度必须是2000至2100之间的整数。"]}

    def test_pages_fall_back_to_their_default_instead(self):
        assert year_or_default("1999", 2015) == 2015
        assert year_or_default("2000", 2015) == 2000

    def test_blank_plan_is_the_current_one_and_an_unknown_plan_is_bad(self):
        assert plan_param("").code == "12th-five-year"
        with pytest.raises(BadParameter) as error:
            plan_param("13th")
        assert error.value.field == "plan"

    def test_the_defaults_are_own_scope_target_year_and_current_plan(self, official):
        params = compliance_params(official, {})
        assert (params.scope.code, params.year, params.plan.code) == (
            "6201",
            2015,
            "12th-five-year",
        )

    def test_the_command_line_sees_the_whole_province_but_no_unknown_code(self, hierarchy):
        assert command_params(scope="620201001001", year=None, plan=None).scope.code == (
            "620201001001"
        )
        with pytest.raises(BadParameter, match="未知的区划代码"):
            command_params(scope="6299", year=None, plan=None)


class TestOneYearRangeInEveryChannel:
    """2000 and 2100 are usable everywhere; 1999 and 2101 nowhere (pages fall back)."""

    @pytest.mark.parametrize(
        "year, usable",
        [(MIN_YEAR - 1, False), (MIN_YEAR, True), (MAX_YEAR, True), (MAX_YEAR + 1, False)],
    )
    def test_api_report_command_and_pages_agree(self, client, official, year, usable, tmp_path):
        ok = 200 if usable else 400
        assert api(official).get("/api/v1/compliance/", {"year": year}).status_code == ok
        assert api(official).get(reverse("api-report-compliance"), {"year": year}).status_code == ok
        client.force_login(official)
        assert client.get(reverse("report-compliance"), {"year": year}).status_code == ok
        if usable:
            call_command("compliance", "--year", str(year), stdout=io.StringIO())
        else:
            with pytest.raises(CommandError, match="2000至2100"):
                call_command("compliance", "--year", str(year), stdout=io.StringIO())
            with pytest.raises(CommandError, match="2000至2100"):
                call_command(
                    "export_compliance", "--year", str(year), "--output", str(tmp_path / "x.xlsx")
                )
        page = client.get(reverse("dashboard", args=["6201"]), {"year": year})
        assert page.context["year"] == (year if usable else 2015)
        community = client.get(reverse("community-detail", args=["620102016001"]), {"year": year})
        assert community.context["year"] == (year if usable else 2015)


class TestUnknownAnswersLikeOutside:
    @pytest.mark.parametrize("code", ["6299", "620201"])
    def test_the_compliance_api_answers_the_same_404(self, official, code):
        paths = [
            "/api/v1/compliance/",
            "/api/v1/compliance/communities/",
            "/api/v1/compliance/streets/",
        ]
        for path in paths:
            unknown = api(official).get(path, {"scope": "6299"})
            asked = api(official).get(path, {"scope": code})
            assert asked.status_code == unknown.status_code == 404
            assert asked.json() == unknown.json()

    @pytest.mark.parametrize("code", ["6299", "620201"])
    def test_the_excel_downloads_answer_404(self, client, official, code):
        client.force_login(official)
        inside = reverse("excel-export", args=["facilities"])
        assert client.get(inside, {"scope": "620102"}).status_code == 200
        assert client.get(reverse("excel-home"), {"scope": code}).status_code == 404
        assert client.get(reverse("report-compliance"), {"scope": code}).status_code == 404
        export = reverse("excel-export", args=["facilities"])
        assert client.get(export, {"scope": code}).status_code == 404
        report_api = api(official).get(reverse("api-report-compliance"), {"scope": code})
        export_api = api(official).get(
            reverse("api-report-resource", args=["facilities"]), {"scope": code}
        )
        assert report_api.status_code == export_api.status_code == 404
        assert report_api.json() == export_api.json()
        assert "管辖范围" in report_api.json()["detail"]

    @pytest.mark.parametrize("code", ["6299", "620201", "620201001", "620201001001"])
    def test_the_dashboards_answer_404(self, client, official, code):
        client.force_login(official)
        assert client.get(reverse("dashboard", args=[code])).status_code == 404
        failing = reverse("failing-communities", args=[code, "community_station"])
        assert client.get(failing).status_code == 404
