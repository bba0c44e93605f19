"""Search and autocomplete keep to the scope: nothing outside is found, not even by ID number."""

import pytest
from django.test import Client

from volunteers.models import Volunteer

from .matrix_world import INSIDE, OUTSIDE, build_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    return build_objects()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


AUTOCOMPLETES = [
    # (app_label, model_name, field_name, term that matches the outside row)
    ("facilities", "facility", "community", OUTSIDE),
    ("facilities", "facility", "street", OUTSIDE[:9]),
    ("volunteers", "volunteer", "community", OUTSIDE),
    ("volunteers", "servicerecord", "volunteer", "志愿者"),
    ("communities", "communitystat", "community", OUTSIDE),
    ("facilities", "facilityfunding", "facility", OUTSIDE),
]


@pytest.mark.parametrize(("app", "model", "field", "term"), AUTOCOMPLETES)
def test_admin_autocomplete_offers_only_rows_in_scope(objects, app, model, field, term):
    staff = _client(objects.users["staff"])
    response = staff.get(
        "/admin/autocomplete/", {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        offered = {str(r["id"]) for r in response.json()["results"]}
        outside_rows = {
            "community": {OUTSIDE},
            "street": {OUTSIDE[:9]},
            "volunteer": {str(v.pk) for v in Volunteer.objects.filter(community_id=OUTSIDE)},
            "facility": {str(objects("facility", "out").pk), str(objects("centre", "out").pk)},
        }[field]
        assert not offered & outside_rows


def test_admin_autocomplete_finds_rows_inside(objects):
    staff = _client(objects.users["staff"])
    response = staff.get(
        "/admin/autocomplete/",
        {"app_label": "volunteers", "model_name": "volunteer", "field_name": "community", "term": INSIDE},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [INSIDE]


def test_admin_search_by_full_id_number_finds_nothing_outside(objects):
    outside = objects("volunteer", "out")
    inside = objects("volunteer", "in")
    staff = _client(objects.users["staff"])
    found_outside = staff.get("/admin/volunteers/volunteer/", {"q": outside.id_number})
    assert found_outside.status_code == 200
    assert outside.name not in found_outside.content.decode()
    found_inside = staff.get("/admin/volunteers/volunteer/", {"q": inside.id_number})
    assert inside.name in found_inside.content.decode()


def test_api_search_and_filters_cannot_reach_outside(objects):
    staff = _client(objects.users["staff"])
    for path, params in [
        ("/api/v1/communities/", {"search": "社区"}),
        ("/api/v1/communities/", {"street_code": OUTSIDE[:9]}),
        ("/api/v1/volunteers/", {"community_code": OUTSIDE}),
        ("/api/v1/volunteers/", {"scope": "62"}),
        ("/api/v1/facilities/", {"scope": OUTSIDE}),
        ("/api/v1/community-stats/", {"scope": "6202"}),
    ]:
        response = staff.get(path, params)
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)
        assert OUTSIDE not in response.content.decode(), (path, params)


def test_a_scope_parameter_above_the_users_own_is_not_widened(objects):
    staff = _client(objects.users["staff"])
    body = staff.get("/api/v1/volunteers/", {"scope": "62"})
    if body.status_code == 200:
        assert {v["community_code"] for v in body.json()["results"]} <= {INSIDE}


def test_exports_with_an_outside_scope_answer_404(objects):
    staff = _client(objects.users["staff"])
    assert staff.get("/api/v1/reports/volunteers.xlsx", {"scope": OUTSIDE}).status_code == 404
    assert staff.get("/excel/export/volunteers.xlsx", {"scope": "62"}).status_code == 404
    assert staff.get("/api/v1/reports/compliance.xlsx", {"scope": "6202", "year": 2015}).status_code == 404


def test_the_history_of_a_deleted_record_outside_stays_hidden(objects):
    outside = objects("volunteer", "out")
    pk = outside.pk
    outside.delete()
    staff = _client(objects.users["staff"])
    assert staff.get(f"/history/volunteer/{pk}/").status_code == 404
    assert staff.get(f"/admin/volunteers/volunteer/{pk}/history/").status_code == 404
    # The administrator still reads it in the Django admin.
    admin = _client(objects.users["admin"])
    assert admin.get(f"/admin/volunteers/volunteer/{pk}/history/").status_code == 200


@pytest.mark.parametrize("model", ["user", "auditlog", "plan", "session", "accounts.User", "../volunteer"])
def test_the_history_page_knows_only_the_record_kinds(objects, model):
    staff = _client(objects.users["staff"])
    assert staff.get(f"/history/{model}/1/").status_code == 404


def test_the_admin_history_of_a_deleted_outside_record_is_hidden_whatever_its_number(objects):
    """The deleted row is looked up by its own id, not by the number of some history row."""
    outside = objects("volunteer", "out")
    inside = objects("volunteer", "in")
    # Make the history row numbered like the outside volunteer's id belong to the inside one.
    history_model = Volunteer.history.model
    while history_model.objects.order_by("-history_id").first().history_id < outside.pk:
        inside.save()
    row = history_model.objects.filter(history_id=outside.pk).first()
    if row is None or row.id != inside.pk:
        history_model.objects.filter(history_id=outside.pk).delete()
        last = history_model.objects.filter(id=inside.pk).order_by("-history_id").first()
        history_model.objects.filter(pk=last.pk).update(history_id=outside.pk)
    outside_name, outside_pk = outside.name, outside.pk
    outside.delete()
    staff = _client(objects.users["staff"])
    response = staff.get(f"/admin/volunteers/volunteer/{outside_pk}/history/")
    assert response.status_code == 404
    assert outside_name not in response.content.decode()


@pytest.mark.parametrize("object_id", ["abc", "1%20OR%201", "%E2%80%AE"])
def test_the_admin_history_of_a_malformed_id_is_not_found(objects, object_id):
    staff = _client(objects.users["staff"])
    assert staff.get(f"/admin/volunteers/volunteer/{object_id}/history/").status_code == 404
    assert staff.get(f"/admin/communities/community/{object_id}/history/").status_code == 404


HISTORY_KINDS = {
    "community": "community",
    "stat": "stat",
    "social-organization": "social_organization",
    "facility": "facility",
    "volunteer-organization": "volunteer_organization",
    "volunteer": "volunteer",
    "worker": "worker",
}


@pytest.mark.parametrize(("key", "kind"), HISTORY_KINDS.items())
def test_every_kind_of_record_history_is_scoped(objects, key, kind):
    staff = _client(objects.users["staff"])
    inside, outside = objects(kind, "in"), objects(kind, "out")
    assert staff.get(f"/history/{key}/{inside.pk}/").status_code == 200
    assert staff.get(f"/history/{key}/{outside.pk}/").status_code == 404
