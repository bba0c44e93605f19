"""The community page: what each role sees on it, and who cannot reach it."""

import pytest
from django.urls import reverse

from communities.models import StatStatus
from tests.entry_data import EntryWorld, fill_community, valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return EntryWorld()


@pytest.fixture
def filled(world):
    return fill_community(world.home)


def row_verdict(html: str, code: str) -> str:
    """Return the verdict badge text of one indicator's row in the compliance table."""
    row = html.split(f'data-indicator="{code}"', 1)[1].split("</tr>", 1)[0]
    for verdict in ("未达标", "缺数据", "达标"):
        if f">{verdict}</span>" in row:
            return verdict
    raise AssertionError(f"no verdict for {code}")


def page(client, user, community, **params):
    client.force_login(user)
    return client.get(reverse("community-detail", args=[community.code]), params)


def test_staff_sees_every_kind_of_record_of_their_community(client, world, filled):
    response = page(client, world.staff, world.home)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("服务站", "红马甲志愿队", "志愿者0", "夕阳红舞蹈队", "张书记", "2015年", "2014年"):
        assert text in html
    # The add links of every kind of record are offered to staff of the community.
    for name in (
        "stat-create",
        "facility-create",
        "volunteer-organization-create",
        "volunteer-create",
        "social-organization-create",
        "worker-create",
    ):
        assert reverse(name, args=[world.home.code]) in html


def test_id_numbers_and_phones_are_masked_on_the_page(client, world, filled):
    html = page(client, world.admin, world.home).content.decode()
    for volunteer in filled["volunteers"]:
        assert volunteer.id_number not in html
        assert volunteer.phone not in html
        assert volunteer.id_number_masked in html
        assert volunteer.phone_masked in html


def test_official_sees_the_page_without_entry_links(client, world, filled):
    html = page(client, world.street_official, world.home).content.decode()
    assert "红马甲志愿队" in html
    assert reverse("worker-create", args=[world.home.code]) not in html
    assert reverse("stat-edit", args=[filled["stats"][0].pk]) not in html


def test_staff_of_another_community_gets_404(client, world, filled):
    assert page(client, world.sibling_staff, world.home).status_code == 404


def test_official_of_another_prefecture_gets_404(client, world, filled):
    assert page(client, world.far_official, world.home).status_code == 404


