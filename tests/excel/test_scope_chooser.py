"""The Excel page's scope chooser: an export too large for one file can be split by unit.

兰州市 has more volunteers than one export may hold; the refusal asks for a smaller scope, so
the page offers the units under the user's scope and its export and report links use the one
chosen.
"""

import re

import pytest
from django.urls import reverse

from tests.factories import make_hierarchy, make_stat, make_user


@pytest.fixture
def hierarchy(db):
    """Two counties of 兰州 (one with two streets), and a street of another prefecture."""
    return (
        make_hierarchy(communities=2)
        + make_hierarchy(street="620102017", communities=1)
        + make_hierarchy(county="620103", street="620103001", communities=1)
        + make_hierarchy(prefecture="6202", county="620201", street="620201001", communities=1)
    )


def options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="scope".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"', select)


def selected(html: str) -> str:
    return re.search(r'<option value="(\d+)" selected>', html).group(1)


@pytest.mark.django_db
class TestChoices:
    def test_a_prefecture_official_chooses_among_its_counties_and_streets(
        self, client, prefecture_official, hierarchy
    ):
        client.force_login(prefecture_official)
        html = client.get(reverse("excel-home")).content.decode()
        # Own scope first, then each county followed by its streets; no communities, nothing
        # of another prefecture.
        assert options(html) == ["6201", "620102", "620102016", "620102017", "620103", "620103001"]
        assert selected(html) == "6201"

    def test_the_province_lists_prefectures_and_counties(self, client, admin, hierarchy):
        client.force_login(admin)
        html = client.get(reverse("excel-home")).content.decode()
        assert options(html) == ["62", "6201", "620102", "620103", "6202", "620201"]

    def test_a_street_chooses_among_its_communities(self, client, staff, hierarchy):
        client.force_login(staff)  # scope 620102016
        html = client.get(reverse("excel-home")).content.decode()
        assert options(html) == ["620102016", "620102016001", "620102016002"]

    def test_choices_are_read_in_a_few_queries(
        self, client, admin, hierarchy, django_assert_max_num_queries
    ):
        client.force_login(admin)
        client.get(reverse("excel-home"))
        for i in range(2, 9):
            make_hierarchy(prefecture=f"62{i + 2:02d}", county=f"62{i + 2:02d}01", communities=0)
        # 15: the year menu reads the later years that have statistics; the report jobs
        # panel asks whether a job's worker is lost, then reads the user's report jobs.
        with django_assert_max_num_queries(15):
            response = client.get(reverse("excel-home"))
        assert len(options(response.content.decode())) == 6 + 2 * 7


@pytest.mark.django_db
class TestChosenScope:
    def test_export_links_and_the_report_use_the_chosen_scope(
        self, client, prefecture_official, hierarchy
    ):
        client.force_login(prefecture_official)
        html = client.get(reverse("excel-home") + "?scope=620102017").content.decode()
        assert selected(html) == "620102017"
        for slug in ("volunteers", "community-stats", "workers"):
            assert f'{reverse("excel-export", args=[slug])}?scope=620102017"' in html
        report = re.search(
            rf'<form[^>]*action="{reverse("report-compliance")}".*?</form>', html, re.S
        ).group(0)
        assert '<input type="hidden" name="scope" value="620102017">' in report

    def test_a_scope_outside_the_users_is_404(self, client, prefecture_official, hierarchy):
        client.force_login(prefecture_official)
        assert client.get(reverse("excel-home") + "?scope=6202").status_code == 404
        assert client.get(reverse("excel-home") + "?scope=abc").status_code == 404

    def test_a_deeper_code_in_the_address_is_shown_as_chosen(
        self, client, prefecture_official, hierarchy
    ):
        client.force_login(prefecture_official)
        html = client.get(reverse("excel-home") + "?scope=620102016002").content.decode()
        assert selected(html) == "620102016002"
        assert f'{reverse("excel-export", args=["workers"])}?scope=620102016002"' in html

    def test_the_page_keeps_the_content_security_policy(
        self, client, prefecture_official, hierarchy
    ):
        client.force_login(prefecture_official)
        html = client.get(reverse("excel-home")).content.decode()
        assert 'style="' not in html and "<style" not in html and " onclick=" not in html
        assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html) is None

    def test_a_refused_export_leads_to_the_chooser_and_a_smaller_scope_exports(
        self, client, admin, hierarchy, settings
    ):
        for community in hierarchy:
            make_stat(community)
        settings.EXPORT_MAX_ROWS = 2
        client.force_login(admin)
        url = reverse("excel-export", args=["community-stats"])
        response = client.get(url + "?scope=6201")
        assert response.status_code == 302
        assert response["Location"] == reverse("excel-home") + "?scope=6201"
        html = client.get(response["Location"]).content.decode()
        assert "超过单次导出上限 2 条" in html and "导出范围" in html
        assert selected(html) == "6201"
        # The units under 兰州 are offered; choosing one offers the units under it in turn,
        # down to a street small enough for one file.
        assert {"620102", "620103"} <= set(options(html))
        html = client.get(reverse("excel-home") + "?scope=620102").content.decode()
        assert {"620102016", "620102017"} <= set(options(html))
        assert client.get(url + "?scope=620102").status_code == 302
        assert client.get(url + "?scope=620102016").status_code == 200


def test_an_official_of_a_county_sees_its_streets_only(client, db):
    make_hierarchy(communities=1)
    make_hierarchy(street="620102017", communities=1)
    official = make_user("county1", role="official", scope_code="620102")
    client.force_login(official)
    html = client.get(reverse("excel-home")).content.decode()
    assert options(html) == ["620102", "620102016", "620102017"]


def test_a_single_community_gets_no_chooser_to_operate(client, db):
    home = make_hierarchy(communities=1)[0]
    client.force_login(make_user("c1", role="staff", scope_code=home.code))
    html = client.get(reverse("excel-home")).content.decode()
    assert 'name="scope" data-testid="scope-select"' not in html
    assert f'{reverse("excel-export", args=["volunteers"])}?scope={home.code}"' in html
