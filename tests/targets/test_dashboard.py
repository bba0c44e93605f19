"""The compliance dashboards: figures as the API prints them, drill-down, scope, query counts."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community
from core.figures import figures_refresh
from streets.models import Division, Street
from targets.engine import compute_region
from targets.payload import region_payload
from targets.plans import current_plan
from tests.factories import make_facility, make_hierarchy, make_stat, make_user

PLACES = [("6201", "620102", "620102016"), ("6202", "620201", "620201001")]


def build(per_street: int = 2) -> list[Community]:
    """Two prefectures, one county and one 街道 each, ``per_street`` communities each.

    In each street the first community has a 320 ㎡ station and 2015 statistics; the others
    a 200 ㎡ station; 兰州 (6201)'s street has an 850 ㎡ centre.
    """
    communities = []
    for prefecture, county, street in PLACES:
        created = make_hierarchy(
            prefecture=prefecture, county=county, street=street, communities=per_street
        )
        for i, community in enumerate(created):
            make_facility(kind="station", community=community, area="320" if i == 0 else "200")
            make_stat(community, 2015)
        communities.extend(created)
    make_facility(kind="centre", street=Street.objects.get(code="620102016"), area="850")
    return communities


@pytest.fixture
def data(db):
    return build()


def get_json_script(html: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


def api_figures(code: str, year: int = 2015) -> dict:
    plan = current_plan()
    return region_payload(compute_region(scope_code=code, year=year, plan=plan), plan)


class TestProvinceDashboard:
    def test_shows_a_card_per_indicator_with_the_apis_rate_as_a_percentage(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        response = client.get(reverse("dashboard", args=["62"]), {"year": 2015})
        assert response.status_code == 200
        html = response.content.decode()
        payload = api_figures("62")
        assert len(response.context["cards"]) == 11
        for item in payload["indicators"]:
            assert f'data-testid="card-{item["code"]}"' in html
        station = next(i for i in payload["indicators"] if i["code"] == "community_station")
        assert station["rate"] == "0.5000"  # 2 of 4 communities have ≥ 300 ㎡
        assert '<span class="ind-rate" data-testid="rate-community_station">50.00%</span>' in html
        # The gap is the API's string with its unit: 2 stations × 100 ㎡ short.
        assert station["gap"] == "200.00"
        assert "200.00 平方米" in html

    def test_every_card_prints_the_figures_of_the_rest_api(self, client, admin_user, data):
        client.force_login(admin_user)
        api = client.get("/api/v1/compliance/", {"scope": "6201", "year": 2015}).json()
        cards = client.get("/dashboard/6201/", {"year": 2015}).context["cards"]
        assert [c["code"] for c in cards] == [i["code"] for i in api["indicators"]]
        for card, item in zip(cards, api["indicators"], strict=True):
            assert card["rate"] == item["rate"]
            assert (card["compliant"], card["applicable"], card["missing"]) == (
                item["compliant"],
                item["applicable"],
                item["missing"],
            )
            assert card["gap_label"].split(" ")[0] == item["gap"]

    def test_offers_the_excel_report_of_the_same_scope_and_year(self, client, admin_user, data):
        client.force_login(admin_user)
        html = client.get("/dashboard/6201/", {"year": 2014}).content.decode()
        assert f'href="{reverse("report-compliance")}?scope=6201&amp;year=2014"' in html

    def test_colours_cards_by_how_close_the_rate_is_to_full_compliance(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        cards = {c["code"]: c for c in client.get("/dashboard/62/").context["cards"]}
        assert cards["community_station"]["colour"] == "red"  # 50 %
        assert cards["party_member_participation"]["colour"] == "green"  # every one at 80 %
        assert cards["street_centre"]["colour"] == "red"  # 1 of 2 subdistricts

    def test_bar_chart_has_one_bar_per_prefecture_linking_to_its_dashboard(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        html = client.get("/dashboard/62/?year=2015&indicator=community_station").content.decode()
        chart = get_json_script(html, "bar-data")
        assert [b["code"] for b in chart["bars"]] == ["6201", "6202"]
        assert chart["bars"][0]["url"] == "/dashboard/6201/?year=2015&indicator=community_station"
        assert chart["bars"][0]["label"] == "50.00%"
        # The table rows drill down too.
        assert 'data-href="/dashboard/6201/?year=2015&amp;indicator=community_station"' in html

    def test_progress_line_runs_from_2010_to_the_target_year(self, client, admin_user, data):
        client.force_login(admin_user)
        html = client.get("/dashboard/62/?year=2015").content.decode()
        # The page fetches the line afterwards, once for every indicator.
        assert 'data-url="/dashboard/62/progress/?year=2015"' in html
        progress = client.get("/dashboard/62/progress/?year=2015").json()
        assert progress["years"] == [str(y) for y in range(2010, 2016)]
        assert list(progress["indicators"]) == [i["code"] for i in api_figures("62")["indicators"]]
        station = progress["indicators"]["community_station"]
        assert station["rates"][-1] == 50.0  # 2015
        assert station["rates"][0] == 50.0  # the stations opened on 2010-01-01
        assert station["values"] is None  # an area: no region-wide share
        residents = progress["indicators"]["resident_participation"]
        # Statistics exist for 2015 only: earlier years count every community as missing.
        assert residents["rates"] == [0.0] * 5 + [100.0]
        assert residents["values"] == [None] * 5 + [30.0]  # 840 of 2,800 residents
        assert progress["full"][-1] == 0.0

    def test_progress_line_follows_a_later_chosen_year(self, client, admin_user, data):
        client.force_login(admin_user)
        progress = client.get("/dashboard/62/progress/?year=2017").json()
        assert progress["years"][-1] == "2017"

    def test_baseline_is_shown_beside_the_plans_published_2010_values(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        html = client.get("/dashboard/62/").content.decode()
        assert "89.5%" in html  # 89.5%的社区设有社区服务站
        assert "124个社区没有办公服务用房" in html
        baseline = {b["code"]: b for b in client.get("/dashboard/62/").context["baseline"]}
        assert baseline["communities_with_station"]["count"] == 4


class TestDrillDown:
    def test_street_dashboard_drills_into_community_pages(self, client, admin_user, data):
        client.force_login(admin_user)
        html = client.get("/dashboard/620102016/?year=2015").content.decode()
        chart = get_json_script(html, "bar-data")
        assert [b["code"] for b in chart["bars"]] == ["620102016001", "620102016002"]
        assert (
            chart["bars"][0]["url"]
            == reverse("community-detail", args=["620102016001"]) + "?year=2015"
        )

    def test_community_code_redirects_to_the_community_page(self, client, admin_user, data):
        client.force_login(admin_user)
        response = client.get("/dashboard/620102016001/?year=2014")
        assert response.status_code == 302
        assert (
            response["Location"]
            == reverse("community-detail", args=["620102016001"]) + "?year=2014"
        )

    def test_breadcrumbs_start_at_the_users_own_scope(self, client, data):
        official = make_user("lz", role="official", scope_code="6201")
        client.force_login(official)
        crumbs = client.get("/dashboard/620102016/").context["breadcrumbs"]
        assert [c["code"] for c in crumbs] == ["6201", "620102", "620102016"]
        client.force_login(make_user("prov", role="admin", scope_code="62"))
        crumbs = client.get("/dashboard/620102016/").context["breadcrumbs"]
        assert [c["name"] for c in crumbs][0] == "甘肃省"

    def test_choosing_another_indicator_swaps_only_the_panel(self, client, admin_user, data):
        client.force_login(admin_user)
        response = client.get(
            reverse("dashboard-chart", args=["62"]),
            {"year": 2015, "indicator": "street_centre"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html
        assert html.lstrip().startswith(
            '<section id="indicator-panel" data-indicator="street_centre"'
        )
        assert response["HX-Push-Url"] == "/dashboard/62/?year=2015&indicator=street_centre"
        chart = get_json_script(html, "bar-data")
        assert [b["label"] for b in chart["bars"]] == ["100.00%", "0.00%"]


class TestScope:
    @pytest.mark.parametrize(
        "code", ["6202", "62", "620201001", "620201001001", "abc", "6201x", "620199"]
    )
    def test_codes_outside_the_officials_scope_or_unknown_answer_404(self, client, data, code):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        assert client.get(f"/dashboard/{code}/").status_code == 404
        assert client.get(f"/dashboard/{code}/chart/").status_code == 404
        assert client.get(f"/dashboard/{code}/progress/").status_code == 404
        assert client.get(f"/dashboard/{code}/failing/community_station/").status_code == 404

    def test_official_sees_own_prefecture(self, client, data):
        client.force_login(make_user("lz", role="official", scope_code="6201"))
        response = client.get("/dashboard/6201/")
        assert response.status_code == 200
        assert response.context["community_count"] == 2

    def test_anonymous_is_sent_to_login(self, client, data):
        response = client.get("/dashboard/62/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestYearsAndEmptyStates:
    def test_year_without_statistics_says_so(self, client, admin_user, data):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/", {"year": 2013})
        assert response.context["year"] == 2013
        assert response.context["stats_missing"] is True
        assert "2013年尚无年度统计数据" in response.content.decode()

    def test_a_year_without_statistics_colours_nothing_green_for_them(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/", {"year": 2020})
        html = response.content.decode()
        assert "2020年尚无年度统计数据" in html
        cards = {c["code"]: c for c in response.context["cards"]}
        for code in ("area_per_100_households", "resident_participation", "registered_volunteers"):
            assert cards[code]["colour"] == "grey", code
            assert cards[code]["no_data"] and not cards[code]["gap_is_zero"]
            gap = re.search(rf'data-testid="gap-{code}">(.*?)</dd>', html).group(1)
            assert "缺数据，无法计算" in gap and "text-green" not in gap
        assert 2020 not in response.context["years"]

    def test_year_with_statistics_has_no_warning(self, client, admin_user, data):
        client.force_login(admin_user)
        assert client.get("/dashboard/62/", {"year": 2015}).context["stats_missing"] is False

    @pytest.mark.parametrize("raw", ["abc", "1999", "3000", ""])
    def test_bad_year_falls_back_to_the_target_year(self, client, admin_user, data, raw):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/", {"year": raw})
        assert response.status_code == 200
        assert response.context["year"] == 2015

    def test_year_selector_offers_the_plans_years_and_later_years_with_data(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        assert client.get("/dashboard/62/").context["years"] == list(range(2015, 2009, -1))
        make_stat(Community.objects.order_by("code").first(), 2018)
        years = client.get("/dashboard/62/").context["years"]
        assert years == [2018, *range(2015, 2009, -1)]

    def test_scope_without_communities_shows_an_empty_state(self, client, admin_user, data):
        province = Division.objects.get(code="62")
        Division.objects.create(code="6203", name="金昌市", level="prefecture", parent=province)
        client.force_login(admin_user)
        response = client.get("/dashboard/6203/")
        assert response.status_code == 200
        assert 'data-testid="empty-state"' in response.content.decode()

    def test_without_any_plan_the_pages_say_so_instead_of_failing(self, client, admin_user, data):
        from targets.models import Plan

        Plan.objects.all().delete()
        client.force_login(admin_user)
        for url in [
            "/dashboard/62/",
            "/dashboard/62/chart/",
            "/dashboard/62/progress/",
            "/dashboard/62/failing/community_station/",
        ]:
            response = client.get(url)
            assert response.status_code == 200
            assert "尚未设置社区服务体系建设规划" in response.content.decode()

    def test_unknown_indicator_falls_back_to_the_first_community_indicator(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/", {"indicator": "nonsense"})
        assert response.context["indicator"].code == "community_station"


class TestFailingCommunities:
    def test_lists_failing_communities_with_their_gap_largest_first(self, client, admin_user, db):
        build(per_street=3)
        # A smaller station in 6202 so that gaps differ.
        Community.objects.get(code="620201001003").facilities.update(floor_area="150")
        figures_refresh({"620201001003"})  # an update around the write path
        client.force_login(admin_user)
        response = client.get("/dashboard/62/failing/community_station/", {"year": 2015})
        assert response.status_code == 200
        rows = response.context["page"].object_list
        assert [r["code"] for r in rows] == [
            "620201001003",
            "620102016002",
            "620102016003",
            "620201001002",
        ]
        assert rows[0]["gap_label"] == "150.00 平方米"
        assert rows[0]["value_label"] == "150.00 ㎡"
        # Each row names its street, county and prefecture (东关街道 is told apart).
        assert rows[1]["regions"] == ["市6201", "县620102", "街道620102016"]
        assert response.context["total_gap_label"] == "450.00 平方米"

    def test_sorts_by_name_and_by_gap_ascending(self, client, admin_user, db):
        build(per_street=3)
        client.force_login(admin_user)
        rows = (
            client.get("/dashboard/62/failing/community_station/?sort=-name")
            .context["page"]
            .object_list
        )
        assert [r["name"] for r in rows] == sorted((r["name"] for r in rows), reverse=True)
        rows = (
            client.get("/dashboard/62/failing/community_station/?sort=gap")
            .context["page"]
            .object_list
        )
        gaps = [r["gap_sort"] for r in rows]
        assert gaps == sorted(gaps)

    def test_communities_without_statistics_are_listed_as_missing_data_last(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/failing/resident_participation/", {"year": 2014})
        rows = response.context["page"].object_list
        assert len(rows) == 4 and all(r["missing"] for r in rows)
        assert "缺数据" in response.content.decode()

    def test_offers_the_next_level_down_with_its_failing_count(self, client, admin_user, db):
        build(per_street=3)
        client.force_login(admin_user)
        narrower = client.get("/dashboard/62/failing/community_station/").context["narrower"]
        assert [(n["code"], n["failing"]) for n in narrower] == [("6201", 2), ("6202", 2)]
        assert narrower[0]["url"] == "/dashboard/6201/failing/community_station/?year=2015"
        rows = client.get(narrower[0]["url"]).context["page"].object_list
        assert {r["code"][:4] for r in rows} == {"6201"}

    def test_paginates(self, client, admin_user, db, monkeypatch):
        monkeypatch.setattr("targets.views.PAGE_SIZE", 2)
        build(per_street=3)
        client.force_login(admin_user)
        page2 = client.get("/dashboard/62/failing/community_station/?page=2").context["page"]
        assert page2.number == 2 and page2.paginator.count == 4 and len(page2.object_list) == 2

    def test_street_centre_lists_subdistricts_without_a_large_centre(
        self, client, admin_user, data
    ):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/failing/street_centre/")
        rows = response.context["page"].object_list
        assert [r["code"] for r in rows] == ["620201001"]
        assert rows[0]["gap_label"] == "800.00 平方米"

    def test_no_failures_shows_an_empty_state(self, client, admin_user, data):
        client.force_login(admin_user)
        response = client.get("/dashboard/62/failing/party_member_participation/", {"year": 2015})
        assert response.context["failing_count"] == 0
        assert "均达到「党员参与志愿活动」标准" in response.content.decode()

    def test_unknown_indicator_answers_404(self, client, admin_user, data):
        client.force_login(admin_user)
        assert client.get("/dashboard/62/failing/nonsense/").status_code == 404


class TestQueryCounts:
    """The pages cost the same number of queries whatever the number of communities."""

    @staticmethod
    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    @pytest.mark.parametrize(
        "url",
        [
            "/dashboard/62/?year=2015",
            "/dashboard/6201/?year=2015",
            "/dashboard/620102016/?year=2015",
            "/dashboard/62/chart/?year=2015&indicator=street_centre",
            "/dashboard/62/progress/?year=2015&indicator=resident_participation",
            "/dashboard/62/failing/community_station/?year=2015",
            "/dashboard/62/failing/street_centre/?year=2015",
        ],
    )
    def test_flat_between_a_small_and_a_ten_times_larger_data_set(
        self, client, admin_user, db, url
    ):
        client.force_login(admin_user)
        build(per_street=2)
        small = self.count(client, url)
        for prefecture, county, street in PLACES:
            for community in make_hierarchy(
                prefecture=prefecture, county=county, street=street, communities=20
            )[2:]:
                make_facility(kind="station", community=community, area="310")
                make_stat(community, 2015)
        assert Community.objects.count() == 40
        large = self.count(client, url)
        assert small == large

    @staticmethod
    def engine_queries(call) -> int:
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    @pytest.mark.parametrize(
        "url, engine, own",
        [
            # One for the yearly targets set for the scope (the cards' 年度目标), three for the
            # volunteer service figures (star thresholds, hours per year, stars).
            ("/dashboard/62/?year=2015", "region", 14),
            # Two more for the breadcrumbs' county and street names.
            ("/dashboard/620102016/?year=2015", "region", 16),
            ("/dashboard/62/chart/?year=2015&indicator=street_centre", "region", 7),
            # One for the yearly targets of the target path.
            ("/dashboard/62/progress/?year=2015&indicator=street_centre", "years", 8),
            # One more each for the next level down; the communities' list names their
            # prefectures and counties too (one more).
            ("/dashboard/62/failing/community_station/?year=2015", "communities", 13),
            ("/dashboard/62/failing/street_centre/?year=2015", "streets", 12),
        ],
    )
    def test_query_counts_are_pinned(self, client, admin_user, data, url, engine, own):
        """Each page costs one engine call plus a fixed number of its own queries.

        Its own: session and user, the scope and the plan, the breadcrumbs, the user's scope
        name in the layout, the session save (three statements), the later years with data
        for the year menu (pages with a menu); the failing list adds the names of the streets
        or counties.
        """
        from targets import engine as eng

        code = url.split("/")[2]
        plan = current_plan()
        calls = {
            "region": lambda: eng.compute_region(scope_code=code, year=2015, plan=plan),
            "years": lambda: eng.compute_years(
                scope_code=code, years=list(range(2010, 2016)), plan=plan
            ),
            "communities": lambda: eng.community_rows(scope_code=code, year=2015, plan=plan),
            "streets": lambda: eng.street_rows(scope_code=code, year=2015, plan=plan),
        }
        engine_count = self.engine_queries(calls[engine])
        client.force_login(admin_user)
        assert self.count(client, url) == engine_count + own


class TestPresentation:
    """The writing of figures: exact shifts of the API's strings, colours at their edges."""

    @pytest.mark.parametrize(
        "rate, colour",
        [
            ("1.0000", "green"),
            ("0.9999", "amber"),
            ("0.9000", "amber"),
            ("0.8999", "red"),
            (None, "grey"),
        ],
    )
    def test_colour_edges(self, rate, colour):
        from targets.presentation import closeness

        assert closeness(rate) == colour

    def test_percentages_are_the_api_strings_with_the_point_moved(self):
        from targets.presentation import percent

        assert percent("0.7769") == "77.69%"
        assert percent("0.0005") == "0.05%"
        assert percent("1.0000") == "100.00%"
        assert percent(None) is None

    def test_thresholds_read_as_the_plan_says_them(self):
        from targets.presentation import threshold_label
        from targets.registry import INDICATOR_BY_CODE as BY

        assert threshold_label(BY["street_centre"], "800") == "≥ 800 ㎡"
        assert threshold_label(BY["party_member_participation"], "0.80") == "≥ 80%"
        assert threshold_label(BY["area_per_100_households"], "20") == "≥ 20 ㎡/百户"
        assert threshold_label(BY["digital_3d_community"], "1") == "已完成"
