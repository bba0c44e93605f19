"""Who may write what through the admin: officials read, staff write under their code."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AuditLog, User
from communities.models import CommunityStat, SocialOrganization
from facilities.models import Facility
from targets.models import Plan
from volunteers.models import VolunteerOrganization
from workforce.models import Training, Worker

from .conftest import OUTSIDE_STREET, STAFF_COMMUNITY

OUTSIDE_COMMUNITY = f"{OUTSIDE_STREET}001"


def worker_post(worker, **changes):
    data = {
        "community": worker.community_id,
        "name": worker.name,
        "gender": worker.gender,
        "role": worker.role,
        "education": worker.education,
        "social_work_qualification": worker.social_work_qualification,
        "recruitment": worker.recruitment,
        "hired_on": worker.hired_on.isoformat(),
        "left_on": "",
        "expected_version": worker.version,
        "trainings-TOTAL_FORMS": "0",
        "trainings-INITIAL_FORMS": "0",
        "trainings-MIN_NUM_FORMS": "0",
        "trainings-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_changes_a_worker_of_their_community_and_the_version_moves(world, login):
    worker = Worker.objects.get(community_id=STAFF_COMMUNITY)
    client = login("staff")
    url = reverse("admin:workforce_worker_change", args=[worker.pk])
    response = client.post(url, worker_post(worker, education="postgraduate"))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.education == "postgraduate"
    assert worker.version == 2
    assert worker.history.first().history_user.username == "u_staff"


def test_a_save_based_on_a_stale_version_is_refused(world, login):
    worker = Worker.objects.get(community_id=STAFF_COMMUNITY)
    stale = worker_post(worker, education="postgraduate")
    Worker.objects.filter(pk=worker.pk).update(version=5, education="college")
    client = login("staff")
    response = client.post(reverse("admin:workforce_worker_change", args=[worker.pk]), stale)
    assert response.status_code == 200
    assert "该记录已被他人修改" in response.content.decode()
    worker.refresh_from_db()
    assert worker.education == "college"


def test_staff_cannot_move_a_record_into_another_community(world, login):
    worker = Worker.objects.get(community_id=STAFF_COMMUNITY)
    client = login("staff")
    url = reverse("admin:workforce_worker_change", args=[worker.pk])
    response = client.post(url, worker_post(worker, community=OUTSIDE_COMMUNITY))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["community"]
    worker.refresh_from_db()
    assert worker.community_id == STAFF_COMMUNITY


def test_staff_cannot_add_a_record_to_a_community_outside(world, login):
    client = login("staff")
    response = client.post(
        reverse("admin:volunteers_volunteerorganization_add"),
        {"community": OUTSIDE_COMMUNITY, "name": "越界服务队", "registered_on": "2015-01-01"},
    )
    assert response.status_code == 200
    assert "community" in response.context["adminform"].form.errors
    assert not VolunteerOrganization.objects.filter(name="越界服务队").exists()


def test_staff_adds_a_record_in_their_community(world, login):
    client = login("staff")
    response = client.post(
        reverse("admin:volunteers_volunteerorganization_add"),
        {"community": STAFF_COMMUNITY, "name": "新服务队", "registered_on": "2015-01-01"},
    )
    assert response.status_code == 302
    assert VolunteerOrganization.objects.get(name="新服务队").community_id == STAFF_COMMUNITY


def test_post_to_a_row_outside_the_scope_is_404_and_changes_nothing(world, login):
    worker = Worker.objects.get(community_id=OUTSIDE_COMMUNITY)
    client = login("staff")
    url = reverse("admin:workforce_worker_change", args=[worker.pk])
    assert client.post(url, worker_post(worker, education="postgraduate")).status_code == 404
    delete_url = reverse("admin:workforce_worker_delete", args=[worker.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 404
    worker.refresh_from_db()
    assert worker.education == "bachelor"


def test_bulk_delete_of_rows_outside_the_scope_touches_nothing(world, login):
    outside = SocialOrganization.objects.get(community_id=OUTSIDE_COMMUNITY)
    client = login("staff")
    client.post(
        reverse("admin:communities_socialorganization_changelist"),
        {"action": "delete_selected", "_selected_action": [outside.pk], "post": "yes"},
    )
    assert SocialOrganization.objects.filter(pk=outside.pk).exists()


def test_saving_into_a_parent_outside_the_scope_is_403(world, users):
    """The last line behind the scoped choices: save_model itself refuses."""
    request = RequestFactory().post("/")
    request.user = users["staff"]
    facility = Facility.objects.get(community_id=STAFF_COMMUNITY)
    facility.community_id = OUTSIDE_COMMUNITY
    with pytest.raises(PermissionDenied):
        site._registry[Facility].save_model(request, facility, form=None, change=True)
    assert Facility.objects.get(pk=facility.pk).community_id == STAFF_COMMUNITY


@pytest.mark.parametrize("role", ["prefecture", "street"])
def test_officials_read_but_never_write(world, login, role):
    worker = Worker.objects.get(community_id=STAFF_COMMUNITY)
    client = login(role)
    change_url = reverse("admin:workforce_worker_change", args=[worker.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, worker_post(worker, education="postgraduate")).status_code == 403
    assert client.get(reverse("admin:workforce_worker_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:workforce_worker_delete", args=[worker.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    worker.refresh_from_db()
    assert worker.education == "bachelor"


def test_staff_cannot_change_the_hierarchy(world, login):
    client = login("staff")
    community_url = reverse("admin:communities_community_change", args=[STAFF_COMMUNITY])
    page = client.get(community_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(form.fields) == {"digital_3d_completed_on", "resident_groups"}
    assert client.get(reverse("admin:communities_community_add")).status_code == 403
    assert client.get(reverse("admin:streets_street_changelist")).status_code == 200


def test_admin_writes_anywhere(world, login):
    worker = Worker.objects.get(community_id=OUTSIDE_COMMUNITY)
    client = login("admin")
    url = reverse("admin:workforce_worker_change", args=[worker.pk])
    assert client.post(url, worker_post(worker, education="postgraduate")).status_code == 302
    worker.refresh_from_db()
    assert worker.education == "postgraduate"


# Statistics approval -------------------------------------------------------------------


def run_action(client, action, stats, **extra):
    return client.post(
        reverse("admin:communities_communitystat_changelist"),
        {"action": action, "_selected_action": [s.pk for s in stats], **extra},
    )


def test_staff_submits_and_the_row_is_then_locked_for_them(world, login):
    stat = CommunityStat.objects.get(community_id=STAFF_COMMUNITY)
    client = login("staff")
    run_action(client, "submit_selected", [stat])
    stat.refresh_from_db()
    assert stat.status == "submitted"
    page = client.get(reverse("admin:communities_communitystat_change", args=[stat.pk]))
    assert 'name="_save"' not in page.content.decode()
    response = client.post(
        reverse("admin:communities_communitystat_change", args=[stat.pk]),
        {
            "community": stat.community_id,
            "year": 2015,
            "households": 1,
            "residents": 2800,
            "party_members": 100,
            "party_members_volunteering": 80,
            "residents_volunteering": 840,
        },
    )
    assert response.status_code == 403
    stat.refresh_from_db()
    assert stat.households == 1000


def test_staff_has_no_approval_action(world, login):
    client = login("staff")
    response = client.get(reverse("admin:communities_communitystat_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_selected" in actions
    assert "approve_selected" not in actions and "return_selected" not in actions


def test_street_official_approves_and_returns_with_a_reason(world, login):
    stats = list(CommunityStat.objects.filter(community__street_id="620102016"))
    CommunityStat.objects.filter(pk__in=[s.pk for s in stats]).update(status="submitted")
    client = login("street")
    actions = dict(
        client.get(reverse("admin:communities_communitystat_changelist"))
        .context["action_form"]
        .fields["action"]
        .choices
    )
    assert "submit_selected" not in actions
    run_action(client, "approve_selected", stats[:1])
    run_action(client, "return_selected", stats[1:], reason="")
    assert CommunityStat.objects.get(pk=stats[1].pk).status == "submitted"
    run_action(client, "return_selected", stats[1:], reason="户数与人口不符")
    assert CommunityStat.objects.get(pk=stats[0].pk).status == "approved"
    returned = CommunityStat.objects.get(pk=stats[1].pk)
    assert returned.status == "returned" and returned.return_reason == "户数与人口不符"
    assert AuditLog.objects.filter(action="approval").count() == 2


def test_approval_never_reaches_a_row_outside_the_officials_code(world, login):
    outside = CommunityStat.objects.get(community_id=OUTSIDE_COMMUNITY)
    CommunityStat.objects.filter(pk=outside.pk).update(status="submitted")
    client = login("prefecture")
    run_action(client, "approve_selected", [outside])
    assert CommunityStat.objects.get(pk=outside.pk).status == "submitted"


def test_approving_a_draft_says_why_not(world, login):
    stat = CommunityStat.objects.get(community_id=STAFF_COMMUNITY)
    client = login("street")
    response = run_action(client, "approve_selected", [stat])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("不能执行该操作" in m for m in messages)
    assert CommunityStat.objects.get(pk=stat.pk).status == "draft"


# Audit log, users, plans ---------------------------------------------------------------


def test_audit_log_is_read_only_even_for_its_administrator(world, login, users):
    row = AuditLog.objects.create(action="export", username="x")
    assert login("admin").get(reverse("admin:accounts_auditlog_changelist")).status_code == 403
    client = login("auditor")
    assert client.get(reverse("admin:accounts_auditlog_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditlog_add")).status_code == 403
    change = client.get(reverse("admin:accounts_auditlog_change", args=[row.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert (
        client.post(
            reverse("admin:accounts_auditlog_change", args=[row.pk]), {"username": "y"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:accounts_auditlog_delete", args=[row.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditLog.objects.get(pk=row.pk).username == "x"
    # The audit administrator's reads are on record too.
    assert AuditLog.objects.filter(action="audit_log_view", username="u_auditor").count() >= 2


@pytest.mark.parametrize("role", ["admin", "prefecture", "staff"])
def test_only_their_administrators_see_users_and_the_audit_log(world, login, role):
    client = login(role)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_auditlog_changelist")).status_code == 403


def test_user_admin_validates_role_against_scope(world, login):
    client = login("security")
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newofficial",
            "role": "official",
            "scope_code": "62",
            "is_staff": "on",
            "password1": "Lanzhou-2015-ok",
            "password2": "Lanzhou-2015-ok",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "管辖区划代码与角色不符" in response.content.decode()
    assert not User.objects.filter(username="newofficial").exists()
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newofficial",
            "role": "official",
            "scope_code": "6201",
            "is_staff": "on",
            "password1": "Lanzhou-2015-ok",
            "password2": "Lanzhou-2015-ok",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="newofficial")
    assert (created.role, created.scope_code, created.is_staff) == ("official", "6201", True)


def plan_post(**changes):
    data = {
        "code": "12th-five-year",
        "name": "十二五",
        "title": "",
        "document_number": "",
        "start_year": 2011,
        "target_year": 2015,
        "thresholds": '{"street_centre": "800"}',
        "baseline_year": "",
        "baseline": "{}",
    }
    data.update(changes)
    return data


def test_plan_thresholds_are_editable_by_admins_only(world, login):
    plan, _ = Plan.objects.update_or_create(
        code="12th-five-year",
        defaults={
            "name": "十二五",
            "start_year": 2011,
            "target_year": 2015,
            "thresholds": {"street_centre": "800"},
        },
    )
    url = reverse("admin:targets_plan_change", args=[plan.pk])
    official = login("prefecture")
    assert official.get(url).status_code == 200
    assert official.post(url, plan_post(thresholds='{"street_centre": "1"}')).status_code == 403
    admin_client = login("admin")
    bad = admin_client.post(url, plan_post(thresholds='{"street_centre": "很多"}'))
    assert bad.status_code == 200 and "的阈值必须是数字" in bad.content.decode()
    assert (
        admin_client.post(url, plan_post(thresholds='{"street_centre": "850"}')).status_code == 302
    )
    plan.refresh_from_db()
    assert plan.thresholds["street_centre"] == "850"
    assert len(plan.thresholds) > 1  # the others keep the registry's defaults


def test_the_current_plan_cannot_be_deleted(world, login):
    plan = Plan.objects.get(is_current=True)
    client = login("admin")
    response = client.post(reverse("admin:targets_plan_delete", args=[plan.pk]), {"post": "yes"})
    assert "请先将其他规划设为当前规划" in response.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()
    client.post(
        reverse("admin:targets_plan_changelist"),
        {"action": "delete_selected", "_selected_action": [plan.pk], "post": "yes"},
    )
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_an_administrator_who_is_no_superuser_cannot_take_over_a_superuser(world, login):
    boss = User.objects.create_superuser("boss", password="Lanzhou-2015-ok")
    client = login("admin")
    assert client.get(reverse("admin:auth_user_password_change", args=[boss.pk])).status_code == 403
    response = client.post(
        reverse("admin:auth_user_password_change", args=[boss.pk]),
        {"password1": "Taken-over-2015", "password2": "Taken-over-2015", "usable_password": "true"},
    )
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.check_password("Lanzhou-2015-ok")


def stat_post(community_code, year, **changes):
    data = {
        "community": community_code,
        "year": year,
        "households": 900,
        "residents": 2600,
        "party_members": 90,
        "party_members_volunteering": 70,
        "residents_volunteering": 800,
    }
    data.update(changes)
    return data


def test_staff_adds_next_years_statistics_as_a_draft(world, login):
    client = login("staff")
    response = client.post(
        reverse("admin:communities_communitystat_add"), stat_post(STAFF_COMMUNITY, 2016)
    )
    assert response.status_code == 302
    stat = CommunityStat.objects.get(community_id=STAFF_COMMUNITY, year=2016)
    assert (stat.status, stat.version, stat.households) == ("draft", 1, 900)


def test_a_second_row_for_the_same_year_is_refused_in_chinese(world, login):
    client = login("staff")
    response = client.post(
        reverse("admin:communities_communitystat_add"), stat_post(STAFF_COMMUNITY, 2015)
    )
    assert response.status_code == 200
    assert "该社区该年度的统计数据已存在。" in response.content.decode()
    assert CommunityStat.objects.filter(community_id=STAFF_COMMUNITY, year=2015).count() == 1


def test_participation_above_population_is_refused_in_the_admin_form(world, login):
    client = login("staff")
    response = client.post(
        reverse("admin:communities_communitystat_add"),
        stat_post(STAFF_COMMUNITY, 2016, party_members_volunteering=91),
    )
    assert response.status_code == 200
    assert "参与志愿活动的党员人数不能超过党员人数。" in response.content.decode()
    assert not CommunityStat.objects.filter(year=2016).exists()


def test_officials_cannot_restore_an_old_version_from_the_history(world, login):
    worker = Worker.objects.get(community_id=STAFF_COMMUNITY)
    old = worker.history.earliest()
    Worker.objects.filter(pk=worker.pk).update(education="postgraduate")
    url = reverse("admin:workforce_worker_simple_history", args=[worker.pk, old.history_id])
    client = login("street")
    assert client.get(url).status_code == 200
    assert client.post(url, worker_post(worker)).status_code == 403
    assert Worker.objects.get(pk=worker.pk).education == "postgraduate"


def test_history_of_a_deleted_row_stays_inside_the_scope(world, login):
    outside = Worker.objects.get(community_id=OUTSIDE_COMMUNITY)
    pk = outside.pk
    Training.objects.filter(worker=outside).delete()
    outside.delete()
    assert (
        login("staff").get(reverse("admin:workforce_worker_history", args=[pk])).status_code == 404
    )
    response = login("admin").get(reverse("admin:workforce_worker_history", args=[pk]))
    assert response.status_code == 200
    assert response.context["object"].name == outside.name  # its own history, not another row's
