"""Random users on a random small hierarchy see exactly their subtree, and nothing else.

Checked on the one scoping rule (``visible_to``) for every scoped model, on every REST API list
and on every Excel export.
"""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import ROLE_SCOPE_LENGTHS, Role
from communities.models import Community, CommunityStat, SocialOrganization
from facilities.models import Facility
from streets.models import Division, Street
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

from .worlds import SCOPED_MODELS, build_world, make_user, scope_of_row

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

two_digits = st.integers(min_value=1, max_value=99).map(lambda n: f"{n:02d}")
three_digits = st.integers(min_value=1, max_value=999).map(lambda n: f"{n:03d}")
streets = st.dictionaries(three_digits, st.integers(min_value=0, max_value=2), min_size=1, max_size=2)
counties = st.dictionaries(two_digits, streets, min_size=1, max_size=2)
trees = st.dictionaries(two_digits, counties, min_size=1, max_size=2)


@st.composite
def world_and_user(draw):
    tree = draw(trees)
    role = draw(st.sampled_from([Role.ADMIN, Role.OFFICIAL, Role.STAFF]))
    return tree, role, draw(st.integers(min_value=0, max_value=10**6))


def _pick_scope(world, role, choice: int) -> str | None:
    lengths = ROLE_SCOPE_LENGTHS[role]
    candidates = [code for code in world.codes() if len(code) in lengths]
    return candidates[choice % len(candidates)] if candidates else None


def _assert_sees_exactly(user, scope: str | None) -> None:
    for model in SCOPED_MODELS:
        everything = list(model.objects.all())
        expected = {row.pk for row in everything if scope is not None and scope_of_row(model, row).startswith(scope)}
        seen = set(model.objects.visible_to(user).values_list("pk", flat=True))
        assert seen == expected, f"{model.__name__}: {user.role} {scope} sees {sorted(seen)} not {sorted(expected)}"


@SETTINGS
@given(case=world_and_user())
def test_visible_to_keeps_exactly_the_users_subtree(case):
    tree, role, choice = case
    with transaction.atomic():
        world = build_world(tree)
        scope = _pick_scope(world, role, choice)
        if scope is not None:
            user = make_user("someone", role, scope)
            _assert_sees_exactly(user, scope)
        transaction.set_rollback(True)


@SETTINGS
@given(tree=trees)
def test_anonymous_and_inactive_users_see_nothing(tree):
    with transaction.atomic():
        world = build_world(tree)
        inactive = make_user("gone", Role.STAFF, world.communities[0] if world.communities else world.streets[0])
        inactive.is_active = False
        inactive.save()
        for model in SCOPED_MODELS:
            assert not model.objects.visible_to(AnonymousUser()).exists()
            assert not model.objects.visible_to(inactive).exists()
        transaction.set_rollback(True)


def test_a_superuser_sees_the_whole_province():
    world = build_world({"01": {"02": {"016": 2}}, "02": {"01": {"001": 1}}})
    boss = make_user("boss", Role.ADMIN, "62", is_superuser=True, is_staff=True)
    _assert_sees_exactly(boss, "62")
    assert len(world.communities) == 3


def test_codes_that_share_digits_are_not_confused():
    # 6201 must not see 6210…, and street 620102016 must not see 620102061….
    build_world({"01": {"02": {"016": 1, "061": 1}}, "10": {"02": {"016": 1}}})
    _assert_sees_exactly(make_user("pref", Role.OFFICIAL, "6201"), "6201")
    _assert_sees_exactly(make_user("street", Role.OFFICIAL, "620102016"), "620102016")
    _assert_sees_exactly(make_user("staff", Role.STAFF, "620102016001"), "620102016001")


API_LISTS = {
    "divisions": (Division, "code"),
    "streets": (Street, "code"),
    "communities": (Community, "code"),
    "community-stats": (CommunityStat, "id"),
    "social-organizations": (SocialOrganization, "id"),
    "facilities": (Facility, "id"),
    "volunteer-organizations": (VolunteerOrganization, "id"),
    "volunteers": (Volunteer, "id"),
    "workers": (Worker, "id"),
}
EXPORTS = {
    "community-stats": CommunityStat,
    "facilities": Facility,
    "volunteer-organizations": VolunteerOrganization,
    "volunteers": Volunteer,
    "social-organizations": SocialOrganization,
    "workers": Worker,
}


def _expected(model, scope: str) -> set:
    return {row.pk for row in model.objects.all() if scope_of_row(model, row).startswith(scope)}


def _export_rows(client: Client, slug: str) -> list[tuple]:
    response = client.get(f"/api/v1/reports/{slug}.xlsx")
    assert response.status_code == 200, (slug, response.status_code)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = book.worksheets[0]
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in row)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=world_and_user())
def test_api_lists_and_exports_hold_exactly_the_users_subtree(case):
    tree, role, choice = case
    with transaction.atomic():
        world = build_world(tree)
        scope = _pick_scope(world, role, choice)
        if scope is not None:
            client = Client()
            client.force_login(make_user("someone", role, scope))
            for slug, (model, key) in API_LISTS.items():
                body = client.get(f"/api/v1/{slug}/", {"page_size": 1000}).json()
                seen = {item[key] for item in body["results"]}
                assert body["count"] == len(seen)
                assert seen == _expected(model, scope), f"API {slug} for {role} {scope}"
            for slug, model in EXPORTS.items():
                rows = _export_rows(client, slug)
                assert len(rows) == len(_expected(model, scope)), f"export {slug} for {role} {scope}"
                codes = {v for row in rows for v in row if isinstance(v, str) and v.isdigit() and len(v) in (9, 12)}
                assert all(code.startswith(scope) for code in codes), f"export {slug} for {scope} holds {codes}"
        transaction.set_rollback(True)
