"""The admin's history revert restores only what the user may edit now, never a workflow state."""

import pytest
from django.urls import reverse

from accounts.models import AuditLog
from communities.models import Community, CommunityStat, StatStatus
from communities.services import stat_approve, stat_return, stat_save, stat_submit

from .conftest import STAFF_COMMUNITY

FIGURES = (
    "households",
    "residents",
    "party_members",
    "party_members_volunteering",
    "residents_volunteering",
)


def stat_post(values: dict, version: int, **changes) -> dict:
    data = {name: values[name] for name in FIGURES}
    data["community"] = STAFF_COMMUNITY
    data["year"] = values["year"]
    data["expected_version"] = version
    data.update(changes)
    return data


@pytest.fixture
def approved_then_returned(world, users):
    """A row staff submitted, the street approved, then returned; staff changed it since."""
    stat = CommunityStat.objects.get(community_id=STAFF_COMMUNITY)
    stat = stat_submit(stat=stat, user=users["staff"])
    stat = stat_approve(stat=stat, user=users["street"])
    approved = stat.history.filter(status=StatStatus.APPROVED).first()
    stat = stat_return(stat=stat, user=users["street"], reason="数据有误")
    stat = stat_save(stat=stat, user=users["staff"], data={"households": 1200})
    return stat, approved


def revert_url(model_admin: str, pk, history_id) -> str:
    return reverse(f"admin:{model_admin}_simple_history", args=[pk, history_id])


def test_staff_cannot_revert_to_the_approved_version(approved_then_returned, login):
    stat, approved = approved_then_returned
    before = CommunityStat.objects.values().get(pk=stat.pk)
    audits = AuditLog.objects.count()
    client = login("staff")
    url = revert_url("communities_communitystat", stat.pk, approved.history_id)
    values = CommunityStat.objects.values().get(pk=stat.pk)
    response = client.post(url, stat_post({**values, "households": 1000}, stat.version))
    assert response.status_code == 403
    assert CommunityStat.objects.values().get(pk=stat.pk) == before
    refused = next(
        r
        for r in AuditLog.objects.filter(action="permission_denied").order_by("-id")
        if r.detail.get("attempt") == "history_revert"
    )
    assert AuditLog.objects.count() > audits
    assert refused.username == "u_staff"
    assert refused.detail["model"] == "communities.communitystat"


def test_staff_revert_of_editable_figures_goes_through_the_write_path(world, users, login):
    stat = CommunityStat.objects.get(community_id=STAFF_COMMUNITY)
    first = stat.history.order_by("history_id").first()
    stat = stat_save(stat=stat, user=users["staff"], data={"households": 1500})
    client = login("staff")
    url = revert_url("communities_communitystat", stat.pk, first.history_id)
    values = CommunityStat.objects.values().get(pk=stat.pk)
    response = client.post(url, stat_post({**values, "households": 1000}, stat.version))
    assert response.status_code == 302
    stat.refresh_from_db()
    assert stat.households == 1000
    assert stat.status == StatStatus.DRAFT
    assert stat.version == 3
    assert stat.history.first().history_user.username == "u_staff"
    assert AuditLog.objects.filter(action="record_change", username="u_staff").exists()


def test_staff_cannot_undo_an_administrators_rename(world, users, login):
    from core.services import record_save

    community = Community.objects.get(pk=STAFF_COMMUNITY)
    old = community.history.order_by("history_id").first()
    community.name = "新名称社区"
    record_save(instance=community, user=users["admin"])
    client = login("staff")
    url = revert_url("communities_community", community.pk, old.history_id)
    response = client.post(
        url, {"name": old.name, "street": community.street_id, "digital_3d_completed_on": ""}
    )
    # Refused (403), or the form sent back with its errors: never saved.
    assert response.status_code in (200, 403)
    community.refresh_from_db()
    assert community.name == "新名称社区"


def test_an_official_cannot_revert_at_all(approved_then_returned, login):
    stat, approved = approved_then_returned
    client = login("street")
    url = revert_url("communities_communitystat", stat.pk, approved.history_id)
    values = CommunityStat.objects.values().get(pk=stat.pk)
    response = client.post(url, stat_post(values, stat.version))
    assert response.status_code == 403
    assert CommunityStat.objects.get(pk=stat.pk).status == StatStatus.RETURNED


def test_the_revert_page_starts_from_the_live_version(world, users, login):
    stat = CommunityStat.objects.get(community_id=STAFF_COMMUNITY)
    first = stat.history.order_by("history_id").first()
    stat = stat_save(stat=stat, user=users["staff"], data={"households": 1500})
    client = login("staff")
    response = client.get(revert_url("communities_communitystat", stat.pk, first.history_id))
    assert response.status_code == 200
    assert f'name="expected_version" value="{stat.version}"' in response.content.decode()
