"""Data-entry forms: validation shown inline in Chinese, nothing saved on an error, stale
versions refused, approved rows locked, and writes outside the user's scope refused."""

import datetime

import pytest
from django.urls import reverse

from communities.models import CommunityStat, SocialOrganization, StatStatus
from core.validators import id_number_sex
from facilities.models import Facility
from tests.entry_data import EntryWorld, fill_community, valid_id
from tests.factories import make_stat
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

pytestmark = pytest.mark.django_db

GOOD_STAT = {
    "year": "2015",
    "households": "900",
    "residents": "2500",
    "party_members": "120",
    "party_members_volunteering": "100",
    "residents_volunteering": "800",
}


@pytest.fixture
def world():
    return EntryWorld()


def html_of(response) -> str:
    return response.content.decode()


def field_errors(response, field: str) -> list[str]:
    """Return the inline error texts shown under ``field``."""
    html = html_of(response)
    marker = f'data-error-for="{field}">'
    return [part.split("</div>", 1)[0] for part in html.split(marker)[1:]]


# --- yearly statistics ----------------------------------------------------------------


def test_staff_enters_a_stats_row(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("stat-create", args=[world.home.code]), GOOD_STAT)
    stat = CommunityStat.objects.get(community=world.home, year=2015)
    assert response.status_code == 302
    assert response["Location"] == reverse("stat-detail", args=[stat.pk])
    assert (stat.households, stat.status, stat.version) == (900, StatStatus.DRAFT, 1)
    assert stat.history.first().history_user == world.staff
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert shown == [f"已新增社区年度统计“{world.home.name} 2015年”。"]


def test_more_party_volunteers_than_party_members_is_shown_next_to_the_field(client, world):
    client.force_login(world.staff)
    data = {**GOOD_STAT, "party_members_volunteering": "130"}
    response = client.post(reverse("stat-create", args=[world.home.code]), data)
    assert response.status_code == 200
    assert field_errors(response, "party_members_volunteering") == [
        "参与志愿活动的党员人数不能超过党员人数。"
    ]
    assert "数据尚未保存" in html_of(response)
    # The user's input stays on the form.
    assert 'value="130"' in html_of(response)
    assert not CommunityStat.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("households", "-1", "不能小于 0"),
        ("residents", "", "该字段是必填项"),
        ("residents_volunteering", "2600", "参与志愿活动的居民人数不能超过常住居民人数。"),
        ("year", "1999", "不能小于 2000"),
    ],
)
def test_bad_figures_are_refused_in_chinese(client, world, field, value, message):
    client.force_login(world.staff)
    data = {**GOOD_STAT, field: value}
    response = client.post(reverse("stat-create", args=[world.home.code]), data)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field))
    assert not CommunityStat.objects.exists()


def test_second_row_for_the_same_year_is_refused(client, world):
    make_stat(world.home, 2015)
    client.force_login(world.staff)
    response = client.post(reverse("stat-create", args=[world.home.code]), GOOD_STAT)
    assert field_errors(response, "year") == ["该社区该年度的统计数据已存在。"]
    assert CommunityStat.objects.count() == 1


