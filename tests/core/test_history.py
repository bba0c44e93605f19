"""Record histories: who changed what and when, in Chinese, scoped, never with personal data."""

import pytest
from django.urls import reverse

from communities.models import StatStatus
from tests.entry_data import EntryWorld, valid_id
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

STAT = {
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


def history(client, user, model, pk):
    client.force_login(user)
    return client.get(reverse("record-history", args=[model, pk]))


def test_stat_history_lists_each_change_with_user_and_chinese_labels(client, world):
    client.force_login(world.staff)
    client.post(reverse("stat-create", args=[world.home.code]), STAT)
    stat = world.home.stats.get()
    client.post(reverse("stat-edit", args=[stat.pk]), {**STAT, "households": "950", "version": "1"})
    client.post(reverse("stat-submit", args=[stat.pk]), {"version": "2"})
    client.force_login(world.street_official)
    client.post(reverse("stat-return", args=[stat.pk]), {"reason": "请核实户数", "version": "3"})

    response = history(client, world.staff, "stat", stat.pk)
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.action for e in entries] == ["修改", "修改", "修改", "新增"]
    assert [e.user for e in entries] == ["street-e", "staff-e", "staff-e", "staff-e"]
    households = next(c for c in entries[2].changes if c.label == "户数")
    assert (households.old, households.new) == ("900", "950")
    returned = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert returned["审核状态"] == ("已上报", "已退回")
    assert returned["退回原因"] == ("（空）", "请核实户数")
    html = response.content.decode()
    assert "户数" in html and "street-e" in html
    # Bookkeeping columns are not shown as changes.
    assert "版本" not in {c.label for e in entries for c in e.changes}


def test_volunteer_history_never_shows_id_number_or_phone(client, world):
    client.force_login(world.staff)
    number = valid_id(9001)
    client.post(
        reverse("volunteer-create", args=[world.home.code]),
        {
            "name": "赵志愿",
            "gender": "male",
            "id_number": number,
            "phone": "13912345678",
            "registered_on": "2014-01-01",
            "service_categories": ["elderly", "health"],
        },
    )
    volunteer = Volunteer.objects.get()
    client.post(
        reverse("volunteer-edit", args=[volunteer.pk]),
        {
            "name": "赵志愿",
            "gender": "male",
            "id_number": "",
            "phone": "13900001111",
            "registered_on": "2014-01-01",
            "is_party_member": "on",
            "service_categories": ["elderly"],
            "version": "1",
        },
    )
    response = history(client, world.staff, "volunteer", volunteer.pk)
    html = response.content.decode()
    for secret in (number, "13912345678", "13900001111", number[-4:] + "</", "身份证号码<"):
        assert secret not in html
    changes = {c.label: (c.old, c.new) for c in response.context["entries"][0].changes}
    assert changes["是否党员"] == ("否", "是")
    assert changes["服务类别"] == ("为老、医疗卫生", "为老")


def test_history_is_scoped_like_the_record(client, world):
    client.force_login(world.staff)
    client.post(reverse("stat-create", args=[world.home.code]), STAT)
    stat = world.home.stats.get()
    assert history(client, world.sibling_staff, "stat", stat.pk).status_code == 404
    assert history(client, world.far_official, "stat", stat.pk).status_code == 404
    assert history(client, world.street_official, "stat", stat.pk).status_code == 200
    assert history(client, world.sibling_staff, "community", world.home.code).status_code == 404


def test_unknown_model_or_id_is_404(client, world):
    assert history(client, world.admin, "user", "1").status_code == 404
    assert history(client, world.admin, "stat", "abc").status_code == 404
    assert history(client, world.admin, "stat", "999999").status_code == 404


def test_record_pages_link_to_their_history(client, world):
    client.force_login(world.staff)
    client.post(reverse("stat-create", args=[world.home.code]), STAT)
    stat = world.home.stats.get()
    page = client.get(reverse("community-detail", args=[world.home.code])).content.decode()
    assert reverse("record-history", args=["stat", stat.pk]) in page
    assert reverse("record-history", args=["community", world.home.code]) in page
    edit = client.get(reverse("stat-edit", args=[stat.pk])).content.decode()
    assert reverse("record-history", args=["stat", stat.pk]) in edit


def test_history_query_count_is_flat(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    client.post(reverse("stat-create", args=[world.home.code]), STAT)
    stat = world.home.stats.get()

    def edit_times(n):
        for _ in range(n):
            stat.refresh_from_db()
            stat.households += 1
            stat._history_user = world.staff
            stat.save()

    edit_times(2)
    url = reverse("record-history", args=["stat", stat.pk])
    client.get(url)
    with django_assert_num_queries(10) as small:
        client.get(url)
    edit_times(15)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["entries"]) == 18
    assert stat.status == StatStatus.DRAFT