def test_unknown_community_is_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("community-detail", args=["620102016999"])).status_code == 404


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(reverse("community-detail", args=[world.home.code]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_compliance_of_the_chosen_year_is_shown(client, world, filled):
    html = page(client, world.staff, world.home, year=2015).content.decode()
    assert "2015年达标情况" in html
    # The 320 ㎡ station meets the 300 ㎡ target; the community has 1 social organisation of 5.
    assert row_verdict(html, "community_station") == "达标"
    assert row_verdict(html, "social_organizations") == "未达标"


def test_year_without_statistics_says_data_is_missing(client, world, filled):
    html = page(client, world.staff, world.home, year=2012).content.decode()
    assert "尚未录入2012年度统计数据" in html
    assert "缺数据" in html


def test_returned_row_shows_its_reason_to_staff(client, world, filled):
    stat = filled["stats"][1]
    stat.status = StatStatus.RETURNED
    stat.return_reason = "户数与上年差异过大，请核实"
    stat.save()
    html = page(client, world.staff, world.home).content.decode()
    assert "退回原因：户数与上年差异过大，请核实" in html


def test_approved_row_offers_staff_no_edit_button(client, world, filled):
    stat = filled["stats"][1]
    stat.status = StatStatus.APPROVED
    stat.save()
    html = page(client, world.staff, world.home).content.decode()
    assert reverse("stat-edit", args=[stat.pk]) not in html
    assert reverse("stat-edit", args=[filled["stats"][0].pk]) in html


def test_volunteers_are_paginated(client, world):
    fill_community(world.home, volunteers=25)
    client.force_login(world.staff)
    url = reverse("community-detail", args=[world.home.code])
    first = client.get(url).content.decode()
    assert "共 25 名，第 1/3 页" in first
    second = client.get(url, {"vpage": 3}, headers={"HX-Request": "true"}).content.decode()
    second_part = client.get(
        url, {"vpage": 3, "part": "volunteers"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "第 3/3 页" in second
    assert "<html" not in second_part and "第 3/3 页" in second_part


def register(client, user, community, **params):
    client.force_login(user)
    response = client.get(
        reverse("community-detail", args=[community.code]),
        {"part": "volunteers", **params},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return response


def names(response) -> set[str]:
    return {v.name for v in response.context["volunteers"]}


def test_the_register_finds_a_volunteer_by_name_or_the_last_id_digits(client, world):
    fill_community(world.home, volunteers=12)
    from volunteers.models import Volunteer

    wang = Volunteer.objects.filter(community=world.home).order_by("id")[3]
    wang.name = "王芳"
    wang.save()
    assert names(register(client, world.staff, world.home, who="王芳")) == {"王芳"}
    assert names(register(client, world.staff, world.home, who="王")) == {"王芳"}
    tail = register(client, world.staff, world.home, who=wang.id_number[-4:])
    assert names(tail) == {"王芳"}
    whole = register(client, world.staff, world.home, who=wang.id_number.lower())
    assert names(whole) == {"王芳"}
    # The filter survives paging: the page links carry it.
    html = register(client, world.staff, world.home, who="志愿者").content.decode()
    assert "who=%E5%BF%97%E6%84%BF%E8%80%85" in html


def test_the_register_filter_stays_inside_the_community(client, world):
    fill_community(world.home, volunteers=2)
    fill_community(world.sibling, volunteers=2)
    from volunteers.models import Volunteer

    theirs = Volunteer.objects.filter(community=world.sibling).first()
    found = register(client, world.staff, world.home, who=theirs.id_number[-4:])
    assert all(v.community_id == world.home.code for v in found.context["volunteers"])
    whole = register(client, world.staff, world.home, who=theirs.id_number)
    assert names(whole) == set()
    assert "没有符合筛选条件的志愿者" in whole.content.decode()


def test_digits_that_are_no_tail_find_nobody_and_say_why(client, world):
    fill_community(world.home, volunteers=3)
    response = page(client, world.staff, world.home, who="12")
    assert names(response) == set()
    assert "请输入姓名、身份证号码后四位或完整的身份证号码" in response.content.decode()


def test_the_register_filter_uses_the_indexes(client, world):
    """Name and tail are matched on indexed columns (Volunteer.Meta.indexes, id_tail)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill_community(world.home, volunteers=3)
    client.force_login(world.staff)
    url = reverse("community-detail", args=[world.home.code])
    with CaptureQueriesContext(connection) as caught:
        client.get(url, {"part": "volunteers", "who": "1234"}, headers={"HX-Request": "true"})
    sql = " ".join(q["sql"] for q in caught.captured_queries)
    assert '"id_tail" = ' in sql


def test_community_page_query_count_does_not_grow_with_records(
    client, world, django_assert_max_num_queries
):
    fill_community(world.home, volunteers=3)
    client.force_login(world.staff)
    url = reverse("community-detail", args=[world.home.code])
    client.get(url)
    # 42: the page's own queries, two engine passes (the year, and the years since 2010) and
    # the volunteer record's star thresholds, volunteers by star and hours per year.
    with django_assert_max_num_queries(42) as small:
        assert client.get(url).status_code == 200
    fill_community(world.sibling, volunteers=30)
    # Ten times more records on the same page: same number of queries.
    from volunteers.models import Volunteer

    for i in range(30):
        Volunteer.objects.create(
            community=world.home,
            name=f"新志愿者{i}",
            gender="male" if i % 2 else "female",
            id_number=valid_id(500 + i),
            registered_on="2014-01-01",
        )
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_street_list_shows_communities_and_their_stat_state(client, world, filled):
    client.force_login(world.street_official)
    response = client.get(reverse("street-communities", args=["620102016"]), {"year": 2015})
    html = response.content.decode()
    assert response.status_code == 200
    assert world.home.name in html and world.sibling.name in html
    assert "未录入" in html  # the sibling has no statistics


def test_street_list_outside_scope_is_404(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("street-communities", args=["620102016"])).status_code == 404


def test_street_centre_is_shown_only_to_users_who_see_the_street(client, world, filled):
    from tests.factories import make_facility

    make_facility(kind="centre", street=world.home.street, area="850", name="街道综合服务中心")
    assert "街道综合服务中心" not in page(client, world.staff, world.home).content.decode()
    assert "街道综合服务中心" in page(client, world.street_official, world.home).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"year": "99999"}, {"vpage": "x"}, {"vpage": "-3"}, {"year": "２０１５"}],
)
def test_junk_query_parameters_fall_back_to_defaults(client, world, filled, params):
    response = page(client, world.staff, world.home, **params)
    assert response.status_code == 200
    assert response.context["year"] == 2015


def test_street_list_query_count_is_flat(client, world, django_assert_num_queries):
    from tests.factories import make_hierarchy, make_stat

    fill_community(world.home, volunteers=2)
    client.force_login(world.street_official)
    url = reverse("street-communities", args=["620102016"])
    client.get(url)
    with django_assert_num_queries(15) as small:
        client.get(url)
    for community in make_hierarchy(communities=20)[2:]:
        make_stat(community, 2015)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["communities"]) == 20


def test_service_hours_funding_and_training_are_summed(client, world, filled):
    import datetime
    from decimal import Decimal

    from facilities.models import FacilityFunding
    from volunteers.models import ServiceRecord
    from workforce.models import Training

    volunteer = filled["volunteers"][0]
    for hours in ("2.5", "3.0"):
        ServiceRecord.objects.create(
            volunteer=volunteer,
            served_on=datetime.date(2015, 3, 5),
            hours=Decimal(hours),
            category="elderly",
            activity="探访空巢老人",
            status="confirmed",  # only confirmed records count
        )
    FacilityFunding.objects.create(
        facility=filled["station"], source="provincial", year=2013, amount_wan_yuan=Decimal("40")
    )
    FacilityFunding.objects.create(
        facility=filled["station"], source="local", year=2013, amount_wan_yuan=Decimal("12.5")
    )
    Training.objects.create(
        worker=filled["worker"],
        title="社会工作实务",
        started_on=datetime.date(2014, 5, 1),
        hours=16,
    )
    response = page(client, world.staff, world.home)
    volunteers = {v.pk: v for v in response.context["volunteers"]}
    assert volunteers[volunteer.pk].service_hours == Decimal("5.5")
    assert response.context["facilities"][0].funding_wan_yuan == Decimal("52.5")
    assert response.context["workers"][0].training_hours == Decimal("16")
    html = response.content.decode()
    assert ">5.5<" in html and ">52.50<" in html and ">16.0<" in html


def test_each_failing_indicator_says_what_is_missing(client, world, filled):
    response = page(client, world.staff, world.home, year=2015)
    gaps = {item["code"]: item["gap"] for item in response.context["compliance"]["items"]}
    # 1 social organisation of 5; 3 volunteers for 2,800 residents (280 needed).
    assert gaps["social_organizations"] == "缺 4 个"
    assert gaps["registered_volunteers"] == "缺 277 人"
    assert gaps["community_station"] == "—"
    assert gaps["digital_3d_community"] == "尚未完成"


def test_the_community_page_shows_its_ten_indicators_over_the_years(client, world):
    from tests.factories import make_facility, make_stat

    make_facility(kind="station", community=world.home, area="320", opened=2011)
    make_stat(world.home, 2015)
    client.force_login(world.staff)
    response = client.get(reverse("community-detail", args=[world.home.code]))
    over = response.context["over_years"]
    assert over["years"] == list(range(2010, 2016)) and over["total"] == 10
    station = next(r for r in over["rows"] if r["code"] == "community_station")
    assert [c["met"] for c in station["cells"]] == [False] + [True] * 5
    residents = next(r for r in over["rows"] if r["code"] == "resident_participation")
    assert [c["missing"] for c in residents["cells"]] == [True] * 5 + [False]
    html = response.content.decode()
    assert 'data-testid="over-years"' in html and "历年达标情况（2010—2015年）" in html
