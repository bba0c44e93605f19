"""Every admin page of the portal's models answers every role sensibly, in Chinese."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

PORTAL_APPS = {
    "accounts",
    "streets",
    "communities",
    "facilities",
    "volunteers",
    "workforce",
    "targets",
}
# 三员分立: users are the security administrator's, the log the audit administrator's; the
# record roles (the system administrator too) open neither.
ADMIN_ONLY = {"accounts_user", "accounts_auditlog"}
# Who may add: administrators everywhere; staff the records of their community.
STAFF_ADDS = {
    "communities_communitystat",
    "communities_socialorganization",
    "facilities_facility",
    "facilities_facilityfunding",
    "volunteers_volunteerorganization",
    "volunteers_volunteer",
    "volunteers_servicerecord",
    "workforce_worker",
    "workforce_training",
}
# Transfer requests are asked for and decided in the portal only (the admin is read-only).
NOBODY_ADDS = {"accounts_auditlog", "volunteers_transferrequest"}

MODELS = sorted(
    f"{model._meta.app_label}_{model._meta.model_name}"
    for model in site._registry
    if model._meta.app_label in PORTAL_APPS
)


def test_every_portal_model_is_registered():
    assert set(MODELS) >= STAFF_ADDS | ADMIN_ONLY | {
        "streets_division",
        "streets_street",
        "communities_community",
        "targets_plan",
    }


@pytest.mark.parametrize("role", ["admin", "prefecture", "street", "staff"])
@pytest.mark.parametrize("name", MODELS)
def test_changelist_and_add_page_answer_by_role(world, login, role, name):
    client = login(role)
    changelist = client.get(reverse(f"admin:{name}_changelist"), {"q": "62"})
    if name in ADMIN_ONLY:
        assert changelist.status_code == 403
    else:
        assert changelist.status_code == 200
    can_add = name not in NOBODY_ADDS | ADMIN_ONLY and (
        role == "admin" or (role == "staff" and name in STAFF_ADDS)
    )
    add = client.get(reverse(f"admin:{name}_add"))
    assert add.status_code == (200 if can_add else 403)


@pytest.mark.parametrize("role", ["admin", "prefecture", "street", "staff"])
def test_region_filter_lists_the_next_level_down(world, login, role):
    client = login(role)
    response = client.get(reverse("admin:communities_community_changelist"))
    regions = [f for f in response.context["cl"].filter_specs if f.parameter_name == "region"]
    codes = [code for f in regions if f.has_output() for code, _label in f.lookup_choices]
    expected = {
        "admin": ["6201", "6202"],
        "prefecture": ["620102"],
        "street": ["620102016001", "620102016002"],
        "staff": [],
    }[role]
    assert codes == expected


def test_region_filter_narrows_the_list(world, login):
    client = login("admin")
    response = client.get(reverse("admin:volunteers_volunteer_changelist"), {"region": "6202"})
    assert {v.community_id for v in response.context["cl"].queryset} == {"620201001001"}


def test_index_shows_each_role_its_models_in_chinese(world, login):
    html = login("admin").get(reverse("admin:index")).content.decode()
    assert "注册志愿者" in html and "审计日志" not in html
    assert "审计日志" in login("auditor").get(reverse("admin:index")).content.decode()
    security_html = login("security").get(reverse("admin:index")).content.decode()
    assert "用户" in security_html and "注册志愿者" not in security_html
    staff_html = login("staff").get(reverse("admin:index")).content.decode()
    assert "注册志愿者" in staff_html and "社区年度统计" in staff_html
    assert "审计日志" not in staff_html