def test_edit_saves_and_bumps_the_version(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    data = {**GOOD_STAT, "households": "950", "version": str(stat.version)}
    response = client.post(reverse("stat-edit", args=[stat.pk]), data)
    assert response.status_code == 302
    stat.refresh_from_db()
    assert (stat.households, stat.version) == (950, 2)


def test_stale_edit_is_refused_and_keeps_the_users_input(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    page = html_of(client.get(reverse("stat-edit", args=[stat.pk])))
    assert f'name="version" value="{stat.version}"' in page
    # Someone else saves first.
    stat.households = 990
    stat.version += 1
    stat.save()
    data = {**GOOD_STAT, "households": "950", "version": "1"}
    response = client.post(reverse("stat-edit", args=[stat.pk]), data)
    assert response.status_code == 200
    assert "该记录已被他人修改" in html_of(response)
    assert 'value="950"' in html_of(response)
    stat.refresh_from_db()
    assert (stat.households, stat.version) == (990, 2)


@pytest.mark.parametrize("status", [StatStatus.SUBMITTED, StatStatus.APPROVED])
def test_locked_row_cannot_be_edited_by_staff(client, world, status):
    stat = make_stat(world.home, 2015, status=status)
    client.force_login(world.staff)
    url = reverse("stat-edit", args=[stat.pk])
    page = client.get(url)
    assert page.status_code == 403
    assert "不能再修改" in html_of(page)
    response = client.post(url, {**GOOD_STAT, "households": "1", "version": "1"})
    assert response.status_code == 403
    stat.refresh_from_db()
    assert stat.households == 1000


def test_admin_may_correct_an_approved_row(client, world):
    stat = make_stat(world.home, 2015, status=StatStatus.APPROVED)
    client.force_login(world.admin)
    data = {**GOOD_STAT, "households": "999", "version": "1"}
    assert client.post(reverse("stat-edit", args=[stat.pk]), data).status_code == 302
    stat.refresh_from_db()
    assert stat.households == 999


def test_official_may_not_enter_data(client, world):
    client.force_login(world.street_official)
    url = reverse("stat-create", args=[world.home.code])
    assert client.get(url).status_code == 403
    assert client.post(url, GOOD_STAT).status_code == 403
    assert not CommunityStat.objects.exists()


def test_staff_of_another_community_gets_404_for_every_page_and_post(client, world):
    records = fill_community(world.home)
    client.force_login(world.sibling_staff)
    stat = records["stats"][0]
    urls = [
        reverse("stat-create", args=[world.home.code]),
        reverse("stat-detail", args=[stat.pk]),
        reverse("stat-edit", args=[stat.pk]),
        reverse("stat-delete", args=[stat.pk]),
        reverse("stat-submit", args=[stat.pk]),
        reverse("facility-create", args=[world.home.code]),
        reverse("facility-edit", args=[records["station"].pk]),
        reverse("facility-delete", args=[records["station"].pk]),
        reverse("volunteer-organization-edit", args=[records["org"].pk]),
        reverse("volunteer-edit", args=[records["volunteers"][0].pk]),
        reverse("volunteer-delete", args=[records["volunteers"][0].pk]),
        reverse("social-organization-edit", args=[records["social"].pk]),
        reverse("worker-create", args=[world.home.code]),
        reverse("worker-edit", args=[records["worker"].pk]),
        reverse("worker-delete", args=[records["worker"].pk]),
    ]
    for url in urls:
        assert client.post(url, {**GOOD_STAT, "version": "1"}).status_code == 404, url
        if not url.endswith("/submit/"):
            assert client.get(url).status_code == 404, url
    assert Worker.objects.count() == 1
    assert CommunityStat.objects.filter(community=world.home).count() == 2


def test_delete_asks_first_then_deletes(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    url = reverse("stat-delete", args=[stat.pk])
    confirm = client.get(url)
    assert "确认删除" in html_of(confirm)
    assert CommunityStat.objects.exists()
    response = client.post(url, {"version": "1"})
    assert response.status_code == 302
    assert not CommunityStat.objects.exists()


def test_stale_delete_is_refused(client, world):
    org = VolunteerOrganization.objects.create(
        community=world.home, name="老队", registered_on=datetime.date(2012, 1, 1)
    )
    client.force_login(world.staff)
    org.version = 2
    org.save()
    response = client.post(
        reverse("volunteer-organization-delete", args=[org.pk]), {"version": "1"}
    )
    assert response.status_code == 409
    assert "该记录已被他人修改" in html_of(response)
    assert VolunteerOrganization.objects.filter(pk=org.pk).exists()


# --- facilities -----------------------------------------------------------------------


def test_staff_adds_a_station_with_iso_dates(client, world):
    client.force_login(world.staff)
    data = {
        "name": "幸福里社区服务站",
        "kind": "station",
        "floor_area": "312.5",
        "opened_on": "2013-09-05",
        "closed_on": "",
        "construction_mode": "new_build",
        "address": "幸福路1号",
        "services": ["employment", "social_assistance"],
    }
    response = client.post(reverse("facility-create", args=[world.home.code]), data)
    assert response.status_code == 302
    facility = Facility.objects.get()
    assert facility.code == world.home.code
    assert facility.opened_on == datetime.date(2013, 9, 5)
    assert facility.services == ["employment", "social_assistance"]


def test_facility_date_field_is_a_date_input(client, world):
    client.force_login(world.staff)
    html = html_of(client.get(reverse("facility-create", args=[world.home.code])))
    assert 'type="date" name="opened_on"' in html


def test_facility_closed_before_opened_is_refused(client, world):
    client.force_login(world.staff)
    data = {
        "name": "站",
        "kind": "station",
        "floor_area": "300",
        "opened_on": "2013-09-05",
        "closed_on": "2012-01-01",
        "construction_mode": "new_build",
    }
    response = client.post(reverse("facility-create", args=[world.home.code]), data)
    assert field_errors(response, "closed_on") == ["停用日期不能早于投入使用日期。"]
    assert not Facility.objects.exists()


def test_facility_area_out_of_range_is_refused(client, world):
    client.force_login(world.staff)
    data = {"name": "站", "kind": "station", "floor_area": "0", "construction_mode": "new_build"}
    response = client.post(reverse("facility-create", args=[world.home.code]), data)
    assert field_errors(response, "floor_area") == ["建筑面积必须大于0平方米。"]
    assert not Facility.objects.exists()


def test_street_staff_adds_the_street_centre(client, world):
    client.force_login(world.street_staff)
    data = {
        "name": "街道社区服务中心",
        "kind": "centre",
        "floor_area": "850",
        "opened_on": "2012-06-01",
        "construction_mode": "new_build",
    }
    response = client.post(reverse("centre-create", args=["620102016"]), data)
    assert response.status_code == 302
    centre = Facility.objects.get()
    assert (centre.kind, centre.street_id, centre.community_id) == ("centre", "620102016", None)


def test_community_staff_cannot_add_a_street_centre(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("centre-create", args=["620102016"])).status_code == 404


# --- volunteers -----------------------------------------------------------------------


def volunteer_data(**extra):
    data = {
        "name": "李志愿",
        "gender": "male",
        "id_number": valid_id(7001),
        "phone": "13812345678",
        "organization": "",
        "registered_on": "2014-03-01",
        "left_on": "",
        "service_categories": ["elderly"],
    }
    data.update(extra)
    if "gender" not in extra and data["id_number"]:  # the gender its 17th digit says
        data["gender"] = id_number_sex(data["id_number"])
    return data


def test_volunteer_is_registered_and_shown_masked_afterwards(client, world):
    client.force_login(world.staff)
    data = volunteer_data()
    response = client.post(reverse("volunteer-create", args=[world.home.code]), data)
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.id_number == data["id_number"]
    page = html_of(client.get(reverse("community-detail", args=[world.home.code])))
    edit = html_of(client.get(reverse("volunteer-edit", args=[volunteer.pk])))
    for html in (page, edit):
        assert data["id_number"] not in html
        assert "13812345678" not in html
    assert volunteer.id_number_masked in edit


def test_volunteer_edit_keeps_the_id_number_when_left_empty(client, world):
    client.force_login(world.staff)
    client.post(reverse("volunteer-create", args=[world.home.code]), volunteer_data())
    volunteer = Volunteer.objects.get()
    data = volunteer_data(id_number="", phone="", name="李志愿（改）", version="1")
    response = client.post(reverse("volunteer-edit", args=[volunteer.pk]), data)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.name == "李志愿（改）"
    assert volunteer.id_number == valid_id(7001)
    assert volunteer.phone == "13812345678"


def test_bad_id_number_is_refused_inline(client, world):
    client.force_login(world.staff)
    bad = valid_id(7001)[:-1] + ("0" if valid_id(7001)[-1] != "0" else "1")
    response = client.post(
        reverse("volunteer-create", args=[world.home.code]), volunteer_data(id_number=bad)
    )
    assert field_errors(response, "id_number") == ["身份证号码校验位错误（GB 11643）。"]
    assert not Volunteer.objects.exists()


def test_duplicate_id_number_in_the_province_is_refused(client, world):
    fill_community(world.far, volunteers=1)
    taken = Volunteer.objects.get().id_number
    client.force_login(world.staff)
    response = client.post(
        reverse("volunteer-create", args=[world.home.code]), volunteer_data(id_number=taken)
    )
    assert field_errors(response, "id_number") == ["该身份证号码不能在此登记；如该志愿者已迁入本社区，请在“志愿者转移”中提交转移申请，由街道审核后转入。"]
    assert Volunteer.objects.count() == 1


def test_organisation_choices_are_limited_to_the_community(client, world):
    mine = VolunteerOrganization.objects.create(
        community=world.home, name="本社区志愿队", registered_on=datetime.date(2012, 1, 1)
    )
    theirs = VolunteerOrganization.objects.create(
        community=world.sibling, name="邻社区志愿队", registered_on=datetime.date(2012, 1, 1)
    )
    client.force_login(world.staff)
    html = html_of(client.get(reverse("volunteer-create", args=[world.home.code])))
    assert "本社区志愿队" in html and "邻社区志愿队" not in html
    response = client.post(
        reverse("volunteer-create", args=[world.home.code]),
        volunteer_data(organization=str(theirs.pk)),
    )
    assert field_errors(response, "organization")
    assert not Volunteer.objects.exists()
    assert mine.pk


# --- social organisations and workers -------------------------------------------------


def test_duplicate_social_organisation_name_is_refused(client, world):
    SocialOrganization.objects.create(
        community=world.home, name="舞蹈队", registered_on=datetime.date(2012, 1, 1)
    )
    client.force_login(world.staff)
    data = {"name": "舞蹈队", "category": "culture_sports", "registered_on": "2013-01-01"}
    response = client.post(reverse("social-organization-create", args=[world.home.code]), data)
    assert field_errors(response, "name") == ["该社区已有同名的社会组织。"]
    assert SocialOrganization.objects.count() == 1


def test_worker_left_before_hired_is_refused(client, world):
    client.force_login(world.staff)
    data = {
        "name": "王主任",
        "gender": "male",
        "role": "director",
        "education": "college",
        "social_work_qualification": "none",
        "recruitment": "election",
        "hired_on": "2014-01-01",
        "left_on": "2013-01-01",
    }
    response = client.post(reverse("worker-create", args=[world.home.code]), data)
    assert field_errors(response, "left_on") == ["离职日期不能早于任职日期。"]
    assert not Worker.objects.exists()
    data["left_on"] = ""
    assert client.post(reverse("worker-create", args=[world.home.code]), data).status_code == 302
    assert Worker.objects.get().name == "王主任"


def test_street_staff_may_write_in_each_community_of_the_street(client, world):
    client.force_login(world.street_staff)
    data = {"name": "队", "category": "other", "registered_on": "2013-01-01"}
    for community in (world.home, world.sibling):
        url = reverse("social-organization-create", args=[community.code])
        assert client.post(url, data).status_code == 302
    url = reverse("social-organization-create", args=[world.other_street_community.code])
    assert client.post(url, data).status_code == 404
    assert SocialOrganization.objects.count() == 2


@pytest.mark.parametrize("version", ["abc", "", "99999999999999999999"])
def test_edit_without_a_valid_version_is_refused(client, world, version):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    data = {**GOOD_STAT, "households": "950", "version": version}
    response = client.post(reverse("stat-edit", args=[stat.pk]), data)
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in html_of(response)
    stat.refresh_from_db()
    assert (stat.households, stat.version) == (1000, 1)


def test_non_numeric_ids_in_urls_are_404(client, world):
    client.force_login(world.admin)
    assert client.get("/communities/not-a-code/").status_code == 404
    assert client.get("/communities/not-a-code/stats/new/").status_code == 404
    assert client.get("/streets/x/communities/").status_code == 404
    assert client.get("/history/volunteer/x/").status_code == 404


def test_staff_record_the_3d_digital_community_date(client, world):
    client.force_login(world.staff)
    url = reverse("community-edit", args=[world.home.code])
    assert "三维数字社区建成日期" in html_of(client.get(url))
    response = client.post(url, {"digital_3d_completed_on": "2015-06-30"})
    assert response.status_code == 302
    world.home.refresh_from_db()
    assert world.home.digital_3d_completed_on == datetime.date(2015, 6, 30)
    assert world.home.history.first().history_user == world.staff
    client.force_login(world.street_official)
    assert client.post(url, {"digital_3d_completed_on": ""}).status_code == 403
    client.force_login(world.sibling_staff)
    assert client.get(url).status_code == 404
    world.home.refresh_from_db()
    assert world.home.digital_3d_completed_on == datetime.date(2015, 6, 30)


def test_a_write_that_loses_a_race_to_the_database_gets_a_message(client, world, monkeypatch):
    from django.db import IntegrityError

    import communities.views

    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(communities.views, "stat_save", collide)
    client.force_login(world.staff)
    response = client.post(reverse("stat-create", args=[world.home.code]), GOOD_STAT)
    assert response.status_code == 200
    assert "与他人同时提交的记录冲突" in html_of(response)


def test_stats_form_shows_the_previous_year_for_reference(client, world):
    make_stat(world.home, 2013, households=1111)
    make_stat(world.home, 2014, households=1234)
    client.force_login(world.staff)
    create = client.get(reverse("stat-create", args=[world.home.code]), {"year": "2015"})
    assert create.context["reference"].year == 2014
    assert "参考：2014年" in html_of(create)
    row_2014 = CommunityStat.objects.get(year=2014)
    edit = client.get(reverse("stat-edit", args=[row_2014.pk]))
    assert edit.context["reference"].households == 1111


def funding_management(total=2, initial=0, **lines):
    data = {
        "funding-TOTAL_FORMS": str(total),
        "funding-INITIAL_FORMS": str(initial),
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "30",
    }
    data.update(lines)
    return data


STATION = {
    "name": "幸福里社区服务站",
    "kind": "station",
    "floor_area": "320",
    "opened_on": "2013-09-05",
    "construction_mode": "new_build",
}


def test_facility_is_saved_with_its_funding_lines(client, world):
    from facilities.models import FacilityFunding

    client.force_login(world.staff)
    data = {
        **STATION,
        **funding_management(
            **{
                "funding-0-source": "provincial",
                "funding-0-year": "2013",
                "funding-0-amount_wan_yuan": "40",
                "funding-1-source": "",
                "funding-1-year": "",
                "funding-1-amount_wan_yuan": "",
            }
        ),
    }
    response = client.post(reverse("facility-create", args=[world.home.code]), data)
    assert response.status_code == 302
    facility = Facility.objects.get()
    line = FacilityFunding.objects.get()
    assert (line.facility, line.source, line.amount_wan_yuan) == (facility, "provincial", 40)
    assert line.history.first().history_user == world.staff


def test_bad_funding_line_saves_neither_facility_nor_lines(client, world):
    from facilities.models import FacilityFunding

    client.force_login(world.staff)
    data = {
        **STATION,
        **funding_management(
            total=1,
            **{
                "funding-0-source": "provincial",
                "funding-0-year": "2013",
                "funding-0-amount_wan_yuan": "-5",
            },
        ),
    }
    response = client.post(reverse("facility-create", args=[world.home.code]), data)
    assert response.status_code == 200
    assert field_errors(response, "funding-0-amount_wan_yuan") == ["金额必须大于0。"]
    assert "数据尚未保存" in html_of(response)
    assert not Facility.objects.exists()
    assert not FacilityFunding.objects.exists()


def test_funding_line_can_be_removed_on_edit(client, world):
    from facilities.models import FacilityFunding

    records = fill_community(world.home)
    station = records["station"]
    line = FacilityFunding.objects.create(
        facility=station, source="local", year=2012, amount_wan_yuan=10
    )
    client.force_login(world.staff)
    page = html_of(client.get(reverse("facility-edit", args=[station.pk])))
    assert 'name="funding-0-id"' in page
    data = {
        **STATION,
        "name": station.name,
        "version": str(station.version),
        **funding_management(
            total=1,
            initial=1,
            **{
                "funding-0-id": str(line.pk),
                "funding-0-source": "local",
                "funding-0-year": "2012",
                "funding-0-amount_wan_yuan": "10",
                "funding-0-DELETE": "on",
            },
        ),
    }
    response = client.post(reverse("facility-edit", args=[station.pk]), data)
    assert response.status_code == 302
    assert not FacilityFunding.objects.exists()


def lines_data(prefix, rows, *, initial=0):
    """Return the POST data of an inline table of ``rows`` (dicts of field → value)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


WORKER = {
    "name": "刘委员",
    "gender": "female",
    "role": "member",
    "education": "bachelor",
    "social_work_qualification": "none",
    "recruitment": "election",
    "hired_on": "2012-01-01",
}


def test_worker_is_saved_with_a_training(client, world):
    from workforce.models import Training

    client.force_login(world.staff)
    data = {
        **WORKER,
        **lines_data(
            "training",
            [
                {
                    "title": "社区治理培训",
                    "started_on": "2014-04-01",
                    "hours": "12",
                    "organizer": "市民政局",
                }
            ],
        ),
    }
    assert client.post(reverse("worker-create", args=[world.home.code]), data).status_code == 302
    training = Training.objects.get()
    assert (training.worker.name, training.hours, training.started_on.year) == ("刘委员", 12, 2014)


def test_bad_training_line_saves_nothing(client, world):
    from workforce.models import Training

    client.force_login(world.staff)
    data = {
        **WORKER,
        **lines_data("training", [{"title": "培训", "started_on": "2014-04-01", "hours": "0"}]),
    }
    response = client.post(reverse("worker-create", args=[world.home.code]), data)
    assert field_errors(response, "training-0-hours") == ["学时至少为0.5。"]
    assert not Worker.objects.exists() and not Training.objects.exists()


def test_volunteer_edit_shows_recent_service_and_keeps_older_records(client, world):
    from decimal import Decimal

    from volunteers.models import ServiceRecord

    records = fill_community(world.home, volunteers=1)
    volunteer = records["volunteers"][0]
    for day in range(1, 26):
        ServiceRecord.objects.create(
            volunteer=volunteer,
            served_on=datetime.date(2015, 1, day),
            hours=Decimal("2"),
            category="elderly",
            activity=f"第{day}次服务",
        )
    client.force_login(world.staff)
    form = client.get(reverse("volunteer-edit", args=[volunteer.pk])).context["form"]
    shown = [line.instance.activity for line in form.lines.initial_forms]
    assert len(shown) == 20 and shown[0] == "第25次服务" and "第5次服务" not in shown
    # Delete the newest, change the next one's hours, add one.
    rows = [
        {
            "id": str(line.instance.pk),
            "served_on": line.instance.served_on.isoformat(),
            "hours": "2",
            "category": "elderly",
            "activity": line.instance.activity,
        }
        for line in form.lines.initial_forms
    ]
    rows[0]["DELETE"] = "on"
    rows[1]["hours"] = "3.5"
    rows.append({"served_on": "2015-02-01", "hours": "1", "category": "health", "activity": "义诊"})
    data = {
        "name": volunteer.name,
        "gender": volunteer.gender,
        "id_number": "",
        "phone": "",
        "registered_on": "2013-01-01",
        "version": str(volunteer.version),
        **lines_data("service", rows, initial=20),
    }
    response = client.post(reverse("volunteer-edit", args=[volunteer.pk]), data)
    assert response.status_code == 302
    activities = set(ServiceRecord.objects.values_list("activity", flat=True))
    assert "第25次服务" not in activities and {"第1次服务", "义诊"} <= activities
    assert ServiceRecord.objects.count() == 25
    assert ServiceRecord.objects.get(activity="第24次服务").hours == Decimal("3.5")


def test_asking_to_enter_an_existing_year_opens_that_row(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    response = client.get(reverse("stat-create", args=[world.home.code]), {"year": "2015"})
    assert response.status_code == 302
    assert response["Location"] == reverse("stat-detail", args=[stat.pk])
    client.force_login(world.sibling_staff)
    url = reverse("stat-create", args=[world.home.code])
    assert client.get(url, {"year": "2015"}).status_code == 404
