"""Admin changelists, change pages and POSTs stay inside each role's code."""

import pytest
from django.urls import reverse

from communities.models import Community, CommunityStat
from streets.models import Division, Street
from volunteers.models import Volunteer

from .conftest import OUTSIDE_STREET, STAFF_COMMUNITY

SCOPES = {"admin": "62", "prefecture": "6201", "street": "620102016", "staff": STAFF_COMMUNITY}

# admin URL name → the world's record kind
RECORD_ADMINS = {
    "communities_communitystat": "stat",
    "facilities_facility": "facility",
    "facilities_facilityfunding": "funding",
    "volunteers_volunteerorganization": "org",
    "volunteers_volunteer": "volunteer",
    "volunteers_servicerecord": "record",
    "communities_socialorganization": "social",
    "workforce_worker": "worker",
    "workforce_training": "training",
}


def changelist_pks(client, name: str) -> set:
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].queryset}


@pytest.mark.parametrize("role", SCOPES)
@pytest.mark.parametrize("name", RECORD_ADMINS)
def test_changelist_shows_only_rows_under_the_users_code(world, login, role, name):
    client = login(role)
    expected = world.codes_of(RECORD_ADMINS[name], SCOPES[role])
    assert expected, "the world must hold rows inside every scope"
    assert changelist_pks(client, name) == expected


@pytest.mark.parametrize("role", SCOPES)
def test_hierarchy_changelists_are_scoped(world, login, role):
    client = login(role)
    scope = SCOPES[role]
    assert changelist_pks(client, "communities_community") == set(
        Community.objects.filter(code__startswith=scope).values_list("code", flat=True)
    )
    assert changelist_pks(client, "streets_street") == set(
        Street.objects.filter(code__startswith=scope).values_list("code", flat=True)
    )
    assert changelist_pks(client, "streets_division") == set(
        Division.objects.filter(code__startswith=scope).values_list("code", flat=True)
    )


def test_prefecture_official_sees_no_row_of_another_prefecture(world, login):
    client = login("prefecture")
    response = client.get(reverse("admin:volunteers_volunteer_changelist"))
    assert "志愿者4" not in response.content.decode()  # the 6202 volunteer
    assert "志愿者1" in response.content.decode()


@pytest.mark.parametrize("role", ["prefecture", "street", "staff"])
@pytest.mark.parametrize("name", RECORD_ADMINS)
def test_change_page_outside_the_scope_is_404(world, login, role, name):
    client = login(role)
    outside = world.codes_of(RECORD_ADMINS[name], OUTSIDE_STREET)
    for pk in outside:
        for view in ("change", "history", "delete"):
            response = client.get(reverse(f"admin:{name}_{view}", args=[pk]))
            assert response.status_code == 404, (name, view)


@pytest.mark.parametrize("role", ["street", "staff"])
def test_community_change_page_of_a_neighbouring_street_is_404(world, login, role):
    client = login(role)
    response = client.get(reverse("admin:communities_community_change", args=["620102017001"]))
    assert response.status_code == 404
    assert "620102017001" not in response.content.decode()


def test_admin_opens_every_change_page(world, login):
    client = login("admin")
    for name, kind in RECORD_ADMINS.items():
        for _code, pk in world.records[kind]:
            assert client.get(reverse(f"admin:{name}_change", args=[pk])).status_code == 200


def test_history_of_a_row_outside_is_404_even_for_a_version_id(world, login):
    stat = CommunityStat.objects.get(community_id=f"{OUTSIDE_STREET}001")
    history_id = stat.history.first().history_id
    client = login("staff")
    url = reverse("admin:communities_communitystat_simple_history", args=[stat.pk, history_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"households": 1}).status_code == 404


def test_volunteer_search_does_not_reach_outside_the_scope(world, login):
    outside = Volunteer.objects.get(community_id=f"{OUTSIDE_STREET}001")
    client = login("street")
    response = client.get(
        reverse("admin:volunteers_volunteer_changelist"), {"q": outside.id_number}
    )
    assert list(response.context["cl"].queryset) == []


def test_autocomplete_offers_only_communities_in_scope(world, login):
    client = login("street")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "volunteers",
            "model_name": "volunteer",
            "field_name": "community",
            "term": "社区",
        },
    )
    assert response.status_code == 200
    codes = {row["id"] for row in response.json()["results"]}
    assert codes == {"620102016001", "620102016002"}


def test_user_without_admin_login_flag_cannot_enter(world, users, client):
    users["staff"].is_staff = False
    users["staff"].save()
    client.force_login(users["staff"])
    response = client.get(reverse("admin:volunteers_volunteer_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_user_whose_scope_code_was_blanked_sees_nothing(world, users, client):
    from accounts.models import User

    User.objects.filter(pk=users["street"].pk).update(scope_code="")
    client.force_login(User.objects.get(pk=users["street"].pk))
    assert changelist_pks(client, "volunteers_volunteer") == set()
    assert changelist_pks(client, "communities_community") == set()
