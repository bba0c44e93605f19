"""Submitting, approving and returning yearly statistics from the portal; the approvals queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog
from communities.models import CommunityStat, StatStatus
from tests.entry_data import EntryWorld
from tests.factories import make_hierarchy, make_stat

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return EntryWorld()


def submitted(community, year=2015, *, when=None):
    stat = make_stat(community, year, status=StatStatus.SUBMITTED)
    stat.submitted_at = when or timezone.now()
    stat.save()
    return stat


def test_staff_submits_a_draft(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    response = client.post(reverse("stat-submit", args=[stat.pk]), {"version": "1"})
    assert response.status_code == 302
    stat.refresh_from_db()
    assert stat.status == StatStatus.SUBMITTED
    assert stat.submitted_at is not None


def test_submit_button_is_on_the_community_page_for_drafts_only(client, world):
    draft = make_stat(world.home, 2014)
    approved = make_stat(world.home, 2015, status=StatStatus.APPROVED)
    client.force_login(world.staff)
    html = client.get(reverse("community-detail", args=[world.home.code])).content.decode()
    assert reverse("stat-submit", args=[draft.pk]) in html
    assert reverse("stat-submit", args=[approved.pk]) not in html


def test_submit_is_get_proof(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.staff)
    assert client.get(reverse("stat-submit", args=[stat.pk])).status_code == 405
    stat.refresh_from_db()
    assert stat.status == StatStatus.DRAFT


def test_official_cannot_submit_for_the_community(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.street_official)
    assert client.post(reverse("stat-submit", args=[stat.pk])).status_code == 403
    stat.refresh_from_db()
    assert stat.status == StatStatus.DRAFT


def test_street_official_approves_and_the_row_locks(client, world):
    stat = submitted(world.home)
    client.force_login(world.street_official)
    response = client.post(
        reverse("stat-approve", args=[stat.pk]), {"version": "1", "next": reverse("approvals")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals")
    stat.refresh_from_db()
    assert stat.status == StatStatus.APPROVED
    assert stat.reviewed_by == world.street_official
    assert AuditLog.objects.filter(action="approval", scope_code=world.home.code).exists()
    client.force_login(world.staff)
    assert client.get(reverse("stat-edit", args=[stat.pk])).status_code == 403


def test_staff_cannot_approve(client, world):
    stat = submitted(world.home)
    client.force_login(world.staff)
    response = client.post(reverse("stat-approve", args=[stat.pk]), {"version": "1"})
    assert response.status_code == 403
    assert "只有上级民政干部和省级管理员可以审核" in response.content.decode()
    stat.refresh_from_db()
    assert stat.status == StatStatus.SUBMITTED


def test_official_outside_the_scope_gets_404(client, world):
    stat = submitted(world.home)
    client.force_login(world.far_official)
    assert client.post(reverse("stat-approve", args=[stat.pk])).status_code == 404
    assert client.get(reverse("stat-return", args=[stat.pk])).status_code == 404
    stat.refresh_from_db()
    assert stat.status == StatStatus.SUBMITTED


def test_approving_a_draft_is_refused_with_a_message(client, world):
    stat = make_stat(world.home, 2015)
    client.force_login(world.street_official)
    response = client.post(reverse("stat-approve", args=[stat.pk]), {"version": "1"}, follow=True)
    assert "不能执行该操作" in response.content.decode()
    stat.refresh_from_db()
    assert stat.status == StatStatus.DRAFT


def test_stale_approval_is_refused(client, world):
    stat = submitted(world.home)
    client.force_login(world.street_official)
    response = client.post(reverse("stat-approve", args=[stat.pk]), {"version": "0"}, follow=True)
    assert "该记录已被他人修改" in response.content.decode()
    stat.refresh_from_db()
    assert stat.status == StatStatus.SUBMITTED


def test_return_needs_a_reason(client, world):
    stat = submitted(world.home)
    client.force_login(world.street_official)
    url = reverse("stat-return", args=[stat.pk])
    response = client.post(url, {"reason": "  ", "version": "1"})
    assert response.status_code == 200
    assert "退回时必须填写退回原因。" in response.content.decode()
    stat.refresh_from_db()
    assert stat.status == StatStatus.SUBMITTED


def test_returned_row_goes_back_to_staff_with_its_reason(client, world):
    stat = submitted(world.home)
    client.force_login(world.prefecture_official)
    response = client.post(
        reverse("stat-return", args=[stat.pk]),
        {"reason": "党员人数与组织部数据不符", "version": "1"},
    )
    assert response.status_code == 302
    stat.refresh_from_db()
    assert (stat.status, stat.return_reason) == (StatStatus.RETURNED, "党员人数与组织部数据不符")
    client.force_login(world.staff)
    detail = client.get(reverse("stat-detail", args=[stat.pk])).content.decode()
    assert "党员人数与组织部数据不符" in detail
    # Staff may correct and submit it again.
    edit = client.post(
        reverse("stat-edit", args=[stat.pk]),
        {
            "households": "1000",
            "residents": "2800",
            "party_members": "90",
            "party_members_volunteering": "80",
            "residents_volunteering": "840",
            "version": str(stat.version),
        },
    )
    assert edit.status_code == 302
    stat.refresh_from_db()
    client.post(reverse("stat-submit", args=[stat.pk]), {"version": str(stat.version)})
    stat.refresh_from_db()
    assert (stat.party_members, stat.status) == (90, StatStatus.SUBMITTED)


def test_approved_row_can_be_returned_by_an_official(client, world):
    stat = make_stat(world.home, 2015, status=StatStatus.APPROVED)
    client.force_login(world.street_official)
    html = client.get(reverse("stat-detail", args=[stat.pk])).content.decode()
    assert 'data-testid="return-form"' in html
    client.post(reverse("stat-return", args=[stat.pk]), {"reason": "需更正", "version": "1"})
    stat.refresh_from_db()
    assert stat.status == StatStatus.RETURNED


# --- the approvals queue ------------------------------------------------------------------


def queue_rows(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("approvals"), params)
    assert response.status_code == 200
    return response, list(response.context["stats"])


def test_queue_lists_what_waits_under_the_officials_scope_oldest_first(client, world):
    now = timezone.now()
    newer = submitted(world.home, 2015, when=now)
    older = submitted(world.sibling, 2015, when=now - datetime.timedelta(days=2))
    other_street = submitted(
        world.other_street_community, 2015, when=now - datetime.timedelta(days=1)
    )
    far = submitted(world.far, 2015)
    make_stat(world.home, 2014)  # a draft never waits
    make_stat(world.sibling, 2014, status=StatStatus.APPROVED)

    _, street_rows = queue_rows(client, world.street_official)
    assert street_rows == [older, newer]
    _, prefecture_rows = queue_rows(client, world.prefecture_official)
    assert prefecture_rows == [older, other_street, newer]
    _, far_rows = queue_rows(client, world.far_official)
    assert far_rows == [far]
    _, admin_rows = queue_rows(client, world.admin)
    assert set(admin_rows) == {older, other_street, newer, far}


def test_queue_shows_links_and_actions(client, world):
    stat = submitted(world.home)
    response, _ = queue_rows(client, world.street_official)
    html = response.content.decode()
    assert reverse("community-detail", args=[world.home.code]) in html
    assert reverse("stat-detail", args=[stat.pk]) in html
    assert reverse("stat-approve", args=[stat.pk]) in html
    assert reverse("stat-return", args=[stat.pk]) in html


def test_empty_queue_says_so(client, world):
    response, rows = queue_rows(client, world.street_official)
    assert rows == []
    assert "没有待审核的统计" in response.content.decode()


def test_staff_have_no_approvals_page(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("approvals"))
    assert response.status_code == 403
    assert "仅供民政干部和省级管理员" in response.content.decode()


def test_approvals_link_in_navigation_per_role(client, world):
    client.force_login(world.street_official)
    page = client.get(reverse("approvals")).content.decode()
    assert 'data-testid="nav-approvals"' in page
    client.force_login(world.staff)
    page = client.get(reverse("community-detail", args=[world.home.code])).content.decode()
    assert 'data-testid="nav-approvals"' not in page


def test_queue_is_paginated_with_a_flat_query_count(client, world, django_assert_num_queries):
    communities = make_hierarchy(communities=30)
    for community in communities[:5]:
        submitted(community)
    client.force_login(world.prefecture_official)
    client.get(reverse("approvals"))
    with django_assert_num_queries(9) as small:  # 9: with the 县区 menu
        client.get(reverse("approvals"))
    for community in communities[5:]:
        submitted(community)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("approvals"))
    assert len(response.context["stats"]) == 25
    assert response.context["page_obj"].paginator.count == 30
    second = client.get(reverse("approvals"), {"page": 2})
    assert len(second.context["stats"]) == 5
    assert CommunityStat.objects.awaiting_approval().count() == 30


def test_queue_can_be_narrowed_to_one_year(client, world):
    this_year = submitted(world.home, 2015)
    submitted(world.home, 2014)
    _, rows = queue_rows(client, world.street_official, year="2015")
    assert rows == [this_year]
    _, rows = queue_rows(client, world.street_official, year="junk")
    assert len(rows) == 2


def test_bulk_approval_approves_ticked_rows_at_their_versions(client, world):
    first = submitted(world.home, 2015)
    second = submitted(world.sibling, 2015)
    stale = submitted(world.home, 2014)
    untouched = submitted(world.sibling, 2014)
    far = submitted(world.far, 2015)
    client.force_login(world.street_official)
    data = {
        "stat": [str(first.pk), str(second.pk), str(stale.pk), str(far.pk)],
        f"version-{first.pk}": "1",
        f"version-{second.pk}": "1",
        f"version-{stale.pk}": "0",
        f"version-{far.pk}": "1",
    }
    response = client.post(reverse("approvals-bulk"), data, follow=True)
    html = response.content.decode()
    assert "已审核通过 2 条年度统计" in html
    assert f"{world.home.name}2014年" in html
    statuses = {
        s.pk: s.status
        for s in CommunityStat.objects.filter(
            pk__in=[first.pk, second.pk, stale.pk, untouched.pk, far.pk]
        )
    }
    assert statuses == {
        first.pk: StatStatus.APPROVED,
        second.pk: StatStatus.APPROVED,
        stale.pk: StatStatus.SUBMITTED,
        untouched.pk: StatStatus.SUBMITTED,
        far.pk: StatStatus.SUBMITTED,  # outside the street: silently not found
    }


def test_bulk_approval_is_refused_to_staff(client, world):
    stat = submitted(world.home)
    client.force_login(world.staff)
    response = client.post(reverse("approvals-bulk"), {"stat": [str(stat.pk)]})
    assert response.status_code == 403
    stat.refresh_from_db()
    assert stat.status == StatStatus.SUBMITTED


def test_bulk_approval_with_nothing_ticked_says_so(client, world):
    client.force_login(world.street_official)
    response = client.post(reverse("approvals-bulk"), {}, follow=True)
    assert "请先勾选要审核通过的统计" in response.content.decode()


def test_a_second_official_approving_the_same_row_is_told_it_is_already_approved(client, world):
    stat = submitted(world.home)
    client.force_login(world.street_official)
    client.post(reverse("stat-approve", args=[stat.pk]), {"version": "1"})
    client.force_login(world.prefecture_official)
    response = client.post(reverse("stat-approve", args=[stat.pk]), {"version": "1"}, follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "已由他人审核通过" in shown and "已被他人修改" not in shown
    stat.refresh_from_db()
    assert (stat.status, stat.reviewed_by, stat.version) == (
        StatStatus.APPROVED,
        world.street_official,
        2,
    )


def test_an_approval_in_the_audit_log_carries_the_client_address(world):
    from django.test import Client

    from communities.services import APPROVAL

    stat = submitted(world.home)
    client = Client(REMOTE_ADDR="198.51.100.23")
    client.force_login(world.street_official)
    client.post(reverse("stat-approve", args=[stat.pk]), {"version": "1"})
    row = AuditLog.objects.get(action=APPROVAL)
    assert (row.user, row.ip_address) == (world.street_official, "198.51.100.23")


def test_a_bulk_approval_in_the_audit_log_carries_the_client_address(world):
    from django.test import Client

    from communities.services import APPROVAL

    stat = submitted(world.home)
    client = Client(REMOTE_ADDR="198.51.100.24")
    client.force_login(world.street_official)
    client.post(reverse("approvals-bulk"), {"stat": [str(stat.pk)], f"version-{stat.pk}": "1"})
    assert AuditLog.objects.get(action=APPROVAL).ip_address == "198.51.100.24"


def test_a_step_outside_a_request_has_no_address(world):
    from communities.services import APPROVAL, stat_approve

    stat = submitted(world.home)
    stat_approve(stat=stat, user=world.street_official, expected_version=1)
    assert AuditLog.objects.get(action=APPROVAL).ip_address is None


# -- the queue's filters: region menus that fit the user's level, and the community's name --


def queue_of(client, **params):
    response = client.get(reverse("approvals"), params)
    assert response.status_code == 200
    return response


def listed(response) -> set[int]:
    return {stat.pk for stat in response.context["stats"]}


def menus(response) -> dict[str, list[str]]:
    return {f["name"]: [code for code, _ in f["options"]] for f in response.context["area_filters"]}


def test_the_province_filters_by_prefecture_then_county_then_street(client, world):
    home, sibling = submitted(world.home), submitted(world.sibling)
    other = submitted(world.other_street_community)
    far = submitted(world.far)
    client.force_login(world.admin)
    everything = queue_of(client)
    assert listed(everything) == {home.pk, sibling.pk, other.pk, far.pk}
    assert menus(everything) == {"prefecture": ["6201", "6202"]}
    by_prefecture = queue_of(client, prefecture="6201")
    assert listed(by_prefecture) == {home.pk, sibling.pk, other.pk}
    assert menus(by_prefecture) == {"prefecture": ["6201", "6202"], "county": ["620102"]}
    by_county = queue_of(client, prefecture="6201", county="620102")
    assert menus(by_county)["street"] == ["620102016", "620102017"]
    by_street = queue_of(client, prefecture="6201", county="620102", street="620102017")
    assert listed(by_street) == {other.pk}
    assert by_street.context["page_obj"].paginator.count == 1
    # The province reads the 市州 with the county and street (东关街道 exists in several).
    html = by_street.content.decode()
    assert "所属市州" in html and "市6201 · 县620102 · 街道620102017" in html


def test_a_county_not_in_the_chosen_prefecture_is_ignored(client, world):
    home, far = submitted(world.home), submitted(world.far)
    client.force_login(world.admin)
    response = queue_of(client, prefecture="6202", county="620102")
    assert listed(response) == {far.pk}
    assert home.pk not in listed(response)


def test_the_name_filter_keeps_matching_communities(client, world):
    world.sibling.name = "东岗西路社区"
    world.sibling.save()
    home, sibling = submitted(world.home), submitted(world.sibling)
    client.force_login(world.admin)
    assert listed(queue_of(client, q="东岗")) == {sibling.pk}
    assert home.pk not in listed(queue_of(client, q="东岗"))
    none = queue_of(client, q="不存在的社区")
    assert listed(none) == set()
    assert "没有符合筛选条件的待审核统计" in none.content.decode()


def test_officials_get_the_menus_below_their_level_and_nothing_outside(client, world):
    submitted(world.home)
    far = submitted(world.far)
    client.force_login(world.prefecture_official)
    response = queue_of(client)
    assert menus(response) == {"county": ["620102"]}
    # A code outside the official's area is not offered and is ignored, never obeyed.
    assert far.pk not in listed(queue_of(client, county="620201", prefecture="6202"))
    client.force_login(world.street_official)
    assert menus(queue_of(client)) == {}


def test_the_page_links_keep_the_filters(client, world):
    for community in make_hierarchy(street="620102018", communities=27):
        submitted(community)
    client.force_login(world.admin)
    html = queue_of(client, prefecture="6201", q="社区").content.decode()
    assert "page=2" in html and "prefecture=6201" in html and "q=" in html
